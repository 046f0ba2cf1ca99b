"""Which documents of a large library a question is put to.

    router = library_router(folder, {"notice": Path(".../index/notice"), ...}, embedder.model_id)
    keys = router.route(question_vector)   # the ROUTE_TO documents closest to it, in library order

A library of a few documents asks each of them (rag.library.LibraryEngine). One of hundreds
would open and ask hundreds of indexes for every question, so past ROUTE_TO documents a
question goes only to the ROUTE_TO whose closest unit (a paragraph, a sentence, an English
rendering or a question it answers) is closest to it: one matrix product over every unit
vector of the library, kept beside the manifest (router-<key>.npy, memory-mapped, and .json). The file is keyed by the model
and by the build each document's CURRENT names, so adding, removing or rebuilding a document
makes it again from the documents' own FAISS indexes (nothing is re-embedded).

The router only narrows: the documents it picks answer, and choose between them, exactly as
a small library's do. Not handled: a question whose answer shares no vocabulary or meaning
with its document's closest unit, which a lexical match in an unpicked document would find.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import numpy as np

from .index.derived import write_atomic, key_of

log = logging.getLogger(__name__)

# Past this many documents a question is routed. Chosen by what it costs, not by a score: a
# library this size is asked whole (as before routing) and opening eight indexes at the first
# question keeps a cold start near one document's (bench/library_startup.py).
ROUTE_TO = 8


@dataclass(frozen=True)
class Router:
    keys: tuple[str, ...]
    starts: np.ndarray  # int64 per document: its first row in `vectors`
    vectors: np.ndarray  # float32 (rows, dim): every unit vector of every document, normalized

    def route(self, qv: np.ndarray, n: int = ROUTE_TO) -> tuple[str, ...]:
        """The `n` documents whose closest unit is closest to the question, in library order."""
        best = np.maximum.reduceat(self.vectors @ np.asarray(qv, dtype=np.float32), self.starts)
        picked = np.argsort(-best, kind="stable")[:n]
        return tuple(self.keys[i] for i in sorted(picked))


def library_router(folder: Path, indexes: Mapping[str, Path], model_id: str) -> Router | None:
    """The router over `indexes` (document key -> its index folder, in library order), read
    from `folder` or made from the documents' builds and saved there. None when a document has
    no usable build under `model_id` yet: then every document is asked (and rebuilt)."""
    try:
        builds = {k: (Path(d) / "CURRENT").read_text(encoding="utf-8").strip() for k, d in indexes.items()}
    except OSError:
        return None
    key = key_of(model_id, *(f"{k}:{b}" for k, b in builds.items()))[:16]
    vectors, listing = Path(folder) / f"router-{key}.npy", Path(folder) / f"router-{key}.json"
    try:  # the vectors memory-mapped: a start reads only what the first question multiplies
        saved = json.loads(listing.read_text(encoding="utf-8"))
        if tuple(saved["keys"]) == tuple(indexes):
            return Router(tuple(indexes), np.asarray(saved["starts"], dtype=np.int64),
                          np.load(vectors, mmap_mode="r", allow_pickle=False))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    router = _make(indexes, model_id)
    if router is not None:
        write_atomic(vectors, lambda p: _save(p, router.vectors))
        write_atomic(listing, lambda p: p.write_text(json.dumps({"keys": list(router.keys),
                                                                  "starts": router.starts.tolist()}), encoding="utf-8"))
        for old in Path(folder).glob("router-*"):
            if old not in (vectors, listing):
                old.unlink(missing_ok=True)
    return router


def _make(indexes: Mapping[str, Path], model_id: str) -> Router | None:
    from . import index as index_mod
    from .errors import IndexStateError

    parts = []
    for key, folder in indexes.items():
        try:
            loaded = index_mod.load(Path(folder))
        except IndexStateError as e:
            log.info("not routing: document %s has no usable index (%s)", key, e)
            return None
        if loaded.manifest.model != model_id or loaded.index.ntotal == 0:
            return None
        try:
            parts.append(_vectors_of(loaded.index))
        except RuntimeError as e:  # an index type that cannot give its vectors back
            log.info("not routing: the vectors of %s cannot be read (%s)", key, e)
            return None
    starts = np.cumsum([0] + [len(p) for p in parts[:-1]]).astype(np.int64)
    return Router(tuple(indexes), starts, np.ascontiguousarray(np.vstack(parts), dtype=np.float32))


def _vectors_of(index) -> np.ndarray:
    """Every vector of a FAISS index, as stored (an IVF index gets the map from ids it needs)."""
    import faiss

    try:
        return index.reconstruct_n(0, index.ntotal)
    except RuntimeError:
        faiss.extract_index_ivf(index).make_direct_map()
        return index.reconstruct_n(0, index.ntotal)


def _save(path: Path, vectors: np.ndarray) -> None:
    with open(path, "wb") as fh:
        np.save(fh, vectors, allow_pickle=False)
