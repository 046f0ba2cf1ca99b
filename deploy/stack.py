"""Run the app behind nginx: one shared index, two or more replicas, TLS, limits.

    .venv/bin/python deploy/stack.py [--replicas 2] [--port 8443] [--cert C --key K]

Builds the index once (as `rag build` would, under RAG_INDEX_DIR or the default), starts the
replicas on free loopback ports with RAG_REBUILD=0 (they only read the index; each has its own
temporary folder), writes nginx.conf from nginx.conf.in beside this file, and runs nginx in the
foreground until Ctrl-C, then stops everything. Without --cert a self-signed certificate for
localhost is made with openssl. Tests and bench/load_test.py use `start()` the same way.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).with_name("nginx.conf.in")


@dataclass(frozen=True)
class Stack:
    url: str  # https://127.0.0.1:PORT
    run: Path  # nginx.conf, its logs (access.log names the replica of each request), the certificate
    replicas: tuple[str, ...]  # the replicas' own addresses


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(check, what: str, timeout: float, logs: list[Path]) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            tails = "\n".join(f"--- {p}:\n{p.read_text(errors='replace')[-1500:]}" for p in logs if p.exists())
            raise RuntimeError(f"{what} did not start within {timeout:.0f} s\n{tails}")
        time.sleep(0.3)


def _listening(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        return True
    return False


def _certificate(run: Path) -> tuple[Path, Path]:
    cert, key = run / "localhost.crt", run / "localhost.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "30", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


def nginx_conf(run: Path, host: str, port: int, replicas: list[int], cert: Path, key: Path,
               header_timeout: int = 10, ask_rate: int = 5, ask_burst: int = 20) -> str:
    """nginx.conf from the template: every @NAME@ filled in."""
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;" for p in replicas)
    values = {"RUN": str(run), "HOST": host, "PORT": str(port), "SERVERS": servers, "CERT": str(cert),
              "KEY": str(key), "HEADER_TIMEOUT": str(header_timeout), "ASK_RATE": str(ask_rate),
              "ASK_BURST": str(ask_burst)}
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    return text


@contextlib.contextmanager
def start(replicas: int = 2, port: int = 0, host: str = "127.0.0.1", cert: Path | None = None,
          key: Path | None = None, run: Path | None = None, env: dict[str, str] | None = None,
          **limits: int) -> Iterator[Stack]:
    """The running stack; everything is stopped on exit. `limits` go to nginx_conf."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise RuntimeError("nginx is not installed: apt-get install nginx-light")
    run = Path(run or tempfile.mkdtemp(prefix="rag-stack-"))
    run.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **(env or {}), "RAG_HOST": "127.0.0.1", "RAG_REBUILD": "1"}
    subprocess.run([sys.executable, "-m", "rag", "build"], env=env, check=True, cwd=ROOT, capture_output=True)
    procs: list[subprocess.Popen] = []
    try:
        ports = [free_port() for _ in range(replicas)]
        logs = [run / f"replica-{n}.log" for n in range(replicas)]
        for n, (p, log) in enumerate(zip(ports, logs)):
            replica_env = {**env, "RAG_PORT": str(p), "RAG_REBUILD": "0", "RAG_TEMP_DIR": str(run / f"replica-{n}-tmp")}
            with open(log, "wb") as out:
                procs.append(subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=replica_env,
                                              stdout=out, stderr=subprocess.STDOUT))
        for log in logs:
            _wait(lambda log=log: "serving on" in log.read_text(errors="replace"), "a replica", 180, logs)
        if cert is None or key is None:
            cert, key = _certificate(run)
        port = port or free_port()
        (run / "nginx.conf").write_text(nginx_conf(run, host, port, ports, cert, key, **limits), encoding="utf-8")
        procs.append(subprocess.Popen([nginx, "-p", str(run), "-e", str(run / "error.log"), "-c", str(run / "nginx.conf"),
                                       "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT))
        _wait(lambda: _listening(port) or procs[-1].poll() is not None, "nginx", 30, [run / "error.log"])
        if procs[-1].poll() is not None:
            raise RuntimeError(f"nginx exited:\n{(run / 'error.log').read_text(errors='replace')[-2000:]}")
        yield Stack(f"https://{host}:{port}", run, tuple(f"127.0.0.1:{p}" for p in ports))
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--replicas", type=int, default=2)
    ap.add_argument("--host", default="127.0.0.1", help="the address nginx listens on")
    ap.add_argument("--port", type=int, default=8443)
    ap.add_argument("--cert", type=Path, help="TLS certificate (PEM); default: a self-signed one for localhost")
    ap.add_argument("--key", type=Path, help="its private key")
    ap.add_argument("--run", type=Path, help="folder for nginx.conf, logs and the certificate (default: temporary)")
    args = ap.parse_args()
    with start(args.replicas, args.port, args.host, args.cert, args.key, args.run) as stack:
        print(f"serving on {stack.url} ({len(stack.replicas)} replicas; logs in {stack.run}); Ctrl-C stops it",
              flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
    return 0


if __name__ == "__main__":
    sys.exit(main())
