"""Serving the app: loopback by default, an optional shared login, and the HTTP guard in front."""

import ipaddress
import logging
import tempfile

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


def keep_results(demo, sessions: int) -> None:
    """Results nobody fetched are kept for the `sessions` most recent sessions, the oldest
    dropped first (a fetched one is dropped at once). Gradio keeps 2,000, about 57 KB each; it
    has no setting for this, so its own LRU's size is set, and a Gradio without it is logged."""
    pending = getattr(getattr(demo, "_queue", None), "pending_messages_per_session", None)
    if pending is None or not hasattr(pending, "max_size"):
        log.warning("cannot bound the results Gradio keeps: its queue has changed")
        return
    pending.max_size = sessions


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
    keep_results(demo, config.results_kept)
    try:
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
    outermost(demo.app, CorsAllowList, origins=config.cors_allowed)
    host = f"[{config.host}]" if ":" in config.host else config.host
    log.info("serving on http://%s:%d", host, config.port)
    try:
        demo.block_thread()
    finally:
        demo.close()
