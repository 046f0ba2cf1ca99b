"""Time limits in the served app itself, with no proxy in front: half-sent headers, a body that
trickles in, idle connections, and results nobody fetches. Against the real server
(`python app.py`) with short limits; the unit tests at the top need neither."""

from __future__ import annotations

import http.client
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from rag.config import Config
from rag.errors import RagError
from rag.ui.serve import Results
from tests.test_app import start_app

HEADER_TIMEOUT, BODY_TIMEOUT, RESULTS_TTL = 1, 2, 3
MARGIN = 6.0  # seconds past a limit before a still-open connection fails the test


@pytest.mark.parametrize("name, value", [
    ("RAG_HEADER_TIMEOUT", "0"), ("RAG_BODY_TIMEOUT", "-1"), ("RAG_BODY_TIMEOUT", "99999"),
    ("RAG_RESULTS_TTL", "0"), ("RAG_RESULTS_TTL", "soon"),
])
def test_a_bad_limit_is_refused(name, value):
    with pytest.raises(RagError, match=f"(?i){name.removeprefix('RAG_')}"):
        Config.from_env({name: value})


class Event:
    def __init__(self, session: str):
        self.session_hash = session


class Queue:  # the parts of Gradio's queue that `Results` reads
    def __init__(self):
        self.event_ids_to_events: dict[str, Event] = {}
        self.pending_event_ids_session: dict[str, set[str]] = {}


def test_results_are_dropped_by_age_unless_still_to_come():
    queue = Queue()
    results = Results(queue, max_size=10, seconds=0.2)
    for session in ("done", "running", "read"):
        results[session] = [session]
        queue.pending_event_ids_session[session] = {session}
    queue.event_ids_to_events["e1"] = Event("running")
    time.sleep(0.15)
    assert results["read"] == ["read"]  # reading a result keeps it
    time.sleep(0.1)
    results["new"] = ["new"]
    assert set(results) == {"running", "read", "new"}  # "running" is kept: its answer is to come
    assert "done" not in queue.pending_event_ids_session
    time.sleep(0.25)
    assert "read" not in results and "running" in results


def test_results_are_dropped_by_count_least_recently_used_first():
    results = Results(Queue(), max_size=2, seconds=60)
    results["a"], results["b"] = 1, 2
    assert results["a"] == 1
    results["c"] = 3
    assert list(results) == ["a", "c"]


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    env = {"RAG_HEADER_TIMEOUT": str(HEADER_TIMEOUT), "RAG_BODY_TIMEOUT": str(BODY_TIMEOUT),
           "RAG_RESULTS_TTL": str(RESULTS_TTL)}
    for url, _log, _feedback in start_app(tmp_path_factory.mktemp("timeouts"),
                                          tmp_path_factory.getbasetemp() / "rag-index", extra_env=env):
        yield url.rstrip("/")


def address(url: str) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(url)
    return parts.hostname, parts.port


def closed_by(sock: socket.socket, deadline: float, trickle: bytes = b"") -> bool:
    """Whether the server closes `sock` before `deadline` (time.monotonic()); meanwhile a byte
    `trickle` is sent every quarter second."""
    while True:
        try:
            if trickle:
                sock.sendall(trickle)
            sock.settimeout(0.25)
            if sock.recv(4096) == b"":
                return True
        except TimeoutError:
            pass
        except (ConnectionResetError, BrokenPipeError):
            return True
        if time.monotonic() > deadline:
            return False


def ask(url: str) -> str:
    """The event id of a question asked through the API (its answer not fetched)."""
    req = urllib.request.Request(url + "/gradio_api/call/ask", data=json.dumps({"data": ["养老金能按时足额发放吗？"]}).encode(),
                                 method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())["event_id"]


def fetch(url: str, event: str) -> str:
    try:
        with urllib.request.urlopen(f"{url}/gradio_api/call/ask/{event}", timeout=30) as r:
            return r.read().decode()
    except (urllib.error.URLError, http.client.HTTPException, TimeoutError, ConnectionError):
        return ""  # a dropped result: Gradio answers 404 or ends the stream with nothing


@pytest.mark.slow
def test_half_sent_requests_are_cut_off_while_questions_are_answered(quick):
    started = time.monotonic()
    half = [socket.create_connection(address(quick)) for _ in range(20)]
    for sock in half:
        sock.sendall(b"GET /config HT")
    silent = socket.create_connection(address(quick))  # sends nothing at all
    again = http.client.HTTPConnection(*address(quick), timeout=10)  # a kept-alive connection
    again.request("GET", "/config")
    assert again.getresponse().read()
    again.sock.sendall(b"GET /config HTTP/1.1\r\nHost: x\r\n")  # the next request, half sent
    idle = http.client.HTTPConnection(*address(quick), timeout=10)
    idle.request("GET", "/config")
    assert idle.getresponse().read()

    assert "event: complete" in fetch(quick, ask(quick))  # the server still answers

    deadline = started + HEADER_TIMEOUT + MARGIN
    assert all(closed_by(sock, deadline) for sock in half + [silent, again.sock])
    assert closed_by(idle.sock, time.monotonic() + 5 + MARGIN)  # uvicorn's keep-alive limit, 5 s
    for sock in half + [silent]:
        sock.close()


@pytest.mark.slow
def test_a_body_that_trickles_in_is_cut_off(quick):
    head = (b"POST /gradio_api/call/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 4000\r\n\r\n")
    slow = [socket.create_connection(address(quick)) for _ in range(3)]
    for sock in slow:
        sock.sendall(head + b'{"data": ["')
    deadline = time.monotonic() + BODY_TIMEOUT + MARGIN
    assert all(closed_by(sock, deadline, trickle=b"a") for sock in slow)
    assert "event: complete" in fetch(quick, ask(quick))
    for sock in slow:
        sock.close()


@pytest.mark.slow
def test_unfetched_results_are_dropped_by_age(quick):
    old = ask(quick)
    time.sleep(RESULTS_TTL + 3)  # answered within a second or two, then unfetched past the limit
    fresh = ask(quick)
    assert "event: complete" not in fetch(quick, old)
    assert "event: complete" in fetch(quick, fresh)
