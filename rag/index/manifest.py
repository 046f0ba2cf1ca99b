"""A build's manifest, and building, saving and loading builds atomically.

A build is written to a fresh folder and only then named in CURRENT, so a crash in the
middle of a build leaves the previous index in use. Builds are serialized with a file lock.
Building streams: texts are embedded a batch at a time, and the vectors wait in a scratch
file until the index is made, so memory does not grow with the corpus (see build_units).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from ..document import Document
from ..embed import Embedder
from ..errors import IndexStateError
from ..document import PARSER_VERSION
from .units import Unit, UnitStore, UnitWriter, units_digest, units_for
from .vectors import VectorFile, import_faiss, make_index, progress_bar, search_params

log = logging.getLogger(__name__)

FORMAT_VERSION = 3


@dataclass(frozen=True)
class Manifest:
    """What a build was made from and what it holds; saved as manifest.json beside it."""

    format_version: int
    model: str
    dim: int
    document_sha256: str
    english_sha256: str
    parser_version: str
    built_at: str
    count: int
    index_type: str
    units_sha256: str = ""  # what was embedded: changes when the code that cuts units changes
    search_params: str = ""  # FAISS search parameters set on load, e.g. "nprobe=16"

    @classmethod
    def expected(cls, doc: Document, english_sha: str, model: str, dim: int,
                 units: Sequence[Unit] | None = None) -> "Manifest":
        """The manifest an index of `doc` must have; `units` are units_for(doc), when already cut."""
        units = units_for(doc) if units is None else units
        return cls(FORMAT_VERSION, model, dim, doc.sha256, english_sha, PARSER_VERSION, "", 0, "",
                   units_digest(units))

    def mismatch(self, want: "Manifest") -> str | None:
        """Why this index does not serve `want`, or None when it does."""
        checks = (
            ("format_version", "the index format changed"),
            ("parser_version", "the parser changed"),
            ("document_sha256", "the document changed"),
            ("english_sha256", "the English edition changed"),
            ("units_sha256", "the indexed text changed"),
            ("model", "the model changed"),
            ("dim", "the embedding dimension changed"),
        )
        for attr, why in checks:
            have, need = getattr(self, attr), getattr(want, attr)
            if have != need:
                short = lambda v: v[:12] if isinstance(v, str) and len(v) == 64 else v  # noqa: E731
                return f"{why} (index has {short(have)!r}, expected {short(need)!r})"
        return None


@dataclass(frozen=True)
class LoadedIndex:
    """A build in use: its manifest, its FAISS index, its units by vector id, and its folder."""

    manifest: Manifest
    index: object  # faiss.Index
    units: UnitStore
    path: Path


def _write_error(root: Path, e: Exception) -> IndexStateError:
    why = getattr(e, "strerror", None) or e
    return IndexStateError(f"Cannot write the index to {root}: {why}. Make the folder writable or set "
                           "RAG_INDEX_DIR to a writable folder.")


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Serialize builds of one index folder across processes (filelock: any OS)."""
    from filelock import FileLock

    try:
        root.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(root / ".lock"))
        lock.acquire()
    except OSError as e:
        raise _write_error(root, e) from e
    try:
        yield
    finally:
        lock.release()


def build(doc: Document, english_sha: str, embedder: Embedder, root: Path, batch: int = 256,
          progress: bool | None = None) -> LoadedIndex:
    """Embed the document's units and save them as a new build, then make it current."""
    units = units_for(doc)
    manifest = Manifest.expected(doc, english_sha, embedder.model_id, embedder.dim, units)
    return build_units(units, embedder, root, manifest, batch=batch, total=len(units), progress=progress,
                       name=doc.name)


def build_units(units: Iterable[Unit], embedder: Embedder, root: Path, manifest: Manifest, batch: int = 256,
                total: int | None = None, progress: bool | None = None, name: str = "") -> LoadedIndex:
    """Embed a stream of units a batch at a time into a new build, then make it current.

    A batch's texts go to the unit store and are dropped; its vectors go to a scratch file
    from which make_index reads them back in chunks. Memory is bounded by the batch, and
    beyond FLAT_LIMIT by the IVF training sample, not by the corpus. `manifest` describes
    the source; its build time, count, index type and search parameters are filled in here.
    """
    t0 = time.perf_counter()
    root = Path(root)
    with _staging(root) as tmp:
        store = UnitWriter(tmp)
        vectors = VectorFile(tmp / "vectors.f32.tmp", embedder.dim)
        with progress_bar(total, "embedding", progress) as bar:
            it = iter(units)
            while chunk := list(itertools.islice(it, batch)):
                vectors.append(_encode(embedder, chunk))
                store.add(chunk)
                bar.update(len(chunk))
        count = store.close()
        index = make_index(vectors, progress)
        vectors.close()
        manifest = replace(manifest, format_version=FORMAT_VERSION, built_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                           count=count, index_type=type(index).__name__, search_params=search_params(index))
        path = save(root, manifest, index, tmp)
    log.info("built index of %d vectors for %s in %.2fs at %s", count, name or "units", time.perf_counter() - t0, path)
    return LoadedIndex(manifest, index, UnitStore(path), path)


