"""Adding and removing documents from the web app: two small routes beside Gradio's.

    POST /documents/upload   the file as the request body, its name (URL-encoded) in X-Filename
    POST /documents/remove   {"key": "notice"}

Each answers JSON: {key, title, kind} of the document added or removed, or {error, error_zh}
with 400, 403, 409, 413, 415 or 429; never a server path or a traceback.

Who may: with a login (RAG_AUTH_*), whoever is logged in; without one, a client on this machine
of a server bound to loopback, under a loopback Host name (so a DNS-rebinding page cannot pass
for this machine). Never a page of another site: an Origin must be this server's own.

A file is streamed to a random name in <temp>/uploads, refused past `max_upload_bytes` (the
guard's 64 KiB body cap exempts this one route: rag.guard.OWN_BODY_CAP), two at a time at most;
the library then checks its type and reads it (rag.ingest), embeds that document alone and the
running app swaps to the new library (LiveLibrary.add). The file is deleted whatever happens,
and the folder is emptied when the server starts. Gradio's own upload routes stay closed: they
take any file and answer with server paths.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from ..config import Config
from ..errors import RagError
from ..guard import OWN_BODY_CAP, _logged_in
from ..ingest import SUFFIXES
from ..library import LiveLibrary, document_key
from .labels import size_text

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import JSONResponse

log = logging.getLogger(__name__)

UPLOAD_PATH = OWN_BODY_CAP[0]
REMOVE_PATH = "/documents/remove"
AT_ONCE = 2  # uploads in progress: with the size cap, this bounds the temporary folder
TYPES = " ".join(s for s in SUFFIXES if s not in (".markdown", ".htm"))

MESSAGES: dict[str, tuple[str, str]] = {
    "forbidden": ("Documents can be added or removed only on this computer, or after logging in.",
                  "只有在本机，或登录之后，才能添加或删除文件。"),
    "fixed": ("This app answers from one file (--document), not from the library: restart it without "
              "--document to change the library.",
              "本应用只依据一个文件（--document）回答，不使用资料库；去掉 --document 重新启动后才能修改资料库。"),
    "too_big": ("The file is over the {size} limit.", "文件超过 {size} 的上限。"),
    "type": ("Unsupported file type: use {types}.", "不支持该文件类型，请使用 {types}。"),
    "busy": ("Other documents are being added: try again in a moment.", "正在添加其他文件，请稍后再试。"),
    "not_added": ("The document was not added: {detail}", "未能添加该文件：{detail}"),
    "not_removed": ("The document was not removed: {detail}", "未能删除该文件：{detail}"),
    "bad_request": ("Send {{\"key\": \"…\"}} as JSON.", "请以 JSON 发送 {{\"key\": \"…\"}}。"),
    "oops": ("Something went wrong; it has been logged. The library is unchanged.",
             "出错了，已记录日志；资料库未作更改。"),
}


def may_change(config: Config, client: str, host: str, logged_in: bool) -> bool:
    """Whether a request may add or remove documents. `client`: its address; `host`: its Host
    header; `logged_in`: it carries a session Gradio issued at login."""
    from .serve import is_loopback  # serve imports the page, which imports this module

    if config.auth:
        return logged_in
    name = urlsplit(f"//{host}").hostname or ""
    return is_loopback(config.host) and is_loopback(client) and is_loopback(name)


def may_change_page(config: Config, request: Any) -> bool:
    """`may_change` for a Gradio event (gr.Request): whether the Documents tab offers the buttons."""
    if request is None:
        return False
    client = getattr(getattr(request, "client", None), "host", "") or ""
    host = (getattr(request, "headers", None) or {}).get("host", "")
    return may_change(config, client, host, bool(getattr(request, "username", None)))


def mount_uploads(app, live: LiveLibrary, config: Config) -> None:
    """Serve the two routes on the launched app (before Gradio's own), over `live`."""
    from starlette.routing import Route

    folder = config.temp_path / "uploads"
    _empty(folder)
    state = {"busy": 0}

    async def upload(request: "Request") -> "JSONResponse":
        refused = _refusal(request, app, live, config)
        if refused is not None:
            return refused
        name = _file_name(request.headers.get("x-filename", ""))
        suffix = Path(name).suffix.lower()
        if not name or suffix not in SUFFIXES:
            return _error(415, "type", types=TYPES)
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > config.max_upload_bytes):
            return _error(413, "too_big", size=size_text(config.max_upload_bytes))
        if state["busy"] >= AT_ONCE:
            return _error(429, "busy")
        state["busy"] += 1
        try:
            return await _add(request, live, config, folder, name)
        finally:
            state["busy"] -= 1

    async def remove(request: "Request") -> "JSONResponse":
        from starlette.concurrency import run_in_threadpool

        refused = _refusal(request, app, live, config)
        if refused is not None:
            return refused
        try:
            key = json.loads(await request.body())["key"]
        except (ValueError, TypeError, KeyError):
            key = None
        if not isinstance(key, str) or "json" not in request.headers.get("content-type", ""):
            return _error(400, "bad_request")
        try:
            entry = await run_in_threadpool(live.remove, key[:64])
        except RagError as e:
            return _error(400, "not_removed", detail=_public(str(e), config))
        return _entry_json(entry)

    app.router.routes[:0] = [Route(UPLOAD_PATH, upload, methods=["POST"]),
                             Route(REMOVE_PATH, remove, methods=["POST"])]


