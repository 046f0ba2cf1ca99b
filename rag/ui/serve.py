"""Serving the app: loopback by default, an optional shared login, the HTTP guard in front, and
time limits on reading requests and on keeping results nobody fetched."""

import contextlib
import ipaddress
import logging
import tempfile
import time
from collections import OrderedDict

from ..config import Config
from ..errors import RagError
from .app import CONCURRENCY, CSS, create_app

log = logging.getLogger(__name__)

def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def keep_results(demo, sessions: int, seconds: float) -> None:
    """Results nobody fetched are kept for the `sessions` most recently active sessions, and
    for `seconds` at most (a fetched one is dropped at once). Gradio keeps 2,000, about 57 KB
    each, for ever; it has no setting for this, so its queue's LRU is replaced by `Results`, and
    a Gradio without one is logged."""
    queue = getattr(demo, "_queue", None)
    pending = getattr(queue, "pending_messages_per_session", None)
    if pending is None or not all(hasattr(queue, name) for name in ("event_ids_to_events", "pending_event_ids_session")):
        log.warning("cannot bound the results Gradio keeps: its queue has changed")
        return
    results = Results(queue, sessions, seconds)
    for session, messages in pending.items():
        results[session] = messages
    queue.pending_messages_per_session = results


class Results(OrderedDict):
    """Gradio's results waiting to be fetched (its queue's `pending_messages_per_session`: one
    message queue per session), kept as its LRU keeps them (`max_size` sessions, the least
    recently used dropped first) and dropped once untouched for `seconds`: no message put,
    none read. A session with a question still waiting or running is never stale."""

    def __init__(self, queue, max_size: int, seconds: float):
        super().__init__()
        self.queue, self.max_size, self.seconds = queue, max_size, seconds
        self.touched: dict[str, float] = {}

    def __setitem__(self, session: str, messages) -> None:
        self._expire()
        if not super().__contains__(session) and len(self) >= self.max_size:
            self._drop(next(iter(self)))
        super().__setitem__(session, messages)
        self._touch(session)

    def __getitem__(self, session: str):
        messages = super().__getitem__(session)  # Gradio puts and reads messages this way
        self._touch(session)
        return messages

    def __contains__(self, session) -> bool:
        self._expire()  # a stale result is gone before anyone asks for it
        return super().__contains__(session)

    def __delitem__(self, session: str) -> None:
        super().__delitem__(session)
        self.touched.pop(session, None)

    def _touch(self, session: str) -> None:
        self.touched[session] = time.monotonic()
        self.move_to_end(session)

    def _drop(self, session: str) -> None:
        del self[session]
        self.queue.pending_event_ids_session.pop(session, None)  # the ids of its unfetched results

    def _expire(self) -> None:
        """Drop the sessions untouched for `seconds`, oldest first (the order is by touch)."""
        cutoff, live = time.monotonic() - self.seconds, None
        while self:
            first = next(iter(self))
            if self.touched.get(first, 0.0) > cutoff:
                break
            if live is None:
                live = {event.session_hash for event in list(self.queue.event_ids_to_events.values())}
            if first in live:
                self._touch(first)  # still waiting or running: its result is to come
            else:
                self._drop(first)


@contextlib.contextmanager
def timed_server(config: Config):
    """While Gradio starts its uvicorn server, that server reads requests with
    `rag.guard.RequestDeadlines` (uvicorn has no header timeout of its own) and sends no
    `server: uvicorn` header. Gradio's `launch()` builds the server's settings itself and takes
    none of these, so its server class is swapped for a subclass that sets them, for the time
    of the call. Yields that subclass, or None when Gradio has no such class any more."""
    from gradio import http_server
    from uvicorn.protocols.http.auto import AutoHTTPProtocol

    from ..guard import RequestDeadlines

    gradio_server = getattr(http_server, "Server", None)
    if gradio_server is None:
        yield None
        return
    protocol = type("TimedHTTPProtocol", (RequestDeadlines, AutoHTTPProtocol),
                    {"header_timeout": config.header_timeout, "body_timeout": config.body_timeout})

    class TimedServer(gradio_server):
        def __init__(self, config, *args, **kwargs):  # uvicorn's Config, before it is loaded
            config.http, config.server_header = protocol, False
            super().__init__(config, *args, **kwargs)

    http_server.Server = TimedServer
    try:
        yield TimedServer
    finally:
        http_server.Server = gradio_server


def launch(config: Config) -> None:
    """Open the engine (building the index if needed) and serve the app until interrupted."""
    if not is_loopback(config.host):
        log.warning("binding %s: the app is reachable from other machines%s", config.host,
                    "" if config.auth else "; set RAG_AUTH_USER and RAG_AUTH_PASSWORD to require a login")
    # The server's temporary files (Gradio's cache among them, whose folder Gradio fixes when it
    # is imported) go under RAG_TEMP_DIR (default: the index folder), not the system's.
    temp = config.temp_path  # replicas sharing one read-only index each have their own
    temp.mkdir(parents=True, exist_ok=True)
    tempfile.tempdir = str(temp)
    from starlette.middleware import Middleware

    from ..guard import CorsAllowList, Guard, NoBanners, outermost
    from ..library import open_engine

    engine = open_engine(config)
    demo = create_app(engine, config, analytics=config.analytics)
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=config.queue_size)
    keep_results(demo, config.results_kept, config.results_ttl)
    try:
        with timed_server(config) as timed:
            demo.launch(
                server_name=config.host, server_port=config.port, share=False, auth=config.auth,
                prevent_thread_lock=True, quiet=True, show_error=False, ssr_mode=False, pwa=False,
                mcp_server=False, enable_monitoring=False, run_history=False, inbrowser=False,
                css=CSS, footer_links=[],  # no "Use via API · Built with Gradio" for the public
                app_kwargs={"middleware": [Middleware(Guard), Middleware(NoBanners)]},  # see rag.guard
            )
    except OSError as e:
        reason = str(e).split(". ")[0]  # Gradio's message goes on to suggest its own variables
        raise RagError(f"Cannot serve on {config.host}:{config.port}: {reason}. "
                       f"Choose another port with --port or RAG_PORT.") from e
    if timed is None or not isinstance(getattr(demo, "server", None), timed):
        log.warning("Gradio's server has changed: requests are served without header and body "
                    "timeouts, and with a `server: uvicorn` header")
    outermost(demo.app, CorsAllowList, origins=config.cors_allowed)
    from .uploads import mount_uploads
    mount_uploads(demo.app, demo.live_library, config)  # adding and removing documents in the page
    host = f"[{config.host}]" if ":" in config.host else config.host
    log.info("serving on http://%s:%d", host, config.port)
    try:
        demo.block_thread()
    finally:
        demo.close()
