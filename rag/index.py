"""The vector index on disk: build, save atomically, load, and check that it is current.

Layout of the index folder:

    index/CURRENT                 name of the build in use, replaced atomically
    index/builds/<name>/manifest.json
    index/builds/<name>/vectors.faiss   inner product over normalized vectors
    index/builds/<name>/units.jsonl     one row per vector: paragraph id, language, text

A build is written to a fresh folder and only then named in CURRENT, so a crash in the
middle of a build leaves the previous index in use. Builds are serialized with a file lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from .document import Document, Lang
from .embed import Embedder
from .errors import IndexStateError
from .parse import PARSER_VERSION
from .text import split_sentences

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
FLAT_LIMIT = 200_000  # above this many vectors, an approximate (HNSW) index is built


@dataclass(frozen=True)
class Unit:
    """One embedded piece of text: a whole paragraph or one of its sentences, in one language."""

    pid: str
    lang: Lang
    text: str


@dataclass(frozen=True)
class Manifest:
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

    @classmethod
    def expected(cls, doc: Document, english_sha: str, model: str, dim: int) -> "Manifest":
        return cls(FORMAT_VERSION, model, dim, doc.sha256, english_sha, PARSER_VERSION, "", 0, "",
                   units_digest(units_for(doc)))

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


# Header lines are bare values ("新华社记者 张晓洁"); naming the field they fill lets a
# question about the article itself ("who wrote this?") find them.
FIELD_LABELS = {
    "title": ("标题：", "Headline, title of the article: "),
    "subtitle": ("受访者，接受采访的人，采访对象：", "Interviewee, the person interviewed, who was interviewed: "),
    "reporter": ("记者，作者：", "Reporter, author, byline: "),
    "column": ("栏目：", "Column: "),
    "dateline": ("电头，发稿时间和地点，发布媒体：", "Dateline, when and where published, by which news agency: "),
}


def labelled(doc: Document, p, lang: Lang, text: str) -> str:
    """The text of a paragraph as indexed: header lines carry their field's name."""
    label = FIELD_LABELS.get(doc.field_of(p))
    return (label[0] if lang == "zh" else label[1]) + text if label else text


def units_digest(units: Sequence[Unit]) -> str:
    h = hashlib.sha256()
    for u in units:
        h.update(f"{u.pid}\t{u.lang}\t{u.text}\n".encode("utf-8"))
    return h.hexdigest()


def units_for(doc: Document) -> list[Unit]:
    """Paragraphs and their sentences, in each language the document has."""
    out: list[Unit] = []
    for p in doc.paragraphs:
        for lang, text in (("zh", p.text), ("en", p.en)):
            if not text:
                continue
            out.append(Unit(p.id, lang, text))
            if doc.field_of(p):
                out.append(Unit(p.id, lang, labelled(doc, p, lang, text)))
            sents = split_sentences(text)
            if len(sents) > 1:
                out.extend(Unit(p.id, lang, s) for s in sents)
    return out


@dataclass(frozen=True)
class LoadedIndex:
    manifest: Manifest
    index: object  # faiss.Index
    units: tuple[Unit, ...]
    path: Path


def _faiss():
    import faiss

    return faiss


