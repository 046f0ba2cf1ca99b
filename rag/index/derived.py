"""Data derived from a document, a build or the model, kept on disk so that a start reads it
instead of computing it again: the parsed document (in its index folder), the paragraphs' BM25
tokens and bridge phrases (beside the build they were cut from), the off-topic prototypes'
vectors (beside the index, one file for every document of a library) and the lexicon questions
are cut with.

Each file carries the key it was made for (a hash of what it was derived from and of the code
version that derived it); a file with another key, or unreadable, is made again. Writing is
best effort and atomic (a unique scratch name, then a rename): a read-only index, as replicas
share it, is served all the same, only without the saving. Not handled: removing files of an
old key (one small file a model or a background list; a new build starts a new folder).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

log = logging.getLogger(__name__)

def key_of(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") + b"\0")
    return h.hexdigest()


def write_atomic(path: Path, write: Callable[[Path], None], make_folder: bool = True) -> None:
    """`write` to a scratch name beside `path`, then renamed to it. Without `make_folder`, a
    folder gone meanwhile (a build another process replaced and removed) is not made again."""
    scratch = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        if make_folder:
            path.parent.mkdir(parents=True, exist_ok=True)
        write(scratch)
        os.replace(scratch, path)
    except OSError as e:
        log.info("not saving %s (%s): it will be made again at the next start", path, e.strerror or e)
        scratch.unlink(missing_ok=True)


def remembered_json(path: Path, key: str, make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """`make()`'s result, read from `path` when it was saved there for `key`, else made and saved."""
    try:
        saved = json.loads(Path(path).read_text(encoding="utf-8"))
        if saved.get("key") == key and isinstance(saved.get("data"), dict):
            return saved["data"]
    except (OSError, ValueError, AttributeError):
        pass
    data = make()
    body = json.dumps({"key": key, "data": data}, ensure_ascii=False, separators=(",", ":"))
    write_atomic(Path(path), lambda p: p.write_text(body, encoding="utf-8"))
    return data


def remembered_vectors(folder: Path, name: str, model_id: str, texts: Sequence[str],
                       encode: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    """The vectors of `texts` under `model_id`, read from `folder` or encoded and saved there."""
    key = key_of(model_id, *texts)
    path = Path(folder) / f"{name}-{key[:16]}.npy"
    try:
        vecs = np.load(path, allow_pickle=False)
        if vecs.ndim == 2 and len(vecs) == len(texts):
            return vecs
    except (OSError, ValueError):
        pass
    vecs = np.asarray(encode(list(texts)), dtype=np.float32)
    write_atomic(path, lambda p: _save_array(p, vecs), make_folder=False)  # a build folder is never remade
    return vecs


def _save_array(path: Path, vecs: np.ndarray) -> None:
    with open(path, "wb") as fh:
        np.save(fh, vecs, allow_pickle=False)
