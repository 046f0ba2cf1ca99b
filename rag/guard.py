"""HTTP guard for the web app: one ASGI middleware in front of Gradio.

- No upload route: the app takes no files, so `/gradio_api/upload` (and the older `/upload`)
  answer 404 instead of storing whatever is sent.
- A request body is capped (64 KiB by default): a question is at most a few KB, so anything
  larger is refused with 413 before it is read into memory, whether it declares its length or
  streams it.
- Every response says `X-Content-Type-Options: nosniff`, refuses to be framed by another site
  (`X-Frame-Options: DENY`, `frame-ancestors 'none'`), and API answers are not cached
  (`Cache-Control: no-store`).

- With a login required, the routes Gradio leaves open (heartbeat, cancel, reset, the queue
  and call routes) need a session Gradio issued; and failed logins
  are throttled per client address (5 a minute, then 429 with Retry-After).

- Cross-origin reads are allowed only from the sites on RAG_CORS_ORIGINS (empty by default):
  `cors()` gives Starlette's CORSMiddleware that list, and Gradio then leaves CORS to it
  (otherwise it echoes any Origin, with credentials, when the Host is not localhost).
- A full queue answers 503 with `Retry-After` and a message in English and Chinese.

- One client address may start at most 20 questions in 10 seconds (429 with Retry-After), so
  it cannot fill the queue for everyone; loopback clients are not counted.

It is passed to Gradio's FastAPI app through `launch(app_kwargs=…)`, so it runs before any
route. Below the app, in the HTTP server itself, `RequestDeadlines` cuts off a request whose
headers or body do not arrive in time (RAG_HEADER_TIMEOUT, RAG_BODY_TIMEOUT), and the server
sends no `server` header (rag.ui.serve). Not handled here: connection limits and slow readers,
which belong to the reverse proxy (deploy/).
"""

from __future__ import annotations

import json

MAX_BODY = 64 * 1024
UPLOAD_PATHS = ("/gradio_api/upload", "/upload")
# The app's own document upload (rag.ui.uploads) streams to a file and caps the body itself,
# at RAG_MAX_UPLOAD_BYTES: the 64 KiB cap is not applied there.
OWN_BODY_CAP = ("/documents/upload",)
ASK_PATHS = ("/gradio_api/call/ask", "/gradio_api/run/ask", "/gradio_api/api/ask")
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"referrer-policy", b"no-referrer"),
]


# Routes Gradio serves without checking the login even when auth is on: with auth on, the
# guard asks for a valid session on them too.
# (startup-events is left to Gradio: its own launch calls it, with no session, to start up.)
SESSION_ROUTES = ("/gradio_api/heartbeat", "/gradio_api/cancel", "/gradio_api/reset", "/gradio_api/queue",
                  "/gradio_api/call", "/gradio_api/info", "/gradio_api/api")
LOGIN_PATHS = ("/login", "/gradio_api/login")
# Where a full queue shows: a busy server says when to come back, in both languages.
QUEUE_PATHS = ("/gradio_api/queue/join", "/gradio_api/call/", "/gradio_api/run/")
BUSY_RETRY_S = 5
BUSY_MESSAGE = ("The service is busy: please try again in a few seconds. 服务繁忙，请过几秒再试。")
BUSY_BODY = json.dumps({"detail": BUSY_MESSAGE, "error": BUSY_MESSAGE}, ensure_ascii=False).encode("utf-8")
MAX_FAILED_LOGINS = 5  # per client address, in LOGIN_WINDOW seconds
LOGIN_WINDOW = 60.0
MAX_NEW_QUESTIONS = 20  # per remote client address, in QUESTION_WINDOW seconds
QUESTION_WINDOW = 10.0


class Guard:
    def __init__(self, app, max_body: int = MAX_BODY):
        self.app = app
        self.max_body = max_body
        self.failed_logins = Window(MAX_FAILED_LOGINS, LOGIN_WINDOW)  # per client address
        self.questions = Window(MAX_NEW_QUESTIONS, QUESTION_WINDOW)  # per remote client address

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        if path.rstrip("/") in UPLOAD_PATHS:
            return await _refuse(send, 404, "Uploads are disabled: this app takes no files.")
        gradio = scope.get("app")  # the FastAPI app Starlette puts in the scope: its auth and sessions
        if getattr(gradio, "auth", None) and path.startswith(SESSION_ROUTES) and not _logged_in(scope, gradio):
            return await _refuse(send, 401, "Log in first.")
        if path.rstrip("/") in LOGIN_PATHS and scope.get("method") == "POST":
            return await _login_guarded(self, scope, receive, send)
        if scope.get("method") == "POST" and path.startswith(QUEUE_PATHS) and not _remote_question_admitted(self, scope):
            return await _refuse(send, 429, BUSY_MESSAGE, [(b"retry-after", str(BUSY_RETRY_S).encode())])
        if path.rstrip("/") in OWN_BODY_CAP:  # a document added in the app: its route caps the body
            return await self.app(scope, receive, _responder(send, True, False))
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            return await _refuse(send, 413, f"The request body is over {self.max_body // 1024} KiB.")
        seen = 0
        refused = False

        async def limited_receive():
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    refused = True
                    return {"type": "http.disconnect"}
            return message

        api = path.startswith("/gradio_api/")
        if scope.get("method") == "POST" and path.rstrip("/") in ASK_PATHS:
            # `{"data": ["question"]}` is the form people write: k is optional, so it is filled in.
            body = await _read_all(limited_receive)
            if refused:
                return await _refuse(send, 413, f"The request body is over {self.max_body // 1024} KiB.")
            body = _with_default_k(body)
            scope = {**scope, "headers": [h for h in scope["headers"] if h[0].lower() != b"content-length"]
                     + [(b"content-length", str(len(body)).encode())]}
            limited_receive = _replay(body)

        await self.app(scope, limited_receive, _responder(send, api, path.startswith(QUEUE_PATHS)))