def make_index(vectors: np.ndarray):
    """Exact inner product for small corpora; HNSW beyond FLAT_LIMIT vectors."""
    faiss = _faiss()
    n, dim = vectors.shape
    if n <= FLAT_LIMIT:
        index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 64
    index.add(vectors)
    return index


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Serialize builds of one index folder across processes."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        fh = open(root / ".lock", "a+")
    except OSError as e:
        raise IndexStateError(
            f"Cannot write the index to {root}: {e.strerror or e}. Make the folder writable or set "
            "RAG_INDEX_DIR to a writable folder."
        ) from e
    with fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def build(doc: Document, english_sha: str, embedder: Embedder, root: Path, batch: int = 256) -> LoadedIndex:
    """Embed the document's units and save them as a new build, then make it current."""
    units = units_for(doc)
    t0 = time.perf_counter()
    vecs = np.zeros((len(units), embedder.dim), dtype=np.float32)
    for i in range(0, len(units), batch):
        vecs[i : i + batch] = embedder.encode_passages([u.text for u in units[i : i + batch]])
    index = make_index(vecs)
    manifest = Manifest(
        FORMAT_VERSION, embedder.model_id, embedder.dim, doc.sha256, english_sha, PARSER_VERSION,
        time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), len(units), type(index).__name__,
        units_digest(units),
    )
    path = save(root, manifest, index, units)
    log.info("built index of %d vectors for %s in %.2fs at %s", len(units), doc.name, time.perf_counter() - t0, path)
    return LoadedIndex(manifest, index, tuple(units), path)


def save(root: Path, manifest: Manifest, index, units: Sequence[Unit]) -> Path:
    faiss = _faiss()
    root = Path(root)
    builds = root / "builds"
    try:
        builds.mkdir(parents=True, exist_ok=True)
        name = f"{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}-{os.getpid()}-{os.urandom(3).hex()}"
        tmp = builds / (name + ".tmp")
        tmp.mkdir()
        faiss.write_index(index, str(tmp / "vectors.faiss"))
        with open(tmp / "units.jsonl", "w", encoding="utf-8") as fh:
            for u in units:
                fh.write(json.dumps({"pid": u.pid, "lang": u.lang, "text": u.text}, ensure_ascii=False) + "\n")
        (tmp / "manifest.json").write_text(json.dumps(manifest.__dict__, indent=2) + "\n", encoding="utf-8")
        for f in tmp.iterdir():
            _fsync(f)
        final = builds / name
        os.rename(tmp, final)
        pointer = root / f"CURRENT.{name}.tmp"
        pointer.write_text(name + "\n", encoding="utf-8")
        _fsync(pointer)
        os.replace(pointer, root / "CURRENT")
    except OSError as e:
        raise IndexStateError(
            f"Cannot write the index to {root}: {e.strerror or e}. Make the folder writable or set "
            "RAG_INDEX_DIR to a writable folder."
        ) from e
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
    faiss = _faiss()
    root = Path(root)
    try:
        name = (root / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise IndexStateError(f"no index in {root}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise IndexStateError(f"cannot read {root / 'CURRENT'}: {e}") from e
    path = root / "builds" / name
    if not name or "/" in name or not path.is_dir():
        raise IndexStateError(f"{root / 'CURRENT'} names a build that does not exist ({name!r})")
    try:
        raw = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        manifest = Manifest(**raw)
    except (OSError, ValueError, TypeError) as e:
        raise IndexStateError(f"the manifest {path / 'manifest.json'} is unreadable: {e}") from e
    try:
        units = tuple(Unit(**json.loads(line)) for line in open(path / "units.jsonl", encoding="utf-8"))
    except (OSError, ValueError, TypeError) as e:
        raise IndexStateError(f"the unit store {path / 'units.jsonl'} is unreadable: {e}") from e
    try:
        index = faiss.read_index(str(path / "vectors.faiss"), faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY)
    except RuntimeError as e:
        raise IndexStateError(f"the vector file {path / 'vectors.faiss'} is corrupt or truncated") from e
    if index.ntotal != len(units) or index.ntotal != manifest.count:
        raise IndexStateError(
            f"the index at {path} is inconsistent: {index.ntotal} vectors, {len(units)} units, "
            f"manifest says {manifest.count}"
        )
    if index.d != manifest.dim:
        raise IndexStateError(f"the vectors at {path} have dimension {index.d}, the manifest says {manifest.dim}")
    return LoadedIndex(manifest, index, units, path)


def file_sha256(path: Path | None) -> str:
    if path is None or not Path(path).exists():
        return ""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
