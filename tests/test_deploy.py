"""The deployment recipe (deploy/): nginx in front of two replicas sharing one index, on
loopback, started by deploy/stack.py, and checked through the proxy."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
    pytest.skip("nginx is missing: bash scripts/setup --test installs it (apt-get install nginx-light)",
                allow_module_level=True)

from bench._common import rest_call  # noqa: E402
from bench.load_test import run_rest_load  # noqa: E402
from deploy.stack import start  # noqa: E402
from tests.test_app import index_dir  # noqa: E402,F401 (a fixture: the session's index)

HEADER_TIMEOUT = 2  # seconds; the shipped configuration says 10


@pytest.fixture(scope="module")
def stack(tmp_path_factory, index_dir):
    tmp = tmp_path_factory.mktemp("stack")
    env = {"RAG_INDEX_DIR": str(index_dir), "RAG_FEEDBACK": str(tmp / "feedback.jsonl"),
           "RAG_AUTH_USER": "", "RAG_AUTH_PASSWORD": ""}
    subprocess.run([sys.executable, "-m", "rag", "build"], env={**os.environ, **env}, check=True, capture_output=True)
    before = {p: p.stat().st_mtime for p in Path(index_dir).rglob("*") if p.is_file()}
    with start(2, run=tmp / "run", env=env, header_timeout=HEADER_TIMEOUT) as s:
        yield s
    after = {p: p.stat().st_mtime for p in Path(index_dir).rglob("*") if p.is_file()}
    assert after == before, "the replicas wrote into the shared index"


def request(stack, method: str, path: str, body: bytes | None = None, source: str = "127.0.0.2",
            headers: dict | None = None) -> tuple[int, dict, bytes]:
    port = int(stack.url.rsplit(":", 1)[1])
    c = http.client.HTTPSConnection("127.0.0.1", port, timeout=60, source_address=(source, 0),
                                    context=ssl._create_unverified_context())
    try:
        c.request(method, path, body=body, headers={"Content-Type": "application/json", **(headers or {})})
        r = c.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        c.close()


def test_the_app_answers_over_tls_with_safe_headers_and_no_versions(stack):
    status, headers, _ = request(stack, "GET", "/")
    assert status == 200 and headers["server"] == "nginx"  # no version
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    answer = rest_call(stack.url, "养老金能按时足额发放吗？", "127.0.0.3")
    assert answer["citations"][0]["id"] == "§4.4"


def test_the_proxy_caps_bodies_and_the_app_takes_no_uploads(stack):
    status, _, _ = request(stack, "POST", "/gradio_api/call/ask", b'{"data": ["' + b"a" * 200_000 + b'"]}')
    assert status == 413
    status, _, text = request(stack, "POST", "/gradio_api/upload", b"x", headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert status == 404


def test_both_replicas_serve_each_client_staying_on_one(stack):
    sources = [f"127.0.2.{n}" for n in range(2, 18)]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda s: rest_call(stack.url, "What will be done for college graduates?", s), sources))
    lines = [line.split() for line in (stack.run / "access.log").read_text().splitlines() if line.startswith("127.0.2.")]
    by_client: dict[str, set[str]] = {}
    for line in lines:
        by_client.setdefault(line[0], set()).add(line[-2])
    assert {a for ups in by_client.values() for a in ups} == set(stack.replicas)  # both replicas took clients
    assert all(len(ups) == 1 for ups in by_client.values())  # each client stayed on one


def test_logins_are_rate_limited_per_address(stack):
    codes = [request(stack, "POST", "/login", b"username=a&password=b", source="127.0.3.2",
                     headers={"Content-Type": "application/x-www-form-urlencoded"})[0] for _ in range(10)]
    assert 429 in codes and codes[0] != 429


def test_one_client_flooding_the_queue_does_not_lock_others_out(stack):
    body = json.dumps({"data": ["养老金能按时足额发放吗？"]}).encode()
    with ThreadPoolExecutor(8) as pool:
        flood = list(pool.map(lambda _: request(stack, "POST", "/gradio_api/call/ask", body, source="127.0.4.2")[0],
                              range(80)))
    assert flood.count(429) >= 40  # the flooder is held to its rate
    started = time.monotonic()
    assert rest_call(stack.url, "How will employment be kept stable?", "127.0.4.3")["citations"]
    assert time.monotonic() - started < 30  # another client is answered (a generous bound, not a timing)


def test_half_sent_headers_are_cut_off(stack):
    port = int(stack.url.rsplit(":", 1)[1])
    raw = socket.create_connection(("127.0.0.1", port), timeout=HEADER_TIMEOUT * 5)
    tls = ssl._create_unverified_context().wrap_socket(raw, server_hostname="localhost")
    tls.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")  # and never the blank line
    started = time.monotonic()
    data = tls.recv(1024)  # nginx answers 408 or closes once the header timeout passes
    assert time.monotonic() - started < HEADER_TIMEOUT * 4
    assert data == b"" or b"408" in data
    tls.close()


def test_sixty_four_clients_through_the_proxy(stack):
    questions = ["养老金能按时足额发放吗？", "Will pensions be paid on time?", "对高校毕业生有什么支持？",
                 "What is being done for migrant workers?"]
    r = run_rest_load(stack.url, questions, users=64, per_user=5)
    assert r.errors == () and len(r.latencies) == 320
