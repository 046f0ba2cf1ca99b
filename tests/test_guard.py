"""The HTTP guard in front of the served app: no uploads, a body cap, the ask call without k,
and the safety headers. Against the real server (`python app.py`)."""

from __future__ import annotations

import http.client
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.test_app import start_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    for url, _log, _feedback in start_app(tmp_path_factory.mktemp("guard"), tmp_path_factory.getbasetemp() / "rag-index"):
        yield url.rstrip("/")


def post(url: str, body: bytes, content_type: str = "application/json") -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_there_is_no_upload_route(url):
    boundary = "xyz"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.bin\"\r\n\r\n"
            f"{'x' * 1000}\r\n--{boundary}--\r\n").encode()
    status, _, text = post(url + "/gradio_api/upload", body, f"multipart/form-data; boundary={boundary}")
    assert status == 404 and b"Uploads are disabled" in text


def test_a_body_over_the_cap_is_refused(url):
    status, _, text = post(url + "/gradio_api/call/ask", b'{"data": ["' + b"a" * 100_000 + b'"]}')
    assert status == 413 and b"64 KiB" in text


def test_the_ask_call_without_k_answers(url):
    status, _, text = post(url + "/gradio_api/call/ask", json.dumps({"data": ["养老金能按时发放吗？"]}).encode())
    assert status == 200
    event = json.loads(text)["event_id"]
    with urllib.request.urlopen(f"{url}/gradio_api/call/ask/{event}", timeout=60) as r:
        stream = r.read().decode()
    assert "event: complete" in stream and "\\u00a74.4" in stream  # §4.4, JSON-escaped


def test_every_response_carries_the_safety_headers(url):
    with urllib.request.urlopen(url + "/", timeout=30) as r:
        headers = {k.lower(): v for k, v in r.headers.items()}
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    _, api_headers, _ = post(url + "/gradio_api/call/ask", json.dumps({"data": ["养老金？", 3]}).encode())
    assert {k.lower(): v for k, v in api_headers.items()}["cache-control"] == "no-store"


@pytest.fixture(scope="module")
def authed(tmp_path_factory):
    env = {"RAG_AUTH_USER": "ann", "RAG_AUTH_PASSWORD": "s3cret-pass", "RAG_CORS_ORIGINS": "https://partner.example"}
    for url, _log, _feedback in start_app(tmp_path_factory.mktemp("guard-auth"),
                                          tmp_path_factory.getbasetemp() / "rag-index", extra_env=env):
        yield url.rstrip("/")


def get(url: str, cookie: str = "") -> int:
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except TimeoutError:
        return 200  # a heartbeat that was let in holds the connection open


def login(url: str, password: str) -> tuple[int, dict, bytes]:
    body = urllib.parse.urlencode({"username": "ann", "password": password}).encode()
    return post(url + "/login", body, "application/x-www-form-urlencoded")


def test_with_a_login_the_open_gradio_routes_need_a_session(authed):
    for path in ("/gradio_api/heartbeat/abc", "/gradio_api/queue/data?session_hash=x", "/gradio_api/info"):
        assert get(authed + path) == 401, path
    status, headers, _ = login(authed, "s3cret-pass")
    assert status == 200
    cookie = "; ".join(c.split(";")[0] for k, c in headers.items() if k.lower() == "set-cookie")
    assert cookie and get(authed + "/gradio_api/info", cookie) == 200


def test_failed_logins_are_throttled(authed):
    codes = [login(authed, f"wrong-{i}")[0] for i in range(7)]
    assert codes[:5] == [400] * 5 and codes[5] == 429
    status, headers, _ = login(authed, "s3cret-pass")  # even the right password waits now
    assert status == 429 and int({k.lower(): v for k, v in headers.items()}["retry-after"]) > 0


