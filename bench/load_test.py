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


def rest_ask(base: str, q: str, source: str, timeout: float = 120.0) -> dict:
    """One question over REST (TLS accepted unverified: the stack's certificate is self-signed)."""
    import http.client
    import json
    import ssl
    from urllib.parse import urlsplit

    u = urlsplit(base)
    conn_type = http.client.HTTPSConnection if u.scheme == "https" else http.client.HTTPConnection
    extra = {"context": ssl._create_unverified_context()} if u.scheme == "https" else {}
    c = conn_type(u.hostname, u.port, timeout=timeout, source_address=(source, 0), **extra)
    try:
        c.request("POST", "/gradio_api/call/ask", body=json.dumps({"data": [q]}), headers={"Content-Type": "application/json"})
        r = c.getresponse()
        body = r.read()
        if r.status != 200:
            raise RuntimeError(f"HTTP {r.status}: {body[:200]!r}")
        c.request("GET", f"/gradio_api/call/ask/{json.loads(body)['event_id']}")
        stream = c.getresponse().read().decode()
    finally:
        c.close()
    if "event: complete" not in stream:
        raise RuntimeError(f"no answer: {stream[-200:]!r}")
    return json.loads(stream.split("event: complete", 1)[1].split("data:", 1)[1].strip())[0]


def run_rest_load(base: str, qs: list[str], users: int, per_user: int) -> Result:
    """USERS REST clients, each from its own loopback address, of PER_USER questions each; every
    answer is checked against a serial pass."""
    # The serial pass comes from many addresses too: one address asking 40 questions at once
    # is what the proxy's per-address rate limit is there to stop.
    expected = {q: rest_ask(base, q, f"127.0.1.{2 + n}") for n, q in enumerate(qs)}

    def session(u: int) -> tuple[list[float], list[str]]:
        lat, errs = [], []
        source = f"127.0.{u // 200}.{10 + u % 200}"
        for i in range(per_user):
            q = qs[(u * per_user + i) % len(qs)]
            t = time.perf_counter()
            try:
                got = rest_ask(base, q, source)
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
    ap.add_argument("--proxy", type=int, default=0, metavar="N", help="behind nginx with N replicas (deploy/stack.py)")
    ap.add_argument("--rest", action="store_true", help="one process, with the REST clients --proxy uses")
    args = ap.parse_args()
    where = f"through nginx, {args.proxy} replicas" if args.proxy else "one process" + (", REST" if args.rest else "")
    header(f"Load test: {args.users} concurrent sessions × {args.questions} questions, {where}")
    with tempfile.TemporaryDirectory() as tmp:
        if args.proxy:
            sys.path.insert(0, str(ROOT))
            from deploy.stack import start

            env = {"RAG_INDEX_DIR": str(Path(tmp) / "index"), "RAG_FEEDBACK": str(Path(tmp) / "feedback.jsonl")}
            with start(args.proxy, run=Path(tmp) / "run", env=env) as stack:
                r = run_rest_load(stack.url, questions(40), args.users, args.questions)
        else:
            proc, url = start_app(Path(tmp) / "index", Path(tmp) / "app.log")
            try:
                load = run_rest_load if args.rest else run_load
                r = load(url.rstrip("/"), questions(40), args.users, args.questions)
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
