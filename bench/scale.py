"""Vector search at a million paragraphs: the index rag builds against exact search and the
alternatives, on vectors with the structure of real embeddings.

    .venv/bin/python bench/scale.py [--n 1000000] [--skip hnsw,pq]

How the vectors are made (embedding a million real paragraphs takes over an hour here):
1. Base vectors are real USE embeddings (the bundled model) of the policy's text: every unit
   rag indexes (paragraphs and sentences, Chinese and English, header lines with their
   labels) and every clause of at least 6 characters (sentences cut at ，；：、,;:), deduplicated.
2. Each corpus vector is a random convex mixture of 2 or 3 distinct base vectors (weights
   from a flat Dirichlet), plus Gaussian noise of standard deviation --noise per dimension
   (0.01: a noise vector of norm ~0.23 against a mixture of norm ~0.8), then normalized.
   So vectors cluster around the document's topics and their blends, as paragraphs of a large
   corpus on the same subjects would; uniform random vectors would have no neighbourhoods.
3. Queries, never in the corpus: 200 held-out mixtures made the same way (another seed), and
   the project's real evaluation questions (eval/*.jsonl, English and Chinese) embedded as
   the app embeds a question.
Ground truth is exact inner-product search (IndexFlatIP) over the same vectors.

For each index type: build time; search p50/p95 one query at a time, as the app searches, with
FAISS on 1 and on 2 threads; recall@10 against exact; bytes per vector on disk; and, in a
fresh process that loads the file the way rag does (memory-mapped, IO_FLAG_MMAP_IFC), the load
time and the resident memory added by loading and by answering all the queries.
Candidates: `Flat` (exact), `rag` (what rag.index.make_index builds: IVF ~4*sqrt(n) lists,
SQ8, nprobe calibrated at build time), `HNSW32,SQ8`, and `IVF,PQ64` (64 bytes a vector).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
import tempfile
import time
from typing import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, header, pct, proc_mem, questions, table  # noqa: E402

CLAUSE = re.compile(r"[，；：、,;:]")


def base_vectors() -> tuple[np.ndarray, int]:
    from rag.config import Config
    from rag.embed import load_embedder
    from rag.engine import load_document
    from rag.index import units_for
    from rag.text import split_sentences

    doc = load_document(Config())
    units = units_for(doc)
    texts = {u.text for u in units}
    for u in units:
        for s in split_sentences(u.text):
            texts.update(c.strip() for c in CLAUSE.split(s) if len(c.strip()) >= 6)
    texts = sorted(texts)
    emb = load_embedder(Config().model)
    return emb.encode_passages(texts), len(units)


def question_vectors() -> np.ndarray:
    from rag.config import Config
    from rag.embed import load_embedder

    return load_embedder(Config().model).encode_queries(questions())


def mixtures(base: np.ndarray, n: int, noise: float, seed: int, chunk: int = 100_000) -> np.ndarray:
    """n normalized mixtures of 2-3 distinct base vectors plus Gaussian noise (see the docstring)."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, base.shape[1]), dtype=np.float32)
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        k = rng.choice((2, 3), size=m)
        idx = np.stack([rng.choice(len(base), size=3, replace=False) for _ in range(m)]) if m < 1000 else \
            _distinct(rng, len(base), m)
        w = rng.dirichlet(np.ones(3), size=m).astype(np.float32)
        w[k == 2, 2] = 0.0
        w /= w.sum(1, keepdims=True)
        x = np.einsum("mj,mjd->md", w, base[idx]) + noise * rng.standard_normal((m, base.shape[1]), dtype=np.float32)
        out[start : start + m] = x / np.linalg.norm(x, axis=1, keepdims=True)
    return out


def _distinct(rng, nbase: int, m: int) -> np.ndarray:
    """m rows of 3 distinct indices in [0, nbase)."""
    idx = rng.integers(0, nbase, size=(m, 3))
    while True:
        bad = (idx[:, 0] == idx[:, 1]) | (idx[:, 0] == idx[:, 2]) | (idx[:, 1] == idx[:, 2])
        if not bad.any():
            return idx
        idx[bad] = rng.integers(0, nbase, size=(int(bad.sum()), 3))


