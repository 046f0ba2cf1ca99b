"""A message of several questions: split into them (rag.parts), and answered part by part
where the header alone would answer the message (Engine._in_parts)."""

from __future__ import annotations

import numpy as np
import pytest

from rag.answer import PART_NOT_COVERED
from rag.config import Config
from rag.parts import question_parts

from test_genres import NOTICE  # a notice with a header, numbered sections and two signers


@pytest.mark.parametrize("message, parts", [
    ("补贴发给谁？每人多少钱？", ("补贴发给谁？", "每人多少钱？")),
    ("Who signed the circular, and how long does the grant last?", ("Who signed the circular", "how long does the grant last?")),
    ("Is the grant taxed, and can I claim it twice?", ("Is the grant taxed", "can I claim it twice?")),
    ("Does the grant cover fees? What about books?", ("Does the grant cover fees?", "What about books?")),
    ("我刚辞职。能领补贴吗？要带什么材料", ("我刚辞职。能领补贴吗？", "要带什么材料")),  # the last without its mark
    # One question: statements before it, a part with nothing to search by, "and" without a comma.
    ("我刚辞职。能领补贴吗？", ("我刚辞职。能领补贴吗？",)),
    ("能领补贴吗？是吗？", ("能领补贴吗？是吗？",)),
    ("How much and how long is the grant?", ("How much and how long is the grant?",)),
    ("How much, and how long is the grant paid?", ("How much, and how long is the grant paid?",)),
    ("What are the rules for fees and books?", ("What are the rules for fees and books?",)),
    ("", ("",)),
    ("？？", ("？？",)),
    # Four questions are answered as one message: four whole answers would bury each other.
    ("补贴多少？发给谁？怎么申请？何时发放？", ("补贴多少？发给谁？怎么申请？何时发放？",)),
])
def test_question_parts(message, parts):
    assert question_parts(message) == parts


@pytest.fixture
def notice_engine(tmp_path, fake_embedder):
    from rag.engine import Engine

    path = tmp_path / "pilot.zh.txt"
    path.write_text(NOTICE, encoding="utf-8")
    return Engine.open(Config(document=path, index_dir=tmp_path / "index"), embedder=fake_embedder)


def test_a_question_about_the_document_and_one_about_its_rules_are_both_answered(notice_engine):
    a = notice_engine.ask("这份通知是哪两个部门发的？培训合格的每人补贴多少？")
    assert not a.abstained and "测试部" in a.text and "800元" in a.text
    assert a.text.index("“这份通知是哪两个部门发的？”") < a.text.index("测试部") < a.text.index("“培训合格的每人补贴多少？”")
    assert a.text.index("“培训合格的每人补贴多少？”") < a.text.index("800元")
    ids = [c.id for c in a.citations]
    assert "§2.1" in ids and len(ids) == len(set(ids))  # each part's paragraphs, each once
    # Alone, the first question is answered from the header lines only, as before.
    alone = notice_engine.ask("这份通知是哪两个部门发的？")
    assert "800元" not in alone.text and all(c.score is None for c in alone.citations)


def test_a_part_the_document_does_not_cover_says_so_and_the_rest_is_answered(notice_engine):
    a = notice_engine.ask("这份通知是哪两个部门发的？外国人能领补贴吗？")
    assert not a.abstained and "测试部" in a.text
    assert a.text.rstrip().endswith(PART_NOT_COVERED["zh"])
    assert notice_engine.ask("外国人能领补贴吗？").abstained  # the same part alone is refused


def test_a_message_refused_as_a_whole_is_refused(notice_engine):
    for message in ("外国人能参加试点吗？补贴多少？", "培训合格的每人补贴多少？外国人能领吗？"):
        a = notice_engine.ask(message)
        assert a.abstained and not a.citations and PART_NOT_COVERED["zh"] not in a.text


def test_a_message_answered_well_as_one_is_answered_as_one(notice_engine):
    message = "培训合格的补贴多少？资金从哪里列支？"
    a = notice_engine.ask(message)
    assert "“" not in a.text and not a.abstained  # one answer, no part lines
    assert notice_engine.ask(message).to_json() == a.to_json()


def test_a_sentence_is_scored_by_the_question_of_the_message_it_is_most_like(notice_engine):
    message = "培训合格的补贴多少？资金从哪里列支？"
    texts = ["培训合格的，每人补贴800元。", "所需资金从就业补助资金列支。", "在十个城市开展试点。"]
    whole, *parts = notice_engine.embedder.encode_queries([message, *question_parts(message)])
    scored = notice_engine._scorer(message, "zh", whole)(texts)
    each = [notice_engine._sentence_scores(v, "zh", texts) for v in (whole, *parts)]
    assert np.allclose(scored, np.max(each, axis=0))
    one = notice_engine._scorer("培训合格的补贴多少？", "zh", whole)(texts)  # one question: its own vector only
    assert np.allclose(one, each[0])


def test_in_generate_mode_the_parts_come_as_one_final_answer(tmp_path, fake_embedder):
    from rag.document import Answer
    from rag.engine import Engine
    from test_generated import Scripted

    path = tmp_path / "pilot.zh.txt"
    path.write_text(NOTICE, encoding="utf-8")
    config = Config(document=path, index_dir=tmp_path / "index", answer="generate", translate=False)
    engine = Engine.open(config, embedder=fake_embedder, generator=Scripted("培训合格的，每人补贴800元。[§2.1]"))
    items = list(engine.stream("这份通知是哪两个部门发的？培训合格的每人补贴多少？"))
    assert len(items) == 1 and isinstance(items[0], Answer)  # no chunks: each part is whole before it is shown
    assert "测试部" in items[0].text and "800元" in items[0].text and not items[0].abstained


def test_parts_from_several_documents_each_name_their_own_and_keep_their_own_notes():
    from rag.answer import NO_EDITION, in_parts
    from rag.document import Answer, Citation

    def answer(key, text):
        return Answer("q", "en", text, False, (Citation(f"{key} §1.1", "", "条文。", 0.5, document=key),))

    parts = ("How long is leave?", "Who pays the fund?")
    answers = [answer("leave", f"{NO_EDITION}\nLeave lasts [leave §1.1]."), answer("bundled", "The employer [bundled §1.1].")]
    a = in_parts("q", "en", parts, answers, ["Leave rules (leave)", "Interview (bundled)"])
    assert a.text.startswith(f"“How long is leave?”\nLeave rules (leave)\n{NO_EDITION}\nLeave lasts")
    assert a.text.count(NO_EDITION) == 1 and "“Who pays the fund?”\nInterview (bundled)\nThe employer" in a.text
    one = in_parts("q", "en", parts, [answer("leave", f"{NO_EDITION}\nA."), answer("leave", f"{NO_EDITION}\nB.")])
    assert one.text.startswith(f"{NO_EDITION}\n\n“How long") and one.text.count(NO_EDITION) == 1


@pytest.mark.parametrize("part, leans", [
    ("what threshold must it reach?", True), ("If not, where is it set?", True), ("给多长时间？", True),
    ("那农民工呢？", True), ("Can I withdraw my housing fund when I retire?", False),
    ("Has this regulation been amended since it was first issued?", False),  # its "it" is its own
    ("住房公积金怎么提取？", False), ("这份文件是谁发布的？", False),  # the document, not the question before
])
def test_a_later_question_leans_on_the_one_before_by_its_pronoun_opening_or_length(part, leans):
    from rag.parts import leans_on_before

    assert leans_on_before(part) == leans
