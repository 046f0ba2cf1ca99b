"""Fusion and ranking, the literal-phrase bonus, and the rows a question about the document
itself is answered from: each alone, on a handful of made-up paragraphs."""

import numpy as np
import pytest

from rag.document import Document, Metadata, Paragraph
from rag.lexical import BM25
from rag.retrieve.article import field_rows, first_field, naming_rows
from rag.retrieve.fusion import Layout, combine_lexical, follow_up, fuse, named_last, rank, top_rows
from rag.retrieve.lexical_lists import TermQuery
from rag.retrieve.params import Params
from rag.retrieve.phrases import phrase_match, quoted_match
from rag.retrieve.thesaurus import Thesaurus


def para(pid: str, role: str, text: str = "", en: str = "") -> Paragraph:
    section, number = (int(x) for x in pid.lstrip("§").split("."))
    return Paragraph(id=pid, section=section, number=number, role=role, section_title="", text=text, line=1, en=en)


# A header line, then a section with a reporter's question and its answer, then a section without one.
LAYOUT = Layout.of([para("§0.1", "header"), para("§1.1", "question"), para("§1.2", "answer"), para("§2.1", "text")])
BARE = Params(section_prior=0.0)


def test_layout_marks_headers_questions_and_the_question_turn_each_row_answers():
    assert LAYOUT.is_header.tolist() == [True, False, False, False]
    assert LAYOUT.is_question.tolist() == [False, True, False, False]
    assert LAYOUT.asked_by.tolist() == [-1, -1, 1, -1]  # the answer, its section's question; not the next section
    assert LAYOUT.answers(np.array([3, 0, 1, 2])).tolist() == [3, 2]


def test_in_a_section_of_several_question_turns_an_answer_gains_from_its_own():
    # A transcript's live questions, all in one section: each answer is lifted by the turn before it.
    layout = Layout.of([para("§1.1", "question"), para("§1.2", "answer"), para("§1.3", "question"), para("§1.4", "answer")])
    dense = np.array([0.9, 0.5, 0.1, 0.5], dtype=np.float32)
    fused = fuse(dense, np.zeros(4, dtype=np.float32), layout, Params(section_prior=0.3))
    assert layout.asked_by.tolist() == [-1, 0, -1, 2]
    assert fused[1] == pytest.approx(0.5 + 0.3 * 0.9) and fused[3] == pytest.approx(0.5 + 0.3 * 0.1)


def test_lexical_lists_are_each_scaled_by_their_best_and_an_empty_one_adds_nothing():
    table = BM25([["养老金"], ["养老金", "发放"], ["失业"]])
    lists = [TermQuery(table, ["发放"], []), TermQuery(table, ["天气"], []), TermQuery(table, ["养老金"], [])]
    total = combine_lexical(lists, 3, 0.6)
    assert int(np.argmax(total)) == 1 and total.max() == pytest.approx(1.0) and total[2] == 0.0
    assert not combine_lexical([], 3, 0.6).any()


def test_expansion_terms_weigh_less_than_the_querys_own():
    table = BM25([["养老金"], ["退休"]])
    scores = combine_lexical([TermQuery(table, ["养老金"], ["退休"])], 2, 0.5)
    assert scores[0] == pytest.approx(1.0) and 0 < scores[1] < 1


def test_fusion_penalizes_header_lines_and_questions_and_adds_the_section_prior():
    dense, lexical = np.full(4, 0.5, dtype=np.float32), np.zeros(4, dtype=np.float32)
    assert rank(fuse(dense, lexical, LAYOUT, BARE), LAYOUT, np.array([], dtype=np.int64),
                np.array([], dtype=bool)).tolist() == [2, 3, 1]  # ties keep their order; no header line
    with_prior = fuse(dense, lexical, LAYOUT, Params(section_prior=0.3))
    assert with_prior[2] == pytest.approx(with_prior[3] + 0.3 * 0.5)  # the answer gains from its question turn
    assert with_prior[1] == pytest.approx(0.5 - Params().question_penalty)


def test_a_header_line_that_wins_on_its_own_is_kept():
    dense = np.array([0.9, 0.1, 0.2, 0.3], dtype=np.float32)
    order = rank(fuse(dense, np.zeros(4, dtype=np.float32), LAYOUT, BARE), LAYOUT, np.array([], dtype=np.int64),
                 np.array([], dtype=bool))
    assert order.tolist() == [0, 3, 2, 1]


def test_a_question_about_the_document_ranks_only_its_rows_the_named_field_first():
    fused = np.array([0.1, 0.0, 0.9, 0.5])
    assert rank(fused, LAYOUT, np.array([3, 0, 2]), np.array([True, True, False])).tolist() == [3, 0, 2]