class Window:
    """How many times each key (a client address) did something in the last `seconds`; keys
    idle for longer are forgotten, so the table stays small."""

    def __init__(self, limit: int, seconds: float):
        self.limit, self.seconds = limit, seconds
        self.times: dict[str, list[float]] = {}

    def wait(self, key: str) -> int:
        """Seconds until `key` may act again; 0 when it may now."""
        import time

        now = time.monotonic()
        if len(self.times) > 10_000:
            self.times = {k: ts for k, ts in self.times.items() if ts and now - ts[-1] < self.seconds}
        recent = [t for t in self.times.get(key, ()) if now - t < self.seconds]
        self.times[key] = recent
        return int(self.seconds - (now - recent[0])) + 1 if len(recent) >= self.limit else 0

    def add(self, key: str) -> None:
        import time

        self.times.setdefault(key, []).append(time.monotonic())


def _remote_question_admitted(guard: "Guard", scope) -> bool:
    """One client address may start MAX_NEW_QUESTIONS in QUESTION_WINDOW seconds, so it cannot
    fill the shared queue. Loopback clients are not counted (a local user, or the proxy when it
    does not say whom it forwards for); behind deploy/'s proxy, uvicorn reads the real address
    from X-Forwarded-For, and the proxy limits rates itself too."""
    import ipaddress

    client = (scope.get("client") or ("127.0.0.1",))[0]
    try:
        if ipaddress.ip_address(client).is_loopback:
            return True
    except ValueError:
        pass
    if guard.questions.wait(client):
        return False
    guard.questions.add(client)
    return True


def _responder(send, api: bool, queue: bool):
    """`send` with the guard's headers added: the safe-header set, no-store on the API, no
    Server banner; and a full queue answered with Retry-After and a message in both languages
    instead of Gradio's "Queue is full"."""
    state = {"busy": False}

    async def respond(message):
        if message["type"] == "http.response.start":
            headers = [h for h in message.get("headers", []) if h[0].lower() != b"server"] + HEADERS
            if api:
                headers.append((b"cache-control", b"no-store"))
            if queue and message.get("status") == 503:
                state["busy"] = True
                headers = [h for h in headers if h[0].lower() != b"content-length"] + [
                    (b"retry-after", str(BUSY_RETRY_S).encode()), (b"content-length", str(len(BUSY_BODY)).encode())]
            message = {**message, "headers": headers}
        elif message["type"] == "http.response.body" and state["busy"]:
            if state.get("sent"):
                return  # the rest of Gradio's own body
            state["sent"] = True
            message = {"type": "http.response.body", "body": BUSY_BODY, "more_body": False}
        await send(message)

    return respond


async def _login_guarded(guard: "Guard", scope, receive, send):
    """A login attempt: refused for a while after too many failures from the same address."""
    client = (scope.get("client") or ("?",))[0]
    wait = guard.failed_logins.wait(client)
    if wait:
        return await _refuse(send, 429, f"Too many failed logins; try again in {wait} s.",
                             [(b"retry-after", str(wait).encode())])
    status = {}

    async def noting(message):
        if message["type"] == "http.response.start":
            status["code"] = message["status"]
            message = {**message, "headers": list(message.get("headers", [])) + HEADERS}
        await send(message)

    await guard.app(scope, receive, noting)
    if status.get("code") in (400, 401, 403):
        guard.failed_logins.add(client)


def _logged_in(scope, gradio) -> bool:
    """Whether the request carries a session token Gradio issued at login."""
    cookies = {}
    for name, value in scope.get("headers") or ():
        if name.lower() == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _, val = part.strip().partition("=")
                cookies[key] = val
    cookie_id = getattr(gradio, "cookie_id", "")
    tokens = getattr(gradio, "tokens", {}) or {}
    return any(cookies.get(f"{name}-{cookie_id}") in tokens for name in ("access-token", "access-token-unsecure"))


