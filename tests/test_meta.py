"""Questions about the article itself, and the off-topic prototypes behind "not covered"."""

import numpy as np
import pytest

from rag.edition import load_background
from rag.meta import asked_fields


@pytest.mark.parametrize("q, fields", [
    ("Who wrote this piece?", ("reporter",)),
    ("Which journalist conducted this interview?", ("reporter",)),
    ("headline of the interview?", ("title",)),
    ("这篇访谈的标题是什么？", ("title",)),
    ("On what date was this piece filed?", ("dateline",)),
    ("这篇采访是哪天发出的？", ("dateline",)),
    ("Who is the person being interviewed?", ("subtitle",)),
    ("这篇访谈的受访者叫什么名字？", ("subtitle",)),
    ("这篇报道是哪家通讯社发的？", ("reporter", "dateline")),
    ("这篇采访属于哪个栏目？", ("column",)),
])
def test_questions_about_the_article(q, fields):
    assert asked_fields(q) == fields


@pytest.mark.parametrize("q", [
    "What did the reporter ask about pensions?",
    "When will the new graduate measures be released?",
    "Which agency handles pension transfers?",
    "What's the title of the new eight-level worker system?",
    "A series of measures for graduates: what are they?",
    "一系列稳岗措施有哪些？",
    "Give me the headline numbers for 2025.",
    "When will the new graduate policies be announced?",
    "What job titles will the new occupations bring?",
    "养老金什么时候发？",
    "部长说了哪些稳就业的措施？",
])
def test_questions_about_the_policy_are_not_about_the_article(q):
    assert asked_fields(q) == ()


def test_load_background_skips_comments_blanks_and_repeats(tmp_path):
    f = tmp_path / "bg.txt"
    f.write_text("# weather\nWill it rain?\n\n  Will it rain?  \n# food\n怎么做饺子？\n", encoding="utf-8")
    assert load_background(f) == ("Will it rain?", "怎么做饺子？")
    assert load_background(tmp_path / "missing.txt") == ()


def test_prototypes_near_the_document_are_dropped(fake_engine):
    from rag.retrieve import Params, Retriever

    r = fake_engine.retriever
    own = fake_engine.doc.get("§4.4").text  # a paragraph of the document is not off-topic
    text_only = Params(asked_weight=0.0)  # score the paragraphs' own text alone
    kept = Retriever(r.doc, r.index, r.embedder, params=text_only, background=[own, "zzzzzzzzzzzz"])
    assert kept.background.shape == (1, r.embedder.dim)
    none = Retriever(r.doc, r.index, r.embedder)
    assert none.background.shape == (0, r.embedder.dim) and none.off_topic(np.ones(r.embedder.dim)) == 0.0


@pytest.mark.slow
@pytest.mark.parametrize("q, pid", [("这篇访谈的标题是什么？", "§0.1"), ("Who wrote this piece?", "§0.3"),
                                    ("On what date was this piece filed?", "§0.6"),
                                    ("Which ministry does the interviewee lead?", "§0.2")])
def test_article_questions_are_answered_from_the_header(real_engine, q, pid):
    a = real_engine.ask(q)
    assert not a.abstained
    assert a.citations[0].id == pid and all(c.id.startswith("§0.") for c in a.citations)


@pytest.mark.slow
@pytest.mark.parametrize("q", ["明天北京会下雨吗？", "Who won the last football World Cup?", "零基础怎么学画画？"])
def test_everyday_questions_are_not_covered(real_engine, q):
    a = real_engine.ask(q)
    assert a.abstained and a.citations == ()
