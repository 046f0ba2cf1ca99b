"""The vector index on disk: build, save atomically, load, and check that it is current.

Layout of the index folder:

    index/CURRENT                        name of the build in use, replaced atomically
    index/builds/<name>/manifest.json
    index/builds/<name>/vectors.faiss    inner product over normalized vectors (see make_index)
    index/builds/<name>/units.sqlite     one row per vector (rowid = vector id): its text
    index/builds/<name>/unit_para.npy    int32 per vector: position of its paragraph
    index/builds/<name>/unit_lang.npy    uint8 per vector: 0 Chinese, 1 English
    index/builds/<name>/unit_kind.npy    uint8 per vector: 0 the document's text, 1 a question it answers

A build is written to a fresh folder and only then named in CURRENT, so a crash in the
middle of a build leaves the previous index in use. Builds are serialized with a file lock.

Loading parses nothing in proportion to the corpus: the vectors and the two arrays are
memory-mapped (FAISS maps flat and IVF indexes without a copy), and a unit's text is read
from SQLite when it is needed. Processes serving one build share it through the page cache.
Building streams: texts are embedded a batch at a time, and the vectors wait in a scratch
file until the index is made, so memory does not grow with the corpus (see build_units).
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import logging
import math
import os
import shutil
import sqlite3
import sys
import threading
import time
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from .document import Document, Lang
from .embed import Embedder
from .errors import IndexStateError
from .parse import PARSER_VERSION
from .text import split_sentences

log = logging.getLogger(__name__)

FORMAT_VERSION = 3
# The index type follows the corpus size. Up to FLAT_LIMIT vectors it is exact (IndexFlatIP,
# 2 KB a vector at 512 dimensions; one query scans at most 40 MB, about 2 ms on one core).
# Beyond it, IVF over 8-bit scalar-quantized vectors: about 0.5 KB a vector, searching the
# nprobe nearest of ~4*sqrt(n) lists, with nprobe the smallest that reaches TARGET_RECALL
# (recall@10 against exact search) on queries made from the corpus (see make_index).
# bench/scale.py measures this choice against exact search and the alternatives (HNSW with
# SQ8, IVF with PQ) up to a million vectors; bench/RESULTS.md has the figures.
FLAT_LIMIT = 20_000
TARGET_RECALL = 0.97  # the goal is 0.95; the margin covers questions unlike the calibration queries
CALIBRATION_QUERIES = 200
TRAIN_PER_LIST = 40  # k-means training points per IVF list (FAISS asks for at least 39)
CHUNK = 16_384  # vectors read back from the scratch file at a time (32 MB at 512 dimensions)
TIE = 1e-5  # a neighbour scoring the same as the exact k-th (a duplicate) counts as found
LANGS: tuple[Lang, ...] = ("zh", "en")  # unit_lang.npy holds positions in this tuple
KINDS = ("text", "question")  # unit_kind.npy holds positions in this tuple
UNITS_DB = "units.sqlite"


@dataclass(frozen=True)
class Unit:
    """One embedded piece of text: a whole paragraph or one of its sentences, in one language;
    or (kind "question") a question the paragraph answers, from the aligned edition."""

    pid: str
    lang: Lang
    text: str
    kind: str = "text"


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
    search_params: str = ""  # FAISS search parameters set on load, e.g. "nprobe=16"

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
    "dateline": ("电头，发布日期，印发时间，发稿时间和地点，发布媒体：",
                 "Dateline, date issued, when and where published, by which news agency: "),
    "issuer": ("发文机关，发布单位，印发部门：", "Issued by, issuing authority, department: "),
    "number": ("文号，发文字号：", "Document number: "),
    "addressee": ("主送机关，发给：", "Addressed to: "),
}


def labelled(doc: Document, p, lang: Lang, text: str) -> str:
    """The text of a paragraph as indexed: header lines carry their field's name."""
    label = FIELD_LABELS.get(doc.field_of(p))
    return (label[0] if lang == "zh" else label[1]) + text if label else text


def units_digest(units: Sequence[Unit]) -> str:
    h = hashlib.sha256()
    for u in units:
        h.update(f"{u.pid}\t{u.lang}\t{u.kind}\t{u.text}\n".encode("utf-8"))
    return h.hexdigest()


