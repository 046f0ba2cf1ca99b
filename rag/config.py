"""Configuration: defaults, overridden by RAG_* environment variables, overridden by flags.

The environment is read here and nowhere else.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Mapping, get_type_hints

from .embed import DEFAULT_MODEL
from .errors import RagError

DATA = Path(__file__).parent / "data"
BUNDLED_DOCUMENT = DATA / "policy.zh.txt"
BUNDLED_ENGLISH = DATA / "policy.en.jsonl"
MAX_QUESTION_CHARS = 2000


def default_index_dir() -> Path:
    """`index/` of the source checkout the package runs from, else a per-user cache folder."""
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "pyproject.toml").exists() and os.access(checkout, os.W_OK):
        return checkout / "index"
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "rag-policy" / "index"


def document_folder(path: Path) -> str:
    """A folder name of its own for a document file: its name, made safe, and a hash of where it is."""
    import hashlib

    where = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:10]
    name = re.sub(r"[^\w.-]+", "_", path.name)[:40]
    return f"{name}-{where}"


@dataclass(frozen=True)
class Config:
    model: str = DEFAULT_MODEL
    document: Path = BUNDLED_DOCUMENT
    english: Path | None = BUNDLED_ENGLISH  # the aligned English edition; None to switch it off
    index_dir: Path | None = None  # None: default_index_dir()
    k: int = 3
    rebuild: bool = True  # rebuild a missing or stale index instead of failing
    threads: int = 0  # 0: all cores
    rerank: bool = True  # the second model (multilingual-e5-small) reorders the candidates (rag.retrieve.second)
    host: str = "127.0.0.1"
    port: int = 7860
    feedback: Path | None = None  # None: <index_dir>/../feedback.jsonl
    feedback_max_bytes: int = 10 * 2**20  # then it is rotated to feedback.jsonl.1 (.2, .3 kept)
    temp_dir: Path | None = None  # the server's temporary files; None: <index_dir>/tmp
    max_upload_bytes: int = 20 * 2**20  # a document added in the web app's Documents tab
    max_question_chars: int = MAX_QUESTION_CHARS
    # The generator (rag.generator): none by default; "http" (an OpenAI-compatible server at
    # llm_url) or "llama" (a local GGUF file, llm_path, or the pinned llm_model installed by
    # `bash scripts/setup --llm`). Its key is read from RAG_LLM_KEY only and never shown.
    generator: str = ""
    answer: str = "extractive"  # or "generate": generated and verified, extractive on failure
    llm_url: str = ""
    llm_model: str = ""
    llm_path: str = ""
    llm_sha256: str = ""
    llm_key: str = field(default="", repr=False)
    llm_timeout: float = 60.0  # seconds for one answer, then the extractive one is shown
    translate: bool = True  # with a generator, machine-translate documents that have no English edition
    questions: bool = False  # with the 1.5B model, write the questions each paragraph answers (rag.questions)
    # With a calibrated local model (rag.judge): refuse an answer the model says its passages do not state.
    judge: bool = False
    # Serving. The login is read from RAG_AUTH_USER and RAG_AUTH_PASSWORD only (never a flag,
    # which `ps` shows), and the password never shows in a repr.
    auth_user: str = ""
    auth_password: str = field(default="", repr=False)
    analytics: bool = False  # Gradio's usage analytics: off unless RAG_ANALYTICS=1
    queue_size: int = 64  # questions waiting for the two workers; then "busy, try again" (503)
    results_kept: int = 256  # sessions whose unfetched results are kept (oldest dropped first)
    results_ttl: float = 300.0  # seconds an unfetched result is kept, then dropped
    header_timeout: float = 10.0  # seconds a client has to send a request's line and headers
    body_timeout: float = 60.0  # seconds a client has to send a request's whole body
    cors_origins: str = ""  # sites whose pages may call the API from a browser, comma-separated
    allow_download: bool = False  # let sentence-transformers fetch a hub model (RAG_ALLOW_DOWNLOAD=1)

    def __post_init__(self) -> None:
        if not 1 <= self.k <= 20:
            raise RagError(f"k must be between 1 and 20, got {self.k}.")
        if not 0 < self.port < 65536:
            raise RagError(f"port must be between 1 and 65535, got {self.port}.")
        if self.generator not in ("", "none", "http", "llama"):
            raise RagError(f"generator must be 'http' or 'llama' (or empty for none), got {self.generator!r}.")
        if self.answer not in ("extractive", "generate"):
            raise RagError(f"answer must be 'extractive' or 'generate', got {self.answer!r}.")
        if not self.queue_size <= self.results_kept <= 10_000:
            # An event still waiting in the queue must keep its place for its result.
            raise RagError(f"results_kept must be between queue_size ({self.queue_size}) and 10000, "
                           f"got {self.results_kept}.")
        if not 1 <= self.queue_size <= 10_000:
            raise RagError(f"queue_size must be between 1 and 10000, got {self.queue_size}.")
        if not 1 <= self.results_ttl <= 86_400:
            raise RagError(f"results_ttl must be between 1 and 86400 seconds, got {self.results_ttl}.")
        for name in ("header_timeout", "body_timeout"):
            if not 1 <= getattr(self, name) <= 3600:
                raise RagError(f"{name} must be between 1 and 3600 seconds, got {getattr(self, name)}.")
        if not 1 <= self.llm_timeout <= 600:
            raise RagError(f"llm_timeout must be between 1 and 600 seconds, got {self.llm_timeout}.")
        if not 1 <= self.max_upload_bytes <= 20 * 2**20:
            raise RagError(f"max_upload_bytes must be between 1 and 20 MiB (the largest document read), "
                           f"got {self.max_upload_bytes}.")
        if bool(self.auth_user) != bool(self.auth_password):
            raise RagError("Set both RAG_AUTH_USER and RAG_AUTH_PASSWORD to require a login, or neither.")

    @property
    def cors_allowed(self) -> tuple[str, ...]:
        return tuple(o.strip() for o in self.cors_origins.split(",") if o.strip())

    @property
    def auth(self) -> tuple[str, str] | None:
        """(user, password) when a login is required."""
        return (self.auth_user, self.auth_password) if self.auth_user else None

    @property
    def root_path(self) -> Path:
        """The index folder: the library, the bundled document's index, the server's files."""
        return Path(self.index_dir) if self.index_dir else default_index_dir()

    @property
    def index_path(self) -> Path:
        """Where this document's index lives: `index_dir` when one is given; else the root for
        the bundled document, and a folder of its own under the root's documents/ for any other
        file, so that asking one file (`--document`) never rebuilds another's index, nor the
        one a running app answers from."""
        if self.index_dir or Path(self.document).resolve() == BUNDLED_DOCUMENT.resolve():
            return self.root_path
        return self.root_path / "documents" / document_folder(Path(self.document))

    @property
    def temp_path(self) -> Path:
        return Path(self.temp_dir) if self.temp_dir else self.root_path / "tmp"

    @property
    def feedback_path(self) -> Path:
        return Path(self.feedback) if self.feedback else self.root_path.parent / "feedback.jsonl"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> "Config":
        """Defaults < RAG_* variables < `overrides` (flags); None overrides are ignored."""
        env = os.environ if env is None else env
        values: dict = {}
        for f in fields(cls):
            raw = env.get("RAG_" + f.name.upper())
            if raw is None or raw == "":
                continue
            values[f.name] = _coerce(f.name, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        if values.get("english") in ("", "off", "none", "0"):
            values["english"] = None
        for key in ("document", "english", "index_dir", "feedback", "temp_dir"):
            if isinstance(values.get(key), str):
                values[key] = Path(values[key])
        return replace(cls(), **values)


_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _coerce(name: str, raw: str):
    """A RAG_* value as the type its Config field declares; a clear error for a bad one."""
    kind = get_type_hints(Config)[name]
    if kind is bool:
        if raw.strip().lower() not in _TRUE + _FALSE:
            raise RagError(f"RAG_{name.upper()}={raw!r} is not a yes/no value (use 1 or 0).")
        return raw.strip().lower() in _TRUE
    if kind in (int, float):
        try:
            return kind(raw)
        except ValueError as e:
            raise RagError(f"RAG_{name.upper()}={raw!r} is not a number.") from e
    return raw


def cache_root() -> Path:
    """Where downloaded models are kept: $XDG_CACHE_HOME/rag-policy, else ~/.cache/rag-policy."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "rag-policy"
