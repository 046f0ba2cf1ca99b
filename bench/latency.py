"""Warm `ask` latency: through the Python API (split into embed, search and answer) and
through HTTP (gradio_client against a running `app.py`), each against its floor.

    .venv/bin/python bench/latency.py [--rounds 5] [--questions 40] [--no-http]

Floors, measured in the same run and interleaved with the figure they bound:
- Python API: encoding the question alone (`embedder.encode_queries([q])`), the one step
  an answer cannot skip. Goal: p50 of `ask` at most twice this floor. Also shown against
  encoding it with both models (the second one, rag.retrieve.second, orders the candidates),
  which every answer now needs; the second model is timed past its memo of recent questions,
  so every question is encoded as a new one would be.
- HTTP: the same question through the Python API in this process.

The split: `embed` is time inside the embedder (the question's vector, and any answer
sentences not found in the index), `search` is the rest of retrieval (dense search, BM25,
fusion, the abstention model), of which `faiss` is the vector search alone, and `answer` is
everything else in `ask` (cleaning the question, choosing and citing sentences).
The first round warms caches and is not counted.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, free_port, header, ms, pct, proc_mem, questions, rest_call, stop, table, wait_for_port  # noqa: E402


class Timed:
    """Adds the time spent in the wrapped callable to a shared clock."""

    def __init__(self, fn, clock: dict, key: str):
        self.fn, self.clock, self.key = fn, clock, key

    def __call__(self, *a, **k):
        t = time.perf_counter()
        try:
            return self.fn(*a, **k)
        finally:
            self.clock[self.key] += time.perf_counter() - t


class TimedEmbedder:
    def __init__(self, inner, clock: dict):
        self.inner, self.model_id, self.dim = inner, inner.model_id, inner.dim
        self.encode_queries = Timed(inner.encode_queries, clock, "embed")
        self.encode_passages = Timed(inner.encode_passages, clock, "embed")


def python_api(engine, qs: list[str], rounds: int) -> dict[str, list[float]]:
    clock = {"embed": 0.0, "search": 0.0, "faiss": 0.0}
    raw_embedder = engine.embedder
    timed = TimedEmbedder(raw_embedder, clock)
    engine.embedder = engine.retriever.embedder = timed
    engine.retriever.search = Timed(engine.retriever.search, clock, "search")
    engine.retriever.dense_scores = Timed(engine.retriever.dense_scores, clock, "faiss")
    second = engine.retriever.second
    inner = getattr(second.model, "inner", second.model) if second else None  # past its memo
    if second:
        engine.retriever.second = replace(second, model=TimedEmbedder(inner, clock))
    out: dict[str, list[float]] = {k: [] for k in ("floor", "both", "total", "embed", "search", "faiss", "answer")}
    for r in range(rounds + 1):
        for q in qs:
            t = time.perf_counter()
            raw_embedder.encode_queries([q])
            floor = time.perf_counter() - t
            if inner:
                inner.encode_queries([q])
            both = time.perf_counter() - t
            for k in clock:
                clock[k] = 0.0
            t = time.perf_counter()
            engine.ask(q)
            total = time.perf_counter() - t
            if r == 0:
                continue  # warm-up
            out["floor"].append(floor)
            out["both"].append(both)
            out["total"].append(total)
            out["embed"].append(clock["embed"])
            out["faiss"].append(clock["faiss"])
            out["search"].append(clock["search"] - clock["embed"])  # retrieval less its embedding
            out["answer"].append(total - clock["search"])
    engine.embedder = engine.retriever.embedder = raw_embedder
    engine.retriever.second = second
    del engine.retriever.search, engine.retriever.dense_scores
    return out


def http(engine, qs: list[str], rounds: int, index_dir: Path) -> tuple[dict[str, list[float]], dict] | None:
    """The questions over HTTP, after the same questions through the Python API in this process.
    Not interleaved: on two cores, a call right after the server answered would compete with
    the server's threads winding down, and measure that instead."""
    app = ROOT / "app.py"
    if not app.exists():
        print("HTTP: skipped, app.py is not there yet.\n")
        return None
    try:
        from gradio_client import Client
    except ImportError:
        print("HTTP: skipped, gradio_client is not installed (pip install gradio_client).\n")
        return None
    out: dict[str, list[float]] = {"python": [], "http": [], "rest": []}
    for r in range(rounds + 1):
        for q in qs:
            t = time.perf_counter()
            engine.ask(q)
            if r:
                out["python"].append(time.perf_counter() - t)
    port = free_port()
    env = dict(os.environ, RAG_INDEX_DIR=str(index_dir), GRADIO_ANALYTICS_ENABLED="False")
    log = tempfile.TemporaryFile()  # not a pipe: a full pipe would stall the app
    proc = subprocess.Popen([sys.executable, str(app), "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=log)
    try:
        if not wait_for_port(port, 120, proc):
            log.seek(0)
            err = log.read().decode(errors="replace")[-2000:]
            print(f"HTTP: skipped, app.py did not serve on port {port}. {err}\n")
            return None
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        for r in range(rounds + 1):
            for q in qs:
                t = time.perf_counter()
                client.predict(q, api_name="/ask")
                h = time.perf_counter() - t
                t = time.perf_counter()
                rest_call(port, q)
                rest = time.perf_counter() - t
                if r:
                    out["http"].append(h)
                    out["rest"].append(rest)
        mem = proc_mem(proc.pid)
        if hasattr(client, "close"):
            client.close()
        return out, mem
    finally:
        stop(proc, 10)
        log.close()


def row(name: str, xs: list[float], floor: list[float] | None = None) -> list[str]:
    ratio = f"{pct(xs, 50) / pct(floor, 50):.2f}×" if floor else ""
    return [name, ms(pct(xs, 50)), ms(pct(xs, 95)), ratio]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5, help="timed passes over the questions (after one warm-up)")
    ap.add_argument("--questions", type=int, default=40, help="how many evaluation questions to use")
    ap.add_argument("--index-dir", help="index folder (default: a fresh temporary one)")
    ap.add_argument("--no-http", action="store_true")
    args = ap.parse_args()

    from rag.config import Config
    from rag.engine import Engine

    tmp = tempfile.TemporaryDirectory(prefix="rag-bench-")
    index_dir = Path(args.index_dir) if args.index_dir else Path(tmp.name) / "index"
    engine = Engine.open(Config.from_env(index_dir=index_dir))
    qs = questions(args.questions)
    header("Warm ask latency")
    print(f"{len(qs)} evaluation questions (English and Chinese) × {args.rounds} rounds, after one warm-up round; "
          f"index: {engine.loaded.manifest.count} vectors, {engine.loaded.manifest.index_type}.\n")
    t = python_api(engine, qs, args.rounds)
    print("### Python API (`Engine.ask`), milliseconds\n")
    print(table(["step", "p50 ms", "p95 ms", "p50 vs floor"], [
        row("floor: encode the question alone", t["floor"]),
        row("floor: encode it with both models", t["both"], t["floor"]),
        row("**ask, total**", t["total"], t["floor"]),
        row("**ask, total**, against the second floor", t["total"], t["both"]),
        row("· embed", t["embed"], t["floor"]),
        row("· search (retrieval less embed)", t["search"]),
        row("  · of which vector search", t["faiss"]),
        row("· answer (compose, cite)", t["answer"]),
    ]))
    verdict = "met" if pct(t["total"], 50) <= 2 * pct(t["floor"], 50) else "missed"
    print(f"\nGoal p50 ≤ 2× floor: {verdict} ({pct(t['total'], 50) / pct(t['floor'], 50):.2f}×; "
          f"{pct(t['total'], 50) / pct(t['both'], 50):.2f}× encoding with both models).\n")
    if not args.no_http:
        res = http(engine, qs, args.rounds, index_dir)
        if res:
            h, mem = res
            print("### HTTP (gradio_client `Client.predict(q, api_name=\"/ask\")` against `app.py`), milliseconds\n")
            print(table(["path", "p50 ms", "p95 ms", "p50 vs floor"], [
                row("floor: the same question through the Python API", h["python"]),
                row("**HTTP /ask via gradio_client**", h["http"], h["python"]),
                row("HTTP /ask, plain REST (POST /gradio_api/call/ask, then read its event stream)", h["rest"],
                    h["python"]),
            ]))
            print(f"\nHTTP overhead at p50: {ms(pct(h['http'], 50) - pct(h['python'], 50))} ms. "
                  f"app.py resident memory after these requests: {mem['VmRSS'] / 2**20:.0f} MiB "
                  f"(peak {mem['VmHWM'] / 2**20:.0f} MiB).\n")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