def _encode(embedder: Embedder, units: Sequence[Unit]) -> np.ndarray:
    """Vectors in unit order: text as passages, and the questions a paragraph answers as
    queries (models with query and passage prompts compare a question with questions best)."""
    asked = [i for i, u in enumerate(units) if u.kind == "question"]
    if not asked:
        return embedder.encode_passages([u.text for u in units])
    out = np.empty((len(units), embedder.dim), dtype=np.float32)
    told = [i for i, u in enumerate(units) if u.kind != "question"]
    if told:
        out[told] = embedder.encode_passages([units[i].text for i in told])
    out[asked] = embedder.encode_queries([units[i].text for i in asked])
    return out


@contextlib.contextmanager
def _staging(root: Path) -> Iterator[Path]:
    """A fresh scratch folder for a build, removed if the build fails before save()."""
    builds = root / "builds"
    try:
        builds.mkdir(parents=True, exist_ok=True)
        name = f"{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}-{os.getpid()}-{os.urandom(3).hex()}"
        tmp = builds / (name + ".tmp")
        tmp.mkdir()
    except OSError as e:
        raise _write_error(root, e) from e
    try:
        yield tmp
    except (OSError, sqlite3.Error) as e:
        raise _write_error(root, e) from e
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def save(root: Path, manifest: Manifest, index, staged: Path) -> Path:
    """Add the vectors and the manifest to a staged build, sync it, and make it current."""
    faiss = import_faiss()
    root = Path(root)
    builds = root / "builds"
    name = staged.name.removesuffix(".tmp")
    try:
        faiss.write_index(index, str(staged / "vectors.faiss"))
        (staged / "manifest.json").write_text(json.dumps(manifest.__dict__, indent=2) + "\n", encoding="utf-8")
        for f in staged.iterdir():
            _fsync(f)
        final = builds / name
        os.rename(staged, final)
        pointer = root / f"CURRENT.{name}.tmp"
        pointer.write_text(name + "\n", encoding="utf-8")
        _fsync(pointer)
        os.replace(pointer, root / "CURRENT")
    except OSError as e:
        raise _write_error(root, e) from e
    _remove_old_builds(builds, keep=name)
    return final


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _remove_old_builds(builds: Path, keep: str) -> None:
    for d in builds.iterdir():
        if d.name != keep:
            shutil.rmtree(d, ignore_errors=True)


def load(root: Path) -> LoadedIndex:
    """Load the current build. Raises IndexStateError saying what is wrong with it."""
    path = _current_build(Path(root))
    manifest = _read_manifest(path)
    try:
        units = UnitStore(path)
    except (OSError, ValueError, sqlite3.Error) as e:
        raise IndexStateError(f"the unit store in {path} is unreadable: {e}") from e
    index = _map_vectors(path, manifest)
    if index.ntotal != len(units) or index.ntotal != manifest.count:
        raise IndexStateError(
            f"the index at {path} is inconsistent: {index.ntotal} vectors, {len(units)} units, "
            f"manifest says {manifest.count}"
        )
    if index.d != manifest.dim:
        raise IndexStateError(f"the vectors at {path} have dimension {index.d}, the manifest says {manifest.dim}")
    return LoadedIndex(manifest, index, units, path)


def _current_build(root: Path) -> Path:
    """The folder of the build CURRENT names."""
    try:
        name = (root / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise IndexStateError(f"no index in {root}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise IndexStateError(f"cannot read {root / 'CURRENT'}: {e}") from e
    path = root / "builds" / name
    if not name or "/" in name or not path.is_dir():
        raise IndexStateError(f"{root / 'CURRENT'} names a build that does not exist ({name!r})")
    return path


def _read_manifest(path: Path) -> Manifest:
    """The build's manifest, refused when unreadable or of another format version."""
    try:
        raw = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        manifest = Manifest(**raw)
    except (OSError, ValueError, TypeError) as e:
        raise IndexStateError(f"the manifest {path / 'manifest.json'} is unreadable: {e}") from e
    if manifest.format_version != FORMAT_VERSION:
        raise IndexStateError(f"the index format changed (index has {manifest.format_version!r}, "
                              f"expected {FORMAT_VERSION})")
    return manifest


def _map_vectors(path: Path, manifest: Manifest):
    """The build's FAISS index, memory-mapped, with the manifest's search parameters set."""
    faiss = import_faiss()
    # IO_FLAG_MMAP_IFC maps flat and IVF indexes without a copy (FAISS >= 1.11); the older
    # IO_FLAG_MMAP maps only IVF lists and copies a flat index into memory.
    mmap = getattr(faiss, "IO_FLAG_MMAP_IFC", faiss.IO_FLAG_MMAP)
    try:
        index = faiss.read_index(str(path / "vectors.faiss"), mmap | faiss.IO_FLAG_READ_ONLY)
        if manifest.search_params:
            faiss.ParameterSpace().set_index_parameters(index, manifest.search_params)
    except RuntimeError as e:
        raise IndexStateError(f"the vector file {path / 'vectors.faiss'} is corrupt or truncated") from e
    return index