def units_for(doc: Document) -> list[Unit]:
    """Paragraphs and their sentences, in each language the document has, and the questions
    each paragraph answers."""
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
        for lang, questions in (("zh", p.questions_zh), ("en", p.questions_en)):
            out.extend(Unit(p.id, lang, q, "question") for q in questions)
    return out


def _unit_key(lang: str, text: str) -> int:
    """A 64-bit key for (language, text): the unit store's lookup index holds this, not the text."""
    digest = hashlib.blake2b(f"{lang}\0{text}".encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


class UnitStore(Sequence):
    """The units of a build by vector id, read on demand.

    `para` (position of each unit's paragraph in `paragraph_ids()`) and `lang` (index into
    LANGS) are memory-mapped arrays; texts stay in SQLite until asked for. One connection,
    opened read-only and immutable, is shared by the threads of an Engine under a lock.
    """

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.para = np.load(self.folder / "unit_para.npy", mmap_mode="r")
        self.lang = np.load(self.folder / "unit_lang.npy", mmap_mode="r")
        self.kind = np.load(self.folder / "unit_kind.npy", mmap_mode="r")
        db = self.folder / UNITS_DB
        if not db.is_file():
            raise FileNotFoundError(2, "No such file", str(db))
        self._db = sqlite3.connect(db.resolve().as_uri() + "?mode=ro&immutable=1", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._pids: tuple[str, ...] | None = None
        # max(rowid) is a lookup, not a scan: this check costs the same at any size.
        rows = self._query("SELECT coalesce(max(id) + 1, 0), (SELECT coalesce(max(pos) + 1, 0) FROM paragraphs) "
                           "FROM units")[0]
        n = len(self.para)
        if not (rows[0] == n == len(self.lang) == len(self.kind)) or (n and int(self.para.max()) >= rows[1]):
            raise ValueError(f"{rows[0]} texts, {n} paragraph positions, {len(self.lang)} languages and "
                             f"{len(self.kind)} kinds disagree")

    def _query(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def __len__(self) -> int:
        return len(self.para)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        i = range(len(self))[i]  # negative indices, and IndexError past the end
        return Unit(self.pid(int(self.para[i])), LANGS[int(self.lang[i])], self.text(i), KINDS[int(self.kind[i])])

    def __iter__(self) -> Iterator[Unit]:
        pids = self.paragraph_ids()
        for start in range(0, len(self), 4096):
            rows = self._query("SELECT id, text FROM units WHERE id >= ? AND id < ? ORDER BY id", (start, start + 4096))
            for i, text in rows:
                yield Unit(pids[int(self.para[i])], LANGS[int(self.lang[i])], text, KINDS[int(self.kind[i])])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"UnitStore({len(self)} units in {self.folder})"

    def text(self, i: int) -> str:
        rows = self._query("SELECT text FROM units WHERE id = ?", (int(i),))
        if not rows:
            raise IndexStateError(f"the unit store in {self.folder} has no text for unit {i}; run `rag build`")
        return rows[0][0]

    @property
    def texts(self) -> Sequence:
        """The texts as a read-only sequence, each read when indexed."""
        return _Texts(self)

    def pid(self, pos: int) -> str:
        if self._pids is not None:
            return self._pids[pos]
        rows = self._query("SELECT pid FROM paragraphs WHERE pos = ?", (int(pos),))
        if not rows:
            raise IndexStateError(f"the unit store in {self.folder} has no paragraph {pos}; run `rag build`")
        return rows[0][0]

    def paragraph_ids(self) -> tuple[str, ...]:
        if self._pids is None:
            self._pids = tuple(r[0] for r in self._query("SELECT pid FROM paragraphs ORDER BY pos"))
        return self._pids

    def paragraph_positions(self, ids: Sequence[str]) -> np.ndarray:
        """For each unit, the position of its paragraph in `ids` (the document's paragraphs)."""
        stored = self.paragraph_ids()
        if tuple(ids[: len(stored)]) == stored:
            return self.para
        pos = {pid: i for i, pid in enumerate(ids)}
        missing = [pid for pid in stored if pid not in pos]
        if missing:
            raise IndexStateError(f"the index in {self.folder} has paragraphs the document lacks "
                                  f"({', '.join(missing[:3])}); run `rag build`")
        return np.array([pos[pid] for pid in stored], dtype=np.int32)[self.para]

    def rows_of(self, lang: str, texts: Sequence[str]) -> list[int | None]:
        """The vector id of each (lang, text) unit of the document's text, or None where there is none."""
        want = LANGS.index(lang) if lang in LANGS else -1
        out: list[int | None] = []
        for t in texts:
            rows = self._query("SELECT id, text FROM units WHERE key = ?", (_unit_key(lang, t),))
            out.append(next((i for i, s in rows if s == t and int(self.lang[i]) == want and not self.kind[i]), None))
        return out


class _Texts(Sequence):
    def __init__(self, store: UnitStore):
        self._store = store

    def __len__(self) -> int:
        return len(self._store)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return self._store.text(range(len(self))[i])


class _UnitWriter:
    """Writes units as they stream in; paragraphs get positions in order of first appearance."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.db = sqlite3.connect(folder / UNITS_DB)
        self.db.execute("PRAGMA journal_mode = OFF")  # a fresh file in a scratch folder: nothing to roll back to
        self.db.execute("PRAGMA synchronous = OFF")  # fsynced once, with the rest of the build
        self.db.execute("CREATE TABLE paragraphs (pos INTEGER PRIMARY KEY, pid TEXT NOT NULL)")
        self.db.execute("CREATE TABLE units (id INTEGER PRIMARY KEY, key INTEGER NOT NULL, text TEXT NOT NULL)")
        self.pos: dict[str, int] = {}
        self.para = array("i")
        self.lang = bytearray()
        self.kind = bytearray()

    def add(self, units: Sequence[Unit]) -> None:
        new, rows = [], []
        for u in units:
            if u.pid not in self.pos:
                self.pos[u.pid] = len(self.pos)
                new.append((self.pos[u.pid], u.pid))
            rows.append((len(self.para), _unit_key(u.lang, u.text), u.text))
            self.para.append(self.pos[u.pid])
            self.lang.append(LANGS.index(u.lang))
            self.kind.append(KINDS.index(u.kind))
        self.db.executemany("INSERT INTO paragraphs VALUES (?, ?)", new)
        self.db.executemany("INSERT INTO units VALUES (?, ?, ?)", rows)

    def close(self) -> int:
        self.db.execute("CREATE INDEX units_key ON units (key)")  # after the inserts: faster than during
        self.db.commit()
        self.db.close()
        np.save(self.folder / "unit_para.npy", np.frombuffer(self.para, dtype=np.int32) if self.para
                else np.zeros(0, np.int32))
        np.save(self.folder / "unit_lang.npy", np.frombuffer(bytes(self.lang), dtype=np.uint8))
        np.save(self.folder / "unit_kind.npy", np.frombuffer(bytes(self.kind), dtype=np.uint8))
        return len(self.para)


@dataclass(frozen=True)
class LoadedIndex:
    manifest: Manifest
    index: object  # faiss.Index
    units: UnitStore  # a Sequence[Unit] by vector id
    path: Path


def _faiss():
    import faiss

    return faiss


class VectorFile:
    """float32 rows appended to a raw scratch file and read back in chunks, so that a corpus
    larger than memory can be indexed."""

    def __init__(self, path: Path, dim: int):
        self.path, self.dim, self.n = Path(path), dim, 0
        self._fh = open(self.path, "w+b")

    def append(self, vectors: np.ndarray) -> None:
        v = np.ascontiguousarray(vectors, dtype=np.float32)
        if v.ndim != 2 or v.shape[1] != self.dim:
            raise ValueError(f"expected vectors of dimension {self.dim}, got shape {v.shape}")
        self._fh.write(v.tobytes())
        self.n += len(v)

    def __len__(self) -> int:
        return self.n

    def chunk(self, start: int, stop: int) -> np.ndarray:
        self._fh.flush()
        out = np.empty((stop - start, self.dim), dtype=np.float32)
        self._fh.seek(start * self.dim * 4)
        if self._fh.readinto(memoryview(out).cast("B")) != out.nbytes:
            raise OSError(f"{self.path} is shorter than expected")
        return out

    def take(self, rows: np.ndarray) -> np.ndarray:
        self._fh.flush()
        out = np.empty((len(rows), self.dim), dtype=np.float32)
        row_bytes = self.dim * 4
        for j, r in enumerate(rows):
            out[j] = np.frombuffer(os.pread(self._fh.fileno(), row_bytes, int(r) * row_bytes), dtype=np.float32)
        return out

    def close(self) -> None:
        self._fh.close()
        self.path.unlink(missing_ok=True)


class _ArrayVectors:
    def __init__(self, x: np.ndarray):
        self.x = np.ascontiguousarray(x, dtype=np.float32)
        self.dim = self.x.shape[1]

    def __len__(self) -> int:
        return len(self.x)

    def chunk(self, start: int, stop: int) -> np.ndarray:
        return self.x[start:stop]

    def take(self, rows: np.ndarray) -> np.ndarray:
        return self.x[rows]


def ivf_lists(n: int) -> int:
    """About 4*sqrt(n) lists, with enough training points for each."""
    return max(1, min(int(4 * math.sqrt(n)), n // 39))


def make_index(vectors, progress: bool | None = False):
    """Exact inner product up to FLAT_LIMIT vectors; beyond, IVF with 8-bit scalar quantization
    (`IVF<nlist>,SQ8`), trained on a random sample, with nprobe calibrated to TARGET_RECALL.

    `vectors` is a float32 array, or a VectorFile for a corpus that should not be in memory.
    """
    faiss = _faiss()
    src = vectors if isinstance(vectors, VectorFile) else _ArrayVectors(vectors)
    n, dim = len(src), src.dim
    if n <= FLAT_LIMIT:
        index = faiss.IndexFlatIP(dim)
        for start in range(0, n, CHUNK):
            index.add(src.chunk(start, min(n, start + CHUNK)))
        return index
    nlist = ivf_lists(n)
    index = faiss.index_factory(dim, f"IVF{nlist},SQ8", faiss.METRIC_INNER_PRODUCT)
    rng = np.random.default_rng(0)
    t0 = time.perf_counter()
    index.train(src.take(np.sort(rng.choice(n, size=min(n, TRAIN_PER_LIST * nlist), replace=False))))
    log.info("trained %d IVF lists in %.1fs", nlist, time.perf_counter() - t0)
    # Calibration queries: midpoints of random pairs of the corpus's own vectors. A question
    # sits between the passages it touches, off the corpus's clusters; so do midpoints, and
    # they need a larger nprobe than the corpus vectors themselves would.
    queries = src.take(rng.integers(0, n, CALIBRATION_QUERIES)) + src.take(rng.integers(0, n, CALIBRATION_QUERIES))
    queries /= np.maximum(np.linalg.norm(queries, axis=1, keepdims=True), 1e-12)
    k = min(n, 10)
    best = np.full((len(queries), k), -np.inf, dtype=np.float32)  # exact top-k scores, unordered
    bar = _progress(n, "indexing", progress)
    for start in range(0, n, CHUNK):
        x = src.chunk(start, min(n, start + CHUNK))
        index.add(x)
        # The exact neighbours of the calibration queries, from the same pass over the vectors.
        s = np.hstack([best, queries @ x.T])
        best = -np.partition(-s, k - 1, axis=1)[:, :k]
        bar.update(len(x))
    bar.close()
    index.make_direct_map()  # reconstruct(id): the engine reuses stored vectors to rank sentences
    index.nprobe = calibrate_nprobe(index, queries, best.min(axis=1), src)
    log.info("IVF%d,SQ8 over %d vectors: nprobe %d", nlist, n, index.nprobe)
    return index


def recall_at(found: np.ndarray, truth: np.ndarray, k: int = 10) -> float:
    """Share of the true top k (exact search) found in the approximate top k."""
    total = 0.0
    for f, t in zip(found, truth):
        t = set(t[:k].tolist())
        total += len(t & set(f[:k].tolist())) / max(1, len(t))
    return total / max(1, len(found))


def calibrate_nprobe(index, queries: np.ndarray, kth: np.ndarray, src) -> int:
    """The smallest power-of-two nprobe whose recall@10 reaches TARGET_RECALL.

    Recall counts a returned vector whose exact score is at least the exact k-th best (`kth`,
    less float rounding): with duplicates in the corpus, which of several equal vectors comes
    back is arbitrary, and counting ids could never reach the target.
    """
    nprobe = 1
    while nprobe < index.nlist:
        index.nprobe = nprobe
        _, found = index.search(queries, 10)
        exact = np.einsum("qd,qkd->qk", queries, src.take(np.maximum(found, 0).ravel()).reshape(*found.shape, -1))
        if float(np.mean((exact >= kth[:, None] - TIE) & (found >= 0))) >= TARGET_RECALL:
            return nprobe
        nprobe *= 2
    return index.nlist


def search_params(index) -> str:
    """The FAISS search parameters that load() must set again, as ParameterSpace reads them."""
    if hasattr(index, "nprobe") and hasattr(index, "nlist"):
        return f"nprobe={index.nprobe}"
    hnsw = getattr(index, "hnsw", None)
    return f"efSearch={hnsw.efSearch}" if hnsw is not None else ""


class _LineProgress:
    """A bare progress line, for when tqdm is not installed."""

    def __init__(self, total: int | None, desc: str, enabled: bool):
        self.total, self.desc, self.enabled, self.n, self.last = total, desc, enabled, 0, 0.0

    def update(self, k: int) -> None:
        self.n += k
        if self.enabled and time.monotonic() - self.last > 1:
            self.last = time.monotonic()
            of = f"/{self.total}" if self.total else ""
            print(f"\r{self.desc}: {self.n}{of}", end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.enabled:
            print(f"\r{self.desc}: {self.n} done", file=sys.stderr, flush=True)


def _progress(total: int | None, desc: str, enabled: bool | None):
    """A progress bar on stderr; `enabled=None` shows it only on a terminal."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    try:
        from tqdm import tqdm
    except ImportError:
        return _LineProgress(total, desc, enabled)
    return tqdm(total=total, desc=desc, unit=" vectors", file=sys.stderr, disable=not enabled,
                mininterval=0.5, smoothing=0.05)


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Serialize builds of one index folder across processes (filelock: any OS)."""
    from filelock import FileLock

    try:
        root.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(root / ".lock"))
        lock.acquire()
    except OSError as e:
        raise IndexStateError(
            f"Cannot write the index to {root}: {e.strerror or e}. Make the folder writable or set "
            "RAG_INDEX_DIR to a writable folder."
        ) from e
    try:
        yield
    finally:
        lock.release()


def build(doc: Document, english_sha: str, embedder: Embedder, root: Path, batch: int = 256,
          progress: bool | None = None) -> LoadedIndex:
    """Embed the document's units and save them as a new build, then make it current."""
    units = units_for(doc)
    manifest = Manifest(FORMAT_VERSION, embedder.model_id, embedder.dim, doc.sha256, english_sha, PARSER_VERSION,
                        "", 0, "", units_digest(units))
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
        store = _UnitWriter(tmp)
        vectors = VectorFile(tmp / "vectors.f32.tmp", embedder.dim)
        bar = _progress(total, "embedding", progress)
        it = iter(units)
        while chunk := list(itertools.islice(it, batch)):
            vectors.append(_encode(embedder, chunk))
            store.add(chunk)
            bar.update(len(chunk))
        bar.close()
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


def _write_error(root: Path, e: Exception) -> IndexStateError:
    why = getattr(e, "strerror", None) or e
    return IndexStateError(f"Cannot write the index to {root}: {why}. Make the folder writable or set "
                           "RAG_INDEX_DIR to a writable folder.")


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
    faiss = _faiss()
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
    if manifest.format_version != FORMAT_VERSION:
        raise IndexStateError(f"the index format changed (index has {manifest.format_version!r}, "
                              f"expected {FORMAT_VERSION})")
    try:
        units = UnitStore(path)
    except (OSError, ValueError, sqlite3.Error) as e:
        raise IndexStateError(f"the unit store in {path} is unreadable: {e}") from e
    # IO_FLAG_MMAP_IFC maps flat and IVF indexes without a copy (FAISS >= 1.11); the older
    # IO_FLAG_MMAP maps only IVF lists and copies a flat index into memory.
    mmap = getattr(faiss, "IO_FLAG_MMAP_IFC", faiss.IO_FLAG_MMAP)
    try:
        index = faiss.read_index(str(path / "vectors.faiss"), mmap | faiss.IO_FLAG_READ_ONLY)
        if manifest.search_params:
            faiss.ParameterSpace().set_index_parameters(index, manifest.search_params)
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
