"""The FAISS index over a build's vectors, and the IVF machinery that sizes and tunes it.

The index type follows the corpus size. Up to FLAT_LIMIT vectors it is exact (IndexFlatIP,
2 KB a vector at 512 dimensions; one query scans at most 40 MB, about 2 ms on one core).
Beyond it, IVF over 8-bit scalar-quantized vectors: about 0.5 KB a vector, searching the
nprobe nearest of ~4*sqrt(n) lists, with nprobe the smallest that reaches TARGET_RECALL
(recall@10 against exact search) on queries made from the corpus (see make_index).
bench/scale.py measures this choice against exact search and the alternatives (HNSW with
SQ8, IVF with PQ) up to a million vectors; bench/RESULTS.md has the figures.
"""

from __future__ import annotations

import logging
import math
import os
import sys
import time
from pathlib import Path
from typing import Iterator

import numpy as np

log = logging.getLogger(__name__)

FLAT_LIMIT = 20_000
TARGET_RECALL = 0.97  # the goal is 0.95; the margin covers questions unlike the calibration queries
CALIBRATION_QUERIES = 200
TRAIN_PER_LIST = 40  # k-means training points per IVF list (FAISS asks for at least 39)
CHUNK = 16_384  # vectors read back from the scratch file at a time (32 MB at 512 dimensions)
TIE = 1e-5  # a neighbour scoring the same as the exact k-th (a duplicate) counts as found


def import_faiss():
    """The faiss module, imported when an index is first made, saved or loaded."""
    import faiss

    return faiss


def progress_bar(total: int | None, desc: str, enabled: bool | None):
    """A tqdm bar on stderr counting vectors; `enabled=None` shows it only on a terminal."""
    from tqdm import tqdm  # here, not at the top: loading an index needs no bar and tqdm takes ~80 ms to import

    return tqdm(total=total, desc=desc, unit=" vectors", file=sys.stderr,
                disable=None if enabled is None else not enabled, mininterval=0.5, smoothing=0.05)


class VectorFile:
    """float32 rows appended to a raw scratch file and read back in chunks, so that a corpus
    larger than memory can be indexed."""

    def __init__(self, path: Path, dim: int):
        self.path, self.dim, self.n = Path(path), dim, 0
        self._fh = open(self.path, "w+b")

    def append(self, vectors: np.ndarray) -> None:
        """Add rows at the end of the file."""
        v = np.ascontiguousarray(vectors, dtype=np.float32)
        if v.ndim != 2 or v.shape[1] != self.dim:
            raise ValueError(f"expected vectors of dimension {self.dim}, got shape {v.shape}")
        self._fh.write(v.tobytes())
        self.n += len(v)

    def __len__(self) -> int:
        return self.n

    def chunk(self, start: int, stop: int) -> np.ndarray:
        """Rows start to stop, in one read."""
        self._fh.flush()
        out = np.empty((stop - start, self.dim), dtype=np.float32)
        self._fh.seek(start * self.dim * 4)
        if self._fh.readinto(memoryview(out).cast("B")) != out.nbytes:
            raise OSError(f"{self.path} is shorter than expected")
        return out

    def take(self, rows: np.ndarray) -> np.ndarray:
        """The given rows, in the given order, one read each."""
        self._fh.flush()
        out = np.empty((len(rows), self.dim), dtype=np.float32)
        row_bytes = self.dim * 4
        for j, r in enumerate(rows):
            out[j] = np.frombuffer(os.pread(self._fh.fileno(), row_bytes, int(r) * row_bytes), dtype=np.float32)
        return out

    def close(self) -> None:
        """Close the file and remove it."""
        self._fh.close()
        self.path.unlink(missing_ok=True)


class _ArrayVectors:
    """An in-memory array read through VectorFile's interface."""

    def __init__(self, x: np.ndarray):
        self.x = np.ascontiguousarray(x, dtype=np.float32)
        self.dim = self.x.shape[1]

    def __len__(self) -> int:
        return len(self.x)

    def chunk(self, start: int, stop: int) -> np.ndarray:
        return self.x[start:stop]

    def take(self, rows: np.ndarray) -> np.ndarray:
        return self.x[rows]


def _chunks(src) -> Iterator[np.ndarray]:
    """The source's vectors in order, CHUNK rows at a time."""
    n = len(src)
    for start in range(0, n, CHUNK):
        yield src.chunk(start, min(n, start + CHUNK))


def ivf_lists(n: int) -> int:
    """About 4*sqrt(n) lists, with enough training points for each."""
    return max(1, min(int(4 * math.sqrt(n)), n // 39))


def make_index(vectors, progress: bool | None = False):
    """Exact inner product up to FLAT_LIMIT vectors; beyond, IVF with 8-bit scalar quantization
    (`IVF<nlist>,SQ8`), trained on a random sample, with nprobe calibrated to TARGET_RECALL.

    `vectors` is a float32 array, or a VectorFile for a corpus that should not be in memory.
    """
    src = vectors if isinstance(vectors, VectorFile) else _ArrayVectors(vectors)
    if len(src) <= FLAT_LIMIT:
        index = import_faiss().IndexFlatIP(src.dim)
        for x in _chunks(src):
            index.add(x)
        return index
    return _ivf_index(src, progress)


def _ivf_index(src, progress: bool | None):
    """An IVF,SQ8 index over all of `src`, trained and calibrated on samples of it."""
    faiss = import_faiss()
    n, nlist = len(src), ivf_lists(len(src))
    index = faiss.index_factory(src.dim, f"IVF{nlist},SQ8", faiss.METRIC_INNER_PRODUCT)
    rng = np.random.default_rng(0)
    t0 = time.perf_counter()
    index.train(src.take(np.sort(rng.choice(n, size=min(n, TRAIN_PER_LIST * nlist), replace=False))))
    log.info("trained %d IVF lists in %.1fs", nlist, time.perf_counter() - t0)
    queries = _calibration_queries(src, rng)
    kth = _add_finding_kth(index, src, queries, progress)
    index.make_direct_map()  # reconstruct(id): the engine reuses stored vectors to rank sentences
    index.nprobe = calibrate_nprobe(index, queries, kth, src)
    log.info("IVF%d,SQ8 over %d vectors: nprobe %d", nlist, n, index.nprobe)
    return index


def _calibration_queries(src, rng: np.random.Generator) -> np.ndarray:
    """Midpoints of random pairs of the corpus's own vectors, normalized.

    A question sits between the passages it touches, off the corpus's clusters; so do
    midpoints, and they need a larger nprobe than the corpus vectors themselves would.
    """
    n = len(src)
    queries = src.take(rng.integers(0, n, CALIBRATION_QUERIES)) + src.take(rng.integers(0, n, CALIBRATION_QUERIES))
    queries /= np.maximum(np.linalg.norm(queries, axis=1, keepdims=True), 1e-12)
    return queries


def _add_finding_kth(index, src, queries: np.ndarray, progress: bool | None) -> np.ndarray:
    """Add all of `src` to the index and, in the same pass over the vectors, find each query's
    exact k-th best score (k = 10)."""
    n = len(src)
    k = min(n, 10)
    best = np.full((len(queries), k), -np.inf, dtype=np.float32)  # exact top-k scores, unordered
    with progress_bar(n, "indexing", progress) as bar:
        for x in _chunks(src):
            index.add(x)
            s = np.hstack([best, queries @ x.T])
            best = -np.partition(-s, k - 1, axis=1)[:, :k]
            bar.update(len(x))
    return best.min(axis=1)


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