# -- the probe: a fresh process that loads an index as rag does and measures it ----------
PROBE = r"""
import json, sys, time
import numpy as np, faiss
path, qpath, params, timed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def mem():
    return {l.split(":")[0]: int(l.split()[1]) * 1024 for l in open("/proc/self/status") if l.startswith(("VmRSS", "VmHWM"))}
q = np.load(qpath)
m0 = mem()
t = time.perf_counter()
index = faiss.read_index(path, getattr(faiss, "IO_FLAG_MMAP_IFC", faiss.IO_FLAG_MMAP) | faiss.IO_FLAG_READ_ONLY)
if params:
    faiss.ParameterSpace().set_index_parameters(index, params)
load = time.perf_counter() - t
m1 = mem()
out = {"load_s": load, "rss_load": m1["VmRSS"] - m0["VmRSS"]}
found = index.search(q, 10)[1]  # all queries, batched: for recall, and to touch what queries touch
np.save(sys.argv[5], found)
for threads in (1, 2):
    faiss.omp_set_num_threads(threads)
    for k in (10, 256):
        ts = []
        for rep in range(2):
            for i in range(min(timed, len(q))):
                t = time.perf_counter()
                index.search(q[i : i + 1], k)
                if rep:
                    ts.append(time.perf_counter() - t)
        out[f"t{threads}_k{k}"] = ts
m2 = mem()
out["rss_queries"] = m2["VmRSS"] - m0["VmRSS"]
print(json.dumps(out))
"""


def probe(path: Path, queries: np.ndarray, params: str, timed: int) -> tuple[dict, np.ndarray]:
    with tempfile.TemporaryDirectory() as d:
        qpath, fpath = Path(d) / "q.npy", Path(d) / "found.npy"
        np.save(qpath, queries)
        r = subprocess.run([sys.executable, "-c", PROBE, str(path), str(qpath), params, str(timed), str(fpath)],
                           capture_output=True, text=True, cwd=ROOT)
        if r.returncode:
            raise RuntimeError(r.stderr[-2000:])
        return json.loads(r.stdout), np.load(fpath)


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    from rag.index import recall_at

    return recall_at(found, truth)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="corpus vectors")
    ap.add_argument("--noise", type=float, default=0.01, help="Gaussian noise per dimension")
    ap.add_argument("--timed", type=int, default=200, help="single queries timed per setting (Flat: at most 20)")
    ap.add_argument("--skip", default="", help="comma-separated candidates to leave out: flat,rag,hnsw,pq")
    ap.add_argument("--sweep", action="store_true", help="also sweep nprobe / efSearch")
    ap.add_argument("--work", help="scratch folder for the index files (default: a temporary one)")
    args = ap.parse_args()
    header(f"Vector search at {args.n:,} vectors")
    x, queries, truth = corpus(args.n, args.noise)
    work = tempfile.TemporaryDirectory(prefix="rag-scale-", dir=args.work)
    rows, sweeps = [], []
    for name, make, params in candidates(x, set(filter(None, args.skip.split(",")))):
        row, swept = measure(name, make, params, queries, truth, Path(work.name), args)
        rows.append(row)
        sweeps += swept
    print(table(["index", "build s", "search p50 / p95 ms (1 thread, k=10)", "p50 ms (2 threads)",
                 "p50 ms (1 thread, k=256)", "recall@10 synthetic", "recall@10 real questions",
                 "bytes/vector on disk", "resident bytes/vector after mmap load / after queries", "load s"], rows))
    if sweeps:
        print("\n### Search parameter sweep (1 thread, k=10)\n")
        print(table(["index", "setting", "p50 ms", "p95 ms", "recall@10 synthetic", "recall@10 real"], sweeps))
    print(f"\nPeak resident memory of this benchmark process: {proc_mem()['VmHWM'] / 2**30:.1f} GiB "
          f"(the corpus itself is {x.nbytes / 2**30:.1f} GiB of float32).")
    work.cleanup()
    return 0