def test_top_rows_and_follow_up():
    assert sorted(top_rows(np.array([0.1, 0.9, 0.5, 0.7]), 2).tolist()) == [1, 3]
    assert sorted(top_rows(np.array([0.1, 0.9]), 5).tolist()) == [0, 1]
    np.testing.assert_allclose(follow_up(np.array([1.0, 0.0]), np.array([0.0, 1.0])), [0.6, 0.4])


# -- literal phrases -----------------------------------------------------------------------
TEXTS = {0: "要着力解决有活没人干的问题。", 1: "要着力解决有人没活干的问题。", 2: "要解决有活的问题。"}


@pytest.mark.parametrize("query, rows", [
    ("培训能不能解决有活没人干？", [0]),
    ("培训能不能解决有人没活干？", [1]),
    ("有活没干", []),  # no run of 4 characters is shared
    ("解决有活", [0, 2]),  # both hold the longest run
    ("", []),
])
def test_the_longest_shared_chinese_run_wins(query, rows):
    assert np.flatnonzero(phrase_match(query, TEXTS, 4)).tolist() == rows


@pytest.mark.parametrize("query, rows", [
    ("What is the 'online services' reform?", [0]),  # every word, in another order
    ("What about 'the elderly and young'?", [1]),
    ("What's in it for workers' families?", []),  # apostrophes quote nothing
    ("What does 'one old, one young' mean?", [1]),  # the document's term for the quoted name
    ("Tell me about 'online'.", []),  # one word is too common to count
])
def test_a_quoted_name_finds_the_rendering_holding_its_words(query, rows):
    texts = {0: "Services can all be done online.", 1: "Jobs caring for the elderly and the young.", 2: ""}
    thesaurus = Thesaurus.of({"en": {"one old, one young": ["the elderly and the young"]}})
    assert np.flatnonzero(quoted_match(query, texts, 3, thesaurus)).tolist() == rows


# -- questions about the document itself ---------------------------------------------------
DOC = Document("notice", "0", Metadata(title="关于做好技能培训工作的通知", issuer="某省人力资源和社会保障厅", kind="notice"), (), (
    para("§0.1", "header", "关于做好技能培训工作的通知"), para("§0.2", "header", "某省人力资源和社会保障厅"),
    para("§1.1", "text", "各地要扩大职业技能培训规模。"), para("§1.2", "text", "本通知自2024年1月1日起施行。")))


@pytest.mark.parametrize("query, rows", [
    ("这个通知是哪个部门印发的？", [1]),
    ("这份通知的标题是什么？", [0]),
    ("When does this notice come into force?", [3]),  # stated in the body, by its own formula
    ("职业技能培训怎么扩大？", []),  # not about the document
])
def test_field_rows(query, rows):
    assert field_rows(DOC, query).tolist() == rows


def test_first_field_marks_the_rows_of_the_field_asked_for_by_name():
    assert first_field(DOC, np.array([1, 0])).tolist() == [True, False]
    assert first_field(DOC, np.array([], dtype=np.int64)).tolist() == []


def test_lines_that_only_name_the_document_are_shown_after_its_body():
    meta = Metadata(title="某市失业保险金申领办法的通知", subtitle="嘉宾：某局副局长", columns=("某市失业保险金申领办法",))
    paras = (para("§0.1", "header", meta.title), para("§0.2", "header", meta.subtitle),
             para("§0.3", "header", "某市失业保险金申领办法"), para("§0.4", "text", "现将《某市失业保险金申领办法》印发给你们。"),
             para("§1.1", "text", "第二条 失业人员符合下列条件的，可以申请领取失业保险金："))
    naming = naming_rows(Document("x", "0", meta, (), paras))
    assert naming.tolist() == [True, False, True, False, False]  # a labelled line ("嘉宾：") says more than a name
    assert named_last(np.array([2, 0, 4]), naming).tolist() == [4, 2, 0]
    assert named_last(np.array([3, 1]), naming).tolist() == [3, 1]


def test_a_text_repeated_under_each_case_is_ranked_once_at_its_best_place():
    from rag.retrieve.fusion import distinct, same_text

    paras = (para("§2.1", "text", "（一）单位参保人员"), para("§2.2", "text", "查询业务办理结果。"),
             para("§2.3", "text", "（二）个体工商户"), para("§2.4", "text", "查询业务 办理结果。"), para("§2.5", "text", "领取失业金。"))
    group = same_text(paras)
    assert group.tolist() == [0, 1, 2, 1, 3]  # white space aside, the same text
    assert distinct(np.array([3, 1, 4, 0, 2]), group).tolist() == [3, 4, 0, 2]  # the best ranked copy kept
