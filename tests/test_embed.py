"""Embedders: the bundled default, a tiny sentence-transformers model, and clear failures."""

import subprocess
import sys
import time

import numpy as np
import pytest

from rag.embed import DEFAULT_MODEL, SentenceTransformerEmbedder, load_embedder
from rag.errors import ModelError


@pytest.mark.slow
def test_bundled_model_is_normalized(real_embedder):
    v = real_embedder.encode_queries(["养老金能按时足额发放吗？", "Will pensions be paid on time?", ""])
    assert v.shape == (3, 512) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert float(v[0] @ v[1]) > 0.4  # the same question in two languages


def test_default_path_does_not_import_sentence_transformers():
    code = ("import sys; from rag.embed import load_embedder; load_embedder(None); "
            "print('sentence_transformers' in sys.modules, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


@pytest.mark.slow
def test_tiny_sentence_transformer_offline(tiny_st_model, offline, config):
    emb = load_embedder(str(tiny_st_model))
    assert isinstance(emb, SentenceTransformerEmbedder)
    assert emb.dim == 32 and emb.model_id == str(tiny_st_model)
    assert (emb.query_prompt, emb.passage_prompt) == ("问：", "答：")
    q = emb.encode_queries(["养老金"])
    p = emb.encode_passages(["养老金"])
    assert q.shape == (1, 32) and np.isclose(np.linalg.norm(q), 1.0, atol=1e-4)
    assert not np.allclose(q, p)  # the prompts differ


@pytest.mark.slow
def test_engine_with_tiny_model(tiny_st_model, offline, config):
    from dataclasses import replace

    from rag.engine import Engine

    engine = Engine.open(replace(config, model=str(tiny_st_model)))
    assert engine.loaded.manifest.model == str(tiny_st_model)
    assert engine.loaded.manifest.dim == 32
    a = engine.ask("养老金能按时足额发放吗？")
    assert all(c.id.startswith("§") for c in a.citations)


def test_missing_folder_fails_at_once(tmp_path):
    start = time.monotonic()
    with pytest.raises(ModelError) as e:
        load_embedder(str(tmp_path / "no-such-model"))
    assert time.monotonic() - start < 5
    assert "no-such-model" in str(e.value) and DEFAULT_MODEL in str(e.value)


@pytest.mark.slow
def test_unknown_hub_id_fails_fast_offline(offline, monkeypatch):
    monkeypatch.delenv("RAG_ALLOW_DOWNLOAD", raising=False)
    with pytest.raises(ModelError) as e:
        load_embedder("example-org/not-a-real-model-xyz")
    msg = str(e.value)
    assert "example-org/not-a-real-model-xyz" in msg and "--model PATH" in msg and DEFAULT_MODEL in msg


def test_folder_that_is_not_a_model(tmp_path):
    (tmp_path / "junk.txt").write_text("x")
    with pytest.raises(ModelError, match="Cannot load embedding model"):
        load_embedder(str(tmp_path))


def test_rag_threads_sets_the_models_threads_and_a_bad_value_is_refused():
    # On a machine busy with other work the models compute on fewer threads (RAG_THREADS=1).
    from rag.config import Config
    from rag.errors import RagError

    config = Config.from_env({"RAG_THREADS": "1"})
    assert config.threads == 1
    assert load_embedder(None, threads=config.threads)._threads == 1
    with pytest.raises(RagError, match="RAG_THREADS"):
        Config.from_env({"RAG_THREADS": "two"})
