"""The second model (rag.retrieve.second): checked by hash, switched off by RAG_RERANK=0, its
vectors made with the build and read after, and its opinion reordering the candidates."""

from __future__ import annotations

import numpy as np
import pytest

from rag import embed
from rag.config import Config
from rag.engine import Engine
from rag.errors import ModelError
from rag.retrieve import Params
from rag.retrieve.second import SecondOpinion, passage_text

from conftest import FakeEmbedder


class Pointing(FakeEmbedder):
    """A second model whose every question lands on one passage."""

    def __init__(self, target: str):
        super().__init__("pointing")
        self.target = target
        self.passages = 0

    def encode_queries(self, texts):
        return np.vstack([self._one(self.target)] * len(texts))

    def encode_passages(self, texts):
        self.passages += len(texts)
        return super().encode_queries(texts)


@pytest.mark.slow
@pytest.mark.real_second
def test_the_real_model_puts_the_passage_that_answers_first_in_both_languages():
    model = embed.load_second(1)
    passages = ["工伤发生后，认定申请须在三十日内递交。",
                "公积金贷款年限最长三十年。",
                "领取失业金期间，可参加职工医保。"]
    p = model.encode_passages(passages)
    assert p.shape == (3, embed.E5SmallEmbedder.dim)
    for question in ("工伤认定多久内要申请？", "How soon after an accident should a work-injury ruling be sought?"):
        assert int(np.argmax(p @ model.encode_queries([question])[0])) == 0


@pytest.mark.real_second
def test_a_model_file_that_is_not_the_pinned_one_is_not_loaded(monkeypatch):
    monkeypatch.setattr(embed, "SECOND_SHA256", "0" * 64)
    with pytest.raises(ModelError, match="RAG_RERANK=0"):
        embed.E5SmallEmbedder(1)


def test_rag_rerank_0_ranks_without_the_second_model(config, fake_embedder, monkeypatch):
    monkeypatch.setenv("RAG_RERANK", "0")
    off = Config.from_env(index_dir=config.index_dir)
    assert off.rerank is False
    assert Engine.open(off, embedder=fake_embedder).retriever.second is None
    assert Engine.open(config, embedder=fake_embedder).retriever.second is not None


def test_scores_are_standardized_over_the_documents_paragraphs():
    fake = FakeEmbedder()
    opinion = SecondOpinion(fake, fake.encode_passages(["失业保险金", "住房公积金", "工伤保险待遇", "最低工资标准"]))
    z = opinion.scores(["失业保险金怎么领", "公积金"])
    assert z.shape == (2, 4)
    assert np.allclose(z.mean(axis=1), 0, atol=1e-5) and np.allclose(z.std(axis=1), 1, atol=1e-3)
    assert int(np.argmax(z[0])) == 0
    one = SecondOpinion(fake, fake.encode_passages(["只有一段"]))
    assert one.scores(["问题"]).tolist() == [[0.0]]  # one paragraph: no opinion, not a division by zero


def test_the_vectors_are_made_with_the_build_and_read_at_the_next_start(config, fake_embedder, monkeypatch):
    first = Engine.open(config, embedder=fake_embedder)
    target = passage_text(first.doc.paragraphs[-1])
    pointing = Pointing(target)
    monkeypatch.setattr("rag.engine.load_second", lambda threads=None: pointing)
    Engine.open(config, embedder=fake_embedder)
    Engine.open(config, embedder=fake_embedder)
    # "pointing" is another model than the fake's: its vectors are made once, then read
    assert pointing.passages == len(first.doc.paragraphs)


def test_the_second_opinion_reorders_the_candidates(config, fake_embedder, monkeypatch):
    question = "失业保险金怎么领取？"
    plain = Engine.open(config, embedder=fake_embedder, params=Params(second_weight=0.0))
    before = [h.paragraph.id for h in plain.retrieve(question, "zh", 3).hits]
    target = next(p for p in plain.doc.paragraphs if p.role != "header" and p.id not in before)
    monkeypatch.setattr("rag.engine.load_second", lambda threads=None: Pointing(passage_text(target)))
    strong = Engine.open(config, embedder=fake_embedder, params=Params(second_weight=2.0))
    assert strong.retrieve(question, "zh", 3).hits[0].paragraph.id == target.id
    off = Engine.open(config, embedder=fake_embedder, params=Params(second_weight=0.0))
    assert [h.paragraph.id for h in off.retrieve(question, "zh", 3).hits] == before


def test_a_start_loads_the_second_model_beside_the_first_and_a_failure_waits_for_its_use(config, monkeypatch):
    import threading

    from rag.engine import prefetch_second

    seen, done = [], threading.Event()

    def load(threads=None):
        seen.append(threading.current_thread().name)
        done.set()
        raise ModelError("no such model")  # swallowed on the side thread: raised again where it is used

    monkeypatch.setattr("rag.engine.load_second", load)
    prefetch_second(config)
    assert done.wait(10) and seen == ["second-model"]
    prefetch_second(Config(index_dir=config.index_dir, rerank=False))
    assert seen == ["second-model"]
