"""Shared fixtures: a fast fake embedder for unit tests, the real bundled model for
integration tests (loaded once), and a tiny sentence-transformers model built on the spot."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest

from rag.config import BUNDLED_DOCUMENT, Config

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


class FakeEmbedder:
    """Hashed character bigrams: deterministic, instant, and similar texts land close."""

    model_id = "fake-bigram-64"
    dim = 64

    def __init__(self, model_id: str = "fake-bigram-64"):
        self.model_id = model_id
        self.calls = 0

    def _one(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        t = text.lower()
        for i in range(max(1, len(t) - 1)):
            h = int(hashlib.md5(t[i : i + 2].encode()).hexdigest()[:8], 16)
            v[h % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def encode_queries(self, texts):
        self.calls += 1
        return np.vstack([self._one(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    encode_passages = encode_queries


@pytest.fixture(autouse=True)
def fake_second(request, monkeypatch):
    """The second model (rag.retrieve.second) as a fake in every test but those marked
    `real_second`: the real one embeds the bundled interview in seconds, at every new index.
    Session fixtures (real_engine) are made before this and keep the real one."""
    if request.node.get_closest_marker("real_second"):
        return None
    fake = Indifferent()
    monkeypatch.setattr("rag.engine.load_second", lambda threads=None: fake)
    return fake


class Indifferent(FakeEmbedder):
    """A second model of no opinion: every text the same vector, so it changes no order (its
    path still runs: vectors made with the build, saved, read). tests/test_second.py gives one
    with an opinion."""

    def __init__(self):
        super().__init__("indifferent")

    def encode_queries(self, texts):
        return np.full((len(texts), self.dim), self.dim ** -0.5, dtype=np.float32)

    encode_passages = encode_queries


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def config(tmp_path) -> Config:
    return Config(index_dir=tmp_path / "index", feedback=tmp_path / "feedback.jsonl")


@pytest.fixture
def fake_engine(config, fake_embedder):
    from rag.engine import Engine

    return Engine.open(config, embedder=fake_embedder)


@pytest.fixture(scope="session")
def real_embedder():
    from rag.embed import USEEmbedder

    return USEEmbedder()


@pytest.fixture(scope="session")
def real_engine(tmp_path_factory, real_embedder):
    from rag.engine import Engine

    cfg = Config(index_dir=tmp_path_factory.mktemp("real") / "index")
    return Engine.open(cfg, embedder=real_embedder)


@pytest.fixture(scope="session")
def tiny_st_model(tmp_path_factory) -> Path:
    """A sentence-transformers folder with a 1-layer BERT (hidden size 32) and a few hundred
    vocabulary entries, made with transformers and tokenizers: no network needed."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers
    from transformers import BertConfig, BertModel, BertTokenizerFast

    text = BUNDLED_DOCUMENT.read_text(encoding="utf-8")
    chars = [c for c, _ in sorted(((c, text.count(c)) for c in set(text) if not c.isspace()), key=lambda x: -x[1])]
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + list("abcdefghijklmnopqrstuvwxyz0123456789") + chars[:300]
    vocab = list(dict.fromkeys(vocab))
    raw = tmp_path_factory.mktemp("tiny-bert")
    tok = Tokenizer(models.WordPiece({t: i for i, t in enumerate(vocab)}, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    fast = BertTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                             sep_token="[SEP]", mask_token="[MASK]")
    fast.save_pretrained(raw)
    import torch

    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=256)
    BertModel(cfg).save_pretrained(raw)

    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer import modules as st_models

    out = tmp_path_factory.mktemp("tiny-st") / "tiny-st"
    body = st_models.Transformer(str(raw), max_seq_length=128)
    pool = st_models.Pooling(body.get_embedding_dimension(), pooling_mode="mean")
    st = SentenceTransformer(modules=[body, pool], device="cpu",
                             prompts={"query": "问：", "passage": "答："})
    st.save(str(out))
    shutil.rmtree(raw, ignore_errors=True)
    return out


@pytest.fixture
def offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