async def _add(request: "Request", live: LiveLibrary, config: Config, folder: Path, name: str) -> "JSONResponse":
    """Receive the file, add it under the key its own name gives, and delete it in any case."""
    from starlette.concurrency import run_in_threadpool

    path = None
    try:
        path = await _receive(request, folder, Path(name).suffix.lower(), config.max_upload_bytes)
        if path is None:
            return _error(413, "too_big", size=size_text(config.max_upload_bytes))
        entry = await run_in_threadpool(live.add, path, document_key(name))
        return _entry_json(entry)
    except RagError as e:
        return _error(400, "not_added", detail=_public(str(e), config, path, name))
    except OSError as e:  # the temporary folder is full or unwritable
        log.error("an uploaded document could not be stored: %s", e)
        return _error(500, "not_added", detail=e.strerror or type(e).__name__)
    except Exception:
        log.exception("unexpected error adding %r", name)
        return _error(500, "oops")
    finally:
        if path is not None:
            path.unlink(missing_ok=True)


async def _receive(request: "Request", folder: Path, suffix: str, cap: int) -> Path | None:
    """The body, written as it arrives to a new file with a random name; None (and no file)
    once it passes `cap` bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{secrets.token_hex(12)}{suffix}"
    size = 0
    try:
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            async for chunk in request.stream():
                size += len(chunk)
                if size > cap:
                    break
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if size > cap:
        path.unlink(missing_ok=True)
        return None
    return path


def _refusal(request: "Request", app, live: LiveLibrary, config: Config) -> "JSONResponse | None":
    host = request.headers.get("host", "")
    origin = request.headers.get("origin")
    if origin is not None and urlsplit(origin).netloc != host:
        return _error(403, "forbidden")  # another site's page (or a sandboxed one, Origin: null)
    client = request.client.host if request.client else ""
    if not may_change(config, client, host, _logged_in(request.scope, app)):
        return _error(403, "forbidden")
    if not live.follows:
        return _error(409, "fixed")
    return None


def _file_name(raw: str) -> str:
    """The file's own name, without any folder a client put before it; "" if unusable."""
    name = unquote(raw).replace("\\", "/").rsplit("/", 1)[-1].strip()
    return "" if not name or len(name) > 255 or any(ord(c) < 32 for c in name) else name


def _public(message: str, config: Config, path: Path | None = None, name: str = "") -> str:
    """A library error as the client may read it: the file named as the user named it, and no
    server folder."""
    if path is not None:
        message = message.replace(str(path), name)
    for folder in (config.temp_path, config.root_path):
        message = message.replace(str(folder.resolve()), "").replace(str(folder), "")
    return message


def _entry_json(entry) -> "JSONResponse":
    from starlette.responses import JSONResponse

    return JSONResponse({"key": entry.key, "title": entry.title, "kind": entry.kind})


def _error(status: int, what: str, **values: Any) -> "JSONResponse":
    from starlette.responses import JSONResponse

    en, zh = MESSAGES[what]
    return JSONResponse({"error": en.format(**values), "error_zh": zh.format(**values)}, status_code=status)


def _empty(folder: Path) -> None:
    """Files left by a server that stopped mid-upload."""
    if folder.is_dir():
        for f in folder.iterdir():
            if f.is_file():
                f.unlink(missing_ok=True)
