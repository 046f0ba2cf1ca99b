"""Shared pieces of the benchmarks: the machine, percentiles, memory, tables, questions.

Not a test helper: the benchmarks print numbers, they never assert on them.
"""

from __future__ import annotations

import json
import os
import platform
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Sequence

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "eval"


def machine() -> str:
    """CPU model, cores usable by this process, RAM, and library versions, on one line."""
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    ram = _meminfo("MemTotal") / 2**30
    import faiss

    return (f"{cpu}, {cores} cores, {ram:.0f} GiB RAM; Linux {platform.release()}; Python {platform.python_version()}, "
            f"numpy {np.__version__}, faiss {faiss.__version__}")


def header(title: str, quiet: bool = True) -> None:
    load = wait_until_quiet() if quiet else ""
    print(f"## {title}\n")
    print(f"- machine: {machine()}")
    if load:
        print(f"- {load}")
    print(f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    script = os.path.relpath(sys.argv[0], ROOT) if sys.argv and sys.argv[0] else "?"
    print(f"- command: `.venv/bin/python {' '.join([script] + sys.argv[1:])}`\n")


def _meminfo(key: str) -> int:
    for line in open("/proc/meminfo", encoding="utf-8"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    return 0


def proc_mem(pid: int | str = "self") -> dict[str, int]:
    """VmRSS (resident now) and VmHWM (peak resident) of a process, in bytes."""
    out = {}
    with open(f"/proc/{pid}/status", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith(("VmRSS:", "VmHWM:", "RssAnon:", "RssFile:")):
                key, value = line.split(":", 1)
                out[key] = int(value.split()[0]) * 1024
    return out


def pct(xs: Sequence[float], p: float) -> float:
    return float(np.percentile(np.asarray(xs, dtype=np.float64), p)) if len(xs) else float("nan")


def ms(x: float) -> str:
    return f"{x * 1e3:.2f}"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def eval_files() -> list[str]:
    """The project's evaluation files, and the shared development set where it is beside the checkout."""
    dev = ROOT.parent / "shared" / "eval" / "dev.jsonl"
    return [str(p) for p in sorted(EVAL.glob("*.jsonl"))] + ([str(dev)] if dev.exists() else [])


def questions(limit: int | None = None) -> list[str]:
    """The project's own evaluation questions, English and Chinese interleaved."""
    qs = []
    for path in sorted(EVAL.glob("*.jsonl")):
        for line in open(path, encoding="utf-8"):
            if line.strip():
                qs.append(json.loads(line)["question"])
    zh = [q for q in qs if any("\u4e00" <= c <= "\u9fff" for c in q)]
    en = [q for q in qs if q not in zh]
    mixed = [q for pair in zip(en, zh) for q in pair] + en[len(zh):] + zh[len(en):]
    return mixed[:limit] if limit else mixed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float, proc=None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        with socket.socket() as s:
            s.settimeout(0.2)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.02)
    return False


def stop(proc, grace: float = 15) -> None:
    """Stop a started app: terminate, then kill it if it has not exited after `grace` seconds."""
    proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def first_answer(port: int, since: float, question: str, timeout: float = 120) -> float:
    """Seconds from `since` (a perf_counter reading) until the app on `port` answers `question`
    over REST, asking again until it does."""
    while True:
        try:
            rest_call(port, question)
            return time.perf_counter() - since
        except (ConnectionError, OSError, RuntimeError, KeyError, ValueError):
            if time.perf_counter() - since > timeout:
                raise
            time.sleep(0.02)


def cpu_busy(seconds: float = 1.0) -> float:
    """Share of all cores busy over `seconds`, from /proc/stat."""

    def sample() -> tuple[int, int]:
        with open("/proc/stat", encoding="utf-8") as fh:
            vals = [int(v) for v in fh.readline().split()[1:]]
        idle = vals[3] + vals[4]
        return sum(vals) - idle, sum(vals)

    b0, t0 = sample()
    time.sleep(seconds)
    b1, t1 = sample()
    return (b1 - b0) / max(1, t1 - t0)


def wait_until_quiet(limit: float = 0.15, patience: float = 900) -> str:
    """Other work on the machine skews timings: wait (up to `patience` s) until the cores are
    idle, and say how busy they were, for the report."""
    deadline = time.monotonic() + patience
    busy = cpu_busy()
    while busy > limit and time.monotonic() < deadline:
        print(f"(waiting: the CPUs are {busy:.0%} busy with other work)", file=sys.stderr)
        time.sleep(10)
        busy = cpu_busy()
    return f"other load before the run: {busy:.0%} of the CPUs"


def rest_call(where: int | str, q: str, source: str | None = None, timeout: float = 120.0) -> dict:
    """One question without gradio_client: POST /gradio_api/call/ask, read its event stream, and
    return the answer's JSON. `where`: a loopback port or a base URL (https is accepted unverified:
    deploy/stack.py's certificate is self-signed); `source`: the local address to send from."""
    import http.client
    import ssl
    from urllib.parse import urlsplit

    u = urlsplit(where if isinstance(where, str) else f"http://127.0.0.1:{where}")
    kind, extra = ((http.client.HTTPSConnection, {"context": ssl._create_unverified_context()})
                   if u.scheme == "https" else (http.client.HTTPConnection, {}))
    c = kind(u.hostname, u.port, timeout=timeout, source_address=(source, 0) if source else None, **extra)
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
        raise RuntimeError(f"/ask failed: {stream[-300:]!r}")
    return json.loads(stream.split("event: complete", 1)[1].split("data:", 1)[1].strip())[0]