async def _read_all(receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _replay(body: bytes):
    sent = False

    async def receive():
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


ASK_PARAMETERS = 3  # question, k, document


def _with_default_k(body: bytes) -> bytes:
    """The ask call's body with `k` and `document` added as null when only the question (or the
    question and k) was sent: Gradio wants every parameter."""
    try:
        data = json.loads(body)
    except ValueError:
        return body  # Gradio answers malformed JSON itself
    if isinstance(data, dict) and isinstance(data.get("data"), list) and 1 <= len(data["data"]) < ASK_PARAMETERS:
        data["data"] += [None] * (ASK_PARAMETERS - len(data["data"]))
        return json.dumps(data).encode("utf-8")
    return body


async def _refuse(send, status: int, message: str, extra: list | None = None) -> None:
    body = json.dumps({"error": message}).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
                + HEADERS + (extra or [])})
    await send({"type": "http.response.body", "body": body})



class CorsAllowList:
    """Cross-origin reads only for the sites on the allow-list (RAG_CORS_ORIGINS, empty by
    default). Gradio's own CORS middleware echoes any Origin, with credentials, when the Host is
    not localhost, and it is the app's outermost layer: so this one is put around the whole
    stack once the server has started (`outermost`), and takes its CORS headers off any response
    to an Origin not on the list; a preflight from such an Origin is refused."""

    def __init__(self, app, origins: tuple[str, ...] = ()):
        self.app = app
        self.origins = frozenset(o.rstrip("/") for o in origins)

    async def __call__(self, scope, receive, send):
        origin = dict(scope.get("headers") or ()).get(b"origin", b"").decode("latin-1").rstrip("/")
        if scope["type"] != "http" or not origin or origin in self.origins:
            return await self.app(scope, receive, send)
        if scope.get("method") == "OPTIONS":
            return await _refuse(send, 403, "Cross-origin requests from this site are not allowed.")

        async def stripped(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [h for h in message.get("headers", [])
                                                  if not h[0].lower().startswith(b"access-control-")]}
            await send(message)

        await self.app(scope, receive, stripped)


def outermost(app, middleware, **options) -> None:
    """Wrap a Starlette app's whole middleware stack (Gradio's included) in `middleware`."""
    if app.middleware_stack is None:
        app.middleware_stack = app.build_middleware_stack()
    app.middleware_stack = middleware(app.middleware_stack, **options)


class NoBanners:
    """The server does not say which Gradio it runs: its OpenAPI schema and docs pages (which
    state the version, and which the app's own API page does not use) answer 404, and the page
    configuration gives only the major version (gradio_client picks its protocol by it).
    (uvicorn's own `server: uvicorn` header is set below the app: rag.ui.serve turns it off.)"""

    HIDDEN = ("/gradio_api/openapi.json", "/gradio_api/docs", "/gradio_api/redoc", "/openapi.json", "/docs", "/redoc")
    CONFIG = ("/config", "/gradio_api/config")

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "").rstrip("/") if scope["type"] == "http" else ""
        if path in self.HIDDEN:
            return await _refuse(send, 404, "Not found.")
        if path not in self.CONFIG:
            return await self.app(scope, receive, send)
        start, chunks = {}, []

        async def collect(message):
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, collect)
        body = b"".join(chunks)
        try:
            config = json.loads(body)
            # Clients choose their protocol by the major version: only that is kept.
            config["version"] = str(config.get("version", "")).split(".")[0]
            body = json.dumps(config, ensure_ascii=False).encode("utf-8")
        except (ValueError, AttributeError):
            pass  # not the JSON expected: passed on as it is
        headers = [h for h in start.get("headers", []) if h[0].lower() != b"content-length"]
        await send({**start, "headers": headers + [(b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class RequestDeadlines:
    """Mixed into uvicorn's HTTP protocol (rag.ui.serve does it), which has no header timeout:
    a client that opens a connection and sends half a request, or a body a byte at a time,
    would hold the connection for ever. The request line and headers must arrive within
    `header_timeout` seconds of the connection opening (or of the previous response), and the
    whole body within `body_timeout` seconds of the headers; then the connection is closed,
    and the app reading the body gets a disconnect. A connection idle after a response is
    closed by uvicorn itself (`timeout_keep_alive`, 5 s). Not handled: a client slow to *read*
    the answer, and the number of connections (the proxy in deploy/ limits both)."""

    header_timeout: float = 10.0
    body_timeout: float = 60.0
    _deadline = None  # the armed timer (asyncio.TimerHandle)
    _waiting = None  # what it waits for: ("headers" or "body", the request's cycle)

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        """Start the clock when the server starts waiting for something new; a trickle of
        bytes does not restart it. `cycle` is uvicorn's current request (h11 and httptools)."""
        cycle = self.cycle
        if cycle is None or cycle.response_complete:
            waiting, seconds = ("headers", cycle), self.header_timeout
        elif cycle.more_body:
            waiting, seconds = ("body", cycle), self.body_timeout
        else:
            waiting, seconds = None, 0.0  # the request is in: the app answers at its own pace
        if waiting == self._waiting:
            return
        self._disarm()
        self._waiting = waiting
        if waiting is not None:
            self._deadline = self.loop.call_later(seconds, self._time_out)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = self._waiting = None

    def _time_out(self) -> None:
        self._deadline = None
        # A connection upgraded to a WebSocket belongs to another protocol now.
        if not self.transport.is_closing() and self.transport.get_protocol() is self:
            self.transport.close()