def corpus(n: int, noise: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The n-vector corpus (mixtures of real vectors), the queries (200 held-out mixtures, then
    the real questions) and their exact top 10, with a note on how far apart they are."""
    import faiss

    t = time.perf_counter()
    base, nunits = base_vectors()
    qreal = question_vectors()
    x = mixtures(base, n, noise, seed=1)
    qsyn = mixtures(base, 200, noise, seed=2)
    queries = np.vstack([qsyn, qreal]).astype(np.float32)
    print(f"Base: {len(base)} real USE vectors ({nunits} indexed units of the policy, plus clauses); corpus: "
          f"{n:,} mixtures, noise σ={noise}; queries: {len(qsyn)} held-out mixtures and {len(qreal)} "
          f"real evaluation questions. Made in {time.perf_counter() - t:.0f} s.\n", flush=True)
    flat = faiss.IndexFlatIP(x.shape[1])
    flat.add(x)
    top, truth = flat.search(queries, 10)
    del flat
    print(f"Exact neighbours (cosine) of the synthetic queries: top-1 median {np.median(top[:200, 0]):.3f}, "
          f"10th median {np.median(top[:200, 9]):.3f}; of the real questions: top-1 median "
          f"{np.median(top[200:, 0]):.3f}, 10th {np.median(top[200:, 9]):.3f}. (Uniform random unit vectors in "
          f"512 dimensions would give about {math.sqrt(2 * math.log(n) / 512):.2f}.)\n", flush=True)
    return x, queries, truth


def candidates(x: np.ndarray, skip: set[str]) -> list[tuple[str, Callable, str | None]]:
    """(name, build function, search parameters; None: what rag's own index chooses)."""
    from rag import index as index_mod

    nlist = index_mod.ivf_lists(len(x))
    out: list[tuple[str, Callable, str | None]] = []
    if "flat" not in skip:
        out.append(("Flat (exact)", lambda: _flat(x), ""))
    if "rag" not in skip:
        out.append(("rag: " + ("Flat" if len(x) <= index_mod.FLAT_LIMIT else f"IVF{nlist},SQ8"),
                    lambda: index_mod.make_index(x, progress=True), None))
    if "hnsw" not in skip:
        out.append(("HNSW32,SQ8 (efConstruction 40, efSearch 64)", lambda: _factory(x, "HNSW32,SQ8"), "efSearch=64"))
    if "pq" not in skip:
        out.append((f"IVF{nlist},PQ64 (nprobe 32)", lambda: _factory(x, f"IVF{nlist},PQ64"), "nprobe=32"))
    return out


def measure(name: str, make: Callable, params: str | None, queries: np.ndarray, truth: np.ndarray,
            work: Path, args) -> tuple[list[str], list[list[str]]]:
    """Build one candidate, save it, and time it from a fresh process: its table row, and the
    sweep rows with --sweep."""
    import faiss

    from rag import index as index_mod

    print(f"building {name} …", file=sys.stderr, flush=True)
    t = time.perf_counter()
    index = make()
    build_s = time.perf_counter() - t
    if params is None:
        params = index_mod.search_params(index)
    path = work / "index.faiss"
    faiss.write_index(index, str(path))
    size = path.stat().st_size
    timed = min(args.timed, 20) if name.startswith("Flat") else args.timed
    res, found = probe(path, queries, params, timed)
    r_syn, r_real = recall(found[:200], truth[:200]), recall(found[200:], truth[200:])
    row = [name + (f" [{params}]" if params else ""), f"{build_s:.0f}",
           f"{pct(res['t1_k10'], 50) * 1e3:.2f} / {pct(res['t1_k10'], 95) * 1e3:.2f}",
           f"{pct(res['t2_k10'], 50) * 1e3:.2f}", f"{pct(res['t1_k256'], 50) * 1e3:.2f}",
           f"{r_syn:.3f}", f"{r_real:.3f}", f"{size / args.n:.0f}",
           f"{res['rss_load'] / args.n:.0f} / {res['rss_queries'] / args.n:.0f}", f"{res['load_s']:.3f}"]
    print(json.dumps({"candidate": name, "build_s": build_s, "recall_syn": r_syn, "recall_real": r_real,
                      "bytes": size, **{k: (pct(v, 50) if isinstance(v, list) else v) for k, v in res.items()}}),
          file=sys.stderr, flush=True)
    sweeps = []
    if args.sweep and (hasattr(index, "nprobe") or hasattr(index, "hnsw")):
        key = "nprobe" if hasattr(index, "nprobe") else "efSearch"
        for v in (4, 8, 16, 32, 64, 128, 256):
            res, found = probe(path, queries, f"{key}={v}", min(args.timed, 100))
            sweeps.append([name.split(" (")[0], f"{key}={v}", f"{pct(res['t1_k10'], 50) * 1e3:.2f}",
                           f"{pct(res['t1_k10'], 95) * 1e3:.2f}", f"{recall(found[:200], truth[:200]):.3f}",
                           f"{recall(found[200:], truth[200:]):.3f}"])
    del index
    path.unlink()
    return row, sweeps


def _flat(x: np.ndarray):
    import faiss

    index = faiss.IndexFlatIP(x.shape[1])
    index.add(x)
    return index


def _factory(x: np.ndarray, spec: str):
    import faiss

    index = faiss.index_factory(x.shape[1], spec, faiss.METRIC_INNER_PRODUCT)
    if not index.is_trained:
        rng = np.random.default_rng(0)
        nlist = getattr(faiss.extract_index_ivf(index), "nlist", 1) if "IVF" in spec else 1
        sample = np.sort(rng.choice(len(x), size=min(len(x), max(65_536, 40 * nlist)), replace=False))
        index.train(x[sample])
    for start in range(0, len(x), 65_536):
        index.add(x[start : start + 65_536])
    return index


if __name__ == "__main__":
    sys.exit(main())
