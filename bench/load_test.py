"""Concurrent users against the running app, through its HTTP API (gradio_client).

    .venv/bin/python bench/load_test.py [--users 32] [--questions 20]
    .venv/bin/python bench/load_test.py --proxy 2 --users 64 --questions 5
    .venv/bin/python bench/load_test.py --rest --users 64 --questions 5   # the same clients, one process

With --proxy N the app runs behind nginx with N replicas (deploy/stack.py), and each user is
a plain REST client (POST /gradio_api/call/ask, then its event stream) over TLS from its own
loopback address (127.0.0.10, .11, …), as users on separate machines would be, so the proxy's
per-address limits and its choice of replica see them as different clients.

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
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, free_port, header, ms, pct, questions, rest_call, table  # noqa: E402


@dataclass(frozen=True)
class Result:
    latencies: tuple[float, ...]
    errors: tuple[str, ...]
    wall: float


def run_sessions(ask_for: Callable[[int], Callable[[str], dict]], qs: list[str], users: int, per_user: int,
                 expected: dict[str, dict]) -> Result:
    """USERS sessions of PER_USER questions each, at once; `ask_for(u)` is user u's way of asking.
    Every answer must equal the serial one in `expected`."""
    def session(u: int) -> tuple[list[float], list[str]]:
        ask = ask_for(u)
        lat, errs = [], []
        for i in range(per_user):
            q = qs[(u * per_user + i) % len(qs)]
            t = time.perf_counter()
            try:
                got = ask(q)
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


def run_load(url: str, qs: list[str], users: int, per_user: int, timeout: float = 120.0) -> Result:
    """Sessions of gradio_client (a fresh Client each, as separate browsers would be)."""
    from gradio_client import Client

    reference = Client(url, verbose=False)
    expected = {q: reference.predict(q, api_name="/ask") for q in qs}

    def ask_for(u: int) -> Callable[[str], dict]:
        client = Client(url, verbose=False)
        return lambda q: client.submit(q, api_name="/ask").result(timeout=timeout)

    return run_sessions(ask_for, qs, users, per_user, expected)


def run_rest_load(base: str, qs: list[str], users: int, per_user: int) -> Result:
    """Plain REST clients, each from its own loopback address (127.0.0.10, .11, …), as users on
    separate machines would be to a proxy's per-address limits. The serial pass comes from many
    addresses too: one address asking 40 questions at once is what those limits stop."""
    expected = {q: rest_call(base, q, f"127.0.{1 + n // 250}.{2 + n % 250}") for n, q in enumerate(qs)}
    return run_sessions(lambda u: lambda q: rest_call(base, q, f"127.0.{u // 200}.{10 + u % 200}"),
                        qs, users, per_user, expected)


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
    ap.add_argument("--proxy", type=int, default=0, metavar="N", help="behind nginx with N replicas (deploy/stack.py)")
    ap.add_argument("--rest", action="store_true", help="one process, with the REST clients --proxy uses")
    ap.add_argument("--distinct", type=int, default=40,
                    help="distinct questions, dealt in turn (a repeat is answered from the second model's memo)")
    args = ap.parse_args()
    where = f"through nginx, {args.proxy} replicas" if args.proxy else "one process" + (", REST" if args.rest else "")
    header(f"Load test: {args.users} concurrent sessions × {args.questions} questions ({args.distinct} distinct), {where}")
    with tempfile.TemporaryDirectory() as tmp:
        if args.proxy:
            sys.path.insert(0, str(ROOT))
            from deploy.stack import start

            env = {"RAG_INDEX_DIR": str(Path(tmp) / "index"), "RAG_FEEDBACK": str(Path(tmp) / "feedback.jsonl")}
            with start(args.proxy, run=Path(tmp) / "run", env=env) as stack:
                r = run_rest_load(stack.url, questions(args.distinct), args.users, args.questions)
        else:
            proc, url = start_app(Path(tmp) / "index", Path(tmp) / "app.log")
            try:
                load = run_rest_load if args.rest else run_load
                r = load(url.rstrip("/"), questions(args.distinct), args.users, args.questions)
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