def cors_headers(url: str, origin: str) -> dict:
    req = urllib.request.Request(url + "/config", headers={"Origin": origin, "Host": "policy.example"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            headers = r.headers
    except urllib.error.HTTPError as e:
        headers = e.headers
    return {k.lower(): v for k, v in headers.items() if k.lower().startswith("access-control-")}


def test_cors_answers_only_allow_listed_origins(url, authed):
    # Gradio itself echoes any Origin with credentials when the Host is not localhost.
    assert cors_headers(url, "https://evil.example") == {}  # the list is empty by default
    assert cors_headers(authed, "https://evil.example") == {}
    assert cors_headers(authed, "https://partner.example").get("access-control-allow-origin") == "https://partner.example"
    preflight = urllib.request.Request(url + "/gradio_api/call/ask", method="OPTIONS",
                                       headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(preflight, timeout=30)
    assert refused.value.code == 403


def test_a_full_queue_says_when_to_come_back():
    import asyncio

    from rag.guard import BUSY_RETRY_S, _responder

    sent = []

    async def send(message):
        sent.append(message)

    async def gradio_says_full():
        respond = _responder(send, api=True, queue=True)
        body = b'{"detail": "Queue is full. Max size is 64 and size is 64."}'
        await respond({"type": "http.response.start", "status": 503,
                       "headers": [(b"content-length", str(len(body)).encode())]})
        await respond({"type": "http.response.body", "body": body, "more_body": False})

    asyncio.run(gradio_says_full())
    headers = dict(sent[0]["headers"])
    message = json.loads(sent[1]["body"])
    assert headers[b"retry-after"] == str(BUSY_RETRY_S).encode() and int(headers[b"content-length"]) == len(sent[1]["body"])
    assert "try again" in message["detail"] and "请过几秒再试" in message["detail"] and "Queue is full" not in message["detail"]


def test_no_version_banners(url):
    with urllib.request.urlopen(url + "/config", timeout=30) as r:
        config = json.loads(r.read())
    assert config["version"].isdigit()  # the major version only: clients pick their protocol by it
    for path in ("/gradio_api/openapi.json", "/gradio_api/docs"):
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(url + path, timeout=30)
        assert e.value.code == 404, path


def test_no_server_header(url):
    """uvicorn adds `server: uvicorn` below the app, where the guard cannot take it off."""
    with urllib.request.urlopen(url + "/", timeout=30) as r:
        page = r.headers
    _, api, text = post(url + "/gradio_api/call/ask", json.dumps({"data": ["养老金？"]}).encode())
    with urllib.request.urlopen(f"{url}/gradio_api/call/ask/{json.loads(text)['event_id']}", timeout=60) as r:
        stream = r.headers
        r.read()
    for headers in (page, api, stream):
        assert "server" not in {k.lower() for k in headers.keys()}
        assert not re.search(r"uvicorn|gradio|starlette|fastapi|python|\d+\.\d+", " ".join(headers.values()), re.I)


def test_one_remote_client_cannot_fill_the_queue(url):
    """uvicorn takes the client address from X-Forwarded-For when the request comes from the
    loopback proxy: here that stands for two remote clients."""
    def ask(client: str) -> int:
        req = urllib.request.Request(url + "/gradio_api/call/ask", data=json.dumps({"data": ["养老金？"]}).encode(),
                                     method="POST", headers={"Content-Type": "application/json", "X-Forwarded-For": client})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status
        except urllib.error.HTTPError as e:
            assert e.code != 429 or int(e.headers["retry-after"]) > 0
            return e.code

    flood = [ask("203.0.113.9") for _ in range(30)]
    assert flood.count(200) == 20 and flood.count(429) == 10
    assert ask("198.51.100.7") == 200  # another client still gets in


@pytest.fixture(scope="module")
def small_queue(tmp_path_factory):
    for url, _log, _feedback in start_app(tmp_path_factory.mktemp("guard-queue"), tmp_path_factory.getbasetemp() / "rag-index",
                                          extra_env={"RAG_QUEUE_SIZE": "1"}):
        yield url.rstrip("/")


def test_a_full_queue_answers_busy_with_retry_after(small_queue):
    from concurrent.futures import ThreadPoolExecutor

    body = json.dumps({"data": ["What will be done for college graduates and migrant workers this year?"]}).encode()
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda _: post(small_queue + "/gradio_api/call/ask", body), range(48)))
    busy = [(headers, text) for status, headers, text in answers if status == 503]
    assert busy, "48 questions at once never found the one-place queue full"
    headers, text = busy[0]
    assert int({k.lower(): v for k, v in headers.items()}["retry-after"]) > 0
    message = json.loads(text)["detail"]
    assert "try again" in message and "请过几秒再试" in message


@pytest.fixture(scope="module")
def few_results(tmp_path_factory):
    for url, _log, _feedback in start_app(tmp_path_factory.mktemp("guard-results"), tmp_path_factory.getbasetemp() / "rag-index",
                                          extra_env={"RAG_RESULTS_KEPT": "4", "RAG_QUEUE_SIZE": "2"}):
        yield url.rstrip("/")


def test_unfetched_results_are_dropped_oldest_first(few_results):
    import time

    body = json.dumps({"data": ["养老金能按时足额发放吗？"]}).encode()
    events = []
    for _ in range(12):  # one at a time, each answered before the next: none fetched
        for _attempt in range(20):  # a slow machine may still be answering the last: busy, wait
            status, headers, text = post(few_results + "/gradio_api/call/ask", body)
            if status != 503:
                break
            time.sleep(float({k.lower(): v for k, v in headers.items()}.get("retry-after", 1)))
        events.append(json.loads(text)["event_id"])
        time.sleep(0.5)
    time.sleep(1)  # only the last four are kept

    def fetch(event: str) -> str:
        try:
            with urllib.request.urlopen(f"{few_results}/gradio_api/call/ask/{event}", timeout=20) as r:
                return r.read().decode()
        except (urllib.error.URLError, http.client.HTTPException, TimeoutError, ConnectionError):
            return ""  # a dropped result: Gradio answers 404 or ends the stream with nothing

    assert "event: complete" not in fetch(events[0])
    assert "event: complete" in fetch(events[-1])
