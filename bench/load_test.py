"""Concurrent users against the running app, through its HTTP API (gradio_client).

    .venv/bin/python bench/load_test.py [--users 32] [--questions 20]

Starts `app.py` on a free loopback port, asks every question once serially for the expected
answers, then runs USERS concurrent sessions (a fresh Client each, as separate browsers
would be) of QUESTIONS questions each. Every answer must equal the expected JSON exactly:
an error, a timeout or a different answer counts as a failure. Prints p50/p95 latency and the
throughput. Requests stay on 127.0.0.1 and the run is bounded in count and time.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, free_port, header, ms, pct, questions, table  # noqa: E402


@dataclass(frozen=True)
class Result:
    latencies: tuple[float, ...]
    errors: tuple[str, ...]
    wall: float


def run_load(url: str, qs: list[str], users: int, per_user: int, timeout: float = 120.0) -> Result:
    """USERS sessions of PER_USER questions each; every answer is checked against a serial pass."""
    from gradio_client import Client

    reference = Client(url, verbose=False)
    expected = {q: reference.predict(q, api_name="/ask") for q in qs}

    def session(u: int) -> tuple[list[float], list[str]]:
        client = Client(url, verbose=False)
        lat, errs = [], []
        for i in range(per_user):
            q = qs[(u * per_user + i) % len(qs)]
            t = time.perf_counter()
            try:
                got = client.submit(q, api_name="/ask").result(timeout=timeout)
            except Exception as e:  # noqa: BLE001 - every failure is counted and reported
                errs.append(f"user {u} q{i}: {type(e).__name__}: {e}")
                continue
            lat.append(time.perf_counter() - t)
            if got != expected[q]:
                errs.append(f"user {u} q{i}: answer differs from the serial answer for {q!r}")
        return lat, errs

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=users) as pool:
        parts = list(pool.map(session, range(users)))
    wall = time.perf_counter() - t0
    return Result(tuple(x for p in parts for x in p[0]), tuple(e for p in parts for e in p[1]), wall)


def start_app(index_dir: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "RAG_INDEX_DIR": str(index_dir), "RAG_FEEDBACK": str(log.parent / "feedback.jsonl"),
           "RAG_HOST": "", "RAG_PORT": ""}
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--port", str(port)], cwd=ROOT, env=env,
                            stdout=open(log, "wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while "serving on" not in log.read_text(errors="replace"):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise SystemExit(f"app.py did not start:\n{log.read_text()[-2000:]}")
        time.sleep(0.2)
    return proc, f"http://127.0.0.1:{port}/"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--users", type=int, default=32)
    ap.add_argument("--questions", type=int, default=20)
    args = ap.parse_args()
    header(f"Load test: {args.users} concurrent sessions × {args.questions} questions")
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_app(Path(tmp) / "index", Path(tmp) / "app.log")
        try:
            r = run_load(url, questions(40), args.users, args.questions)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    n = len(r.latencies) + len(r.errors)
    print(table(["requests", "errors", "p50 ms", "p95 ms", "max ms", "answers/s"],
                [[n, len(r.errors), ms(pct(r.latencies, 50)), ms(pct(r.latencies, 95)),
                  ms(max(r.latencies, default=float("nan"))), f"{n / r.wall:.1f}"]]))
    for e in r.errors[:20]:
        print("-", e)
    return 1 if r.errors else 0


if __name__ == "__main__":
    sys.exit(main())
