"""Answerability alone: the typed decision, its reasons, and the coverage signal it weighs."""

from dataclasses import FrozenInstanceError

import pytest

from rag.lexical import BM25
from rag.retrieve import REFUSALS, Decision, Evidence, Reason, decide
from rag.retrieve.answerability import in_scope_probability, unanswered
from rag.retrieve.bridge_phrases import Bridge
from rag.retrieve.coverage import content_words, coverage
from rag.retrieve.lexical_lists import LexicalCandidates, glosses_for
from rag.retrieve.params import Params
from rag.text import en_tokens, zh_tokens

EVIDENCE = Evidence(dense_top=0.6, coverage=0.8, known=0.9, fused_top=0.7, off_topic=0.2)
SURE = Params(abstain_bias=5.0)  # and the shipped weights: the evidence above is well in scope
NEVER = Params(abstain_bias=-40.0)
GENERAL = [("推动职业伤害保障试点扩大到全国。", "The occupational injury pilot will be extended nationwide.")]


@pytest.mark.parametrize("question, reason", [
    ("职业伤害保障的缴费比例是多少？", Reason.FIGURE),
    ("Can foreign staff join the occupational injury pilot?", Reason.PEOPLE),
    ("Which provinces run the pilot?", Reason.PLACES),
    ("外籍员工在哪几个省市参加试点？", Reason.PEOPLE),  # people are checked before places
    ("试点会扩大吗？", None),
])
def test_unanswered_names_what_the_passages_lack(question, reason):
    assert unanswered(question, GENERAL) is reason


def test_a_rule_decides_but_the_models_probability_is_kept():
    refused = decide("职业伤害保障的缴费比例是多少？", GENERAL, EVIDENCE, SURE)
    assert refused.reason is Reason.FIGURE and refused.refuse and refused.by_rule
    assert refused.probability == in_scope_probability(EVIDENCE, SURE) > 0.5  # not overwritten with 0
    assert refused.support == 0.0
    about = decide("职业伤害保障的缴费比例是多少？", GENERAL, EVIDENCE, NEVER, about_document=True)
    assert about.reason is Reason.ABOUT_DOCUMENT and not about.refuse and about.by_rule  # it wins over the figure
    assert about.probability < 0.5 and about.support == 1.0


def test_otherwise_the_model_decides():
    covered = decide("试点会扩大吗？", GENERAL, EVIDENCE, SURE)
    assert covered.reason is Reason.COVERED and not covered.refuse and not covered.by_rule
    assert covered.support == covered.probability
    out = decide("试点会扩大吗？", GENERAL, EVIDENCE, NEVER)
    assert out.reason is Reason.OUT_OF_SCOPE and out.refuse and out.support == out.probability < 0.5


def test_the_decision_is_typed_and_immutable():
    d = decide("试点会扩大吗？", GENERAL, EVIDENCE, SURE)
    assert isinstance(d, Decision) and d.evidence is EVIDENCE
    assert REFUSALS == {Reason.OUT_OF_SCOPE, Reason.FIGURE, Reason.PEOPLE, Reason.PLACES, Reason.LOCAL, Reason.BRANCH,
                        Reason.NOT_STATED}
    with pytest.raises(FrozenInstanceError):
        d.reason = Reason.OUT_OF_SCOPE


def test_the_model_reads_five_features_and_never_overflows():
    assert EVIDENCE.features == (0.6, 0.8, 0.9, 0.7, pytest.approx(0.4))
    huge = Evidence(dense_top=1e6, coverage=0.0, known=0.0, fused_top=0.0)
    assert in_scope_probability(huge, Params()) == pytest.approx(1.0)
    assert 0.0 < in_scope_probability(huge, Params(abstain_margin=-1e3)) < 1e-20


# -- coverage ------------------------------------------------------------------------------
LEXICAL = LexicalCandidates(zh=BM25([zh_tokens("参加社会保险"), zh_tokens("发放技能补贴")]),
                            en=BM25([en_tokens("join social insurance"), en_tokens("pay skills subsidies")]))
BRIDGE = Bridge.of([(tuple(en_tokens("social insurance")), ["社会保险"])])


def test_english_coverage_counts_a_word_found_nowhere_against_the_question():
    question = "Must foreign staff join social insurance?"
    top, anywhere = coverage(LEXICAL, BRIDGE, question, question, "en", 0)
    assert 0 < top < 1 and top == anywhere  # "foreign" and "staff" are in no paragraph
    assert coverage(LEXICAL, BRIDGE, "Join social insurance", "Join social insurance", "en", 0) == (1.0, 1.0)
    assert coverage(LEXICAL, BRIDGE, "Join social insurance", "Join social insurance", "en", 1)[0] < 1.0


def test_words_the_thesaurus_explained_count_as_found():
    question = "Must foreign staff join social insurance?"
    explained = coverage(LEXICAL, BRIDGE, question, "Must join social insurance?", "en", 0)
    assert explained[0] > coverage(LEXICAL, BRIDGE, question, question, "en", 0)[0]


def test_without_an_english_edition_a_word_is_found_through_the_english_of_the_paragraphs_words():
    lists = {"zh": [zh_tokens("补贴资金发放至本人银行账户。"), zh_tokens("参加社会保险。")], "en": None}
    lexical = LexicalCandidates.from_tokens(lists, lambda: glosses_for(lists))
    no_phrase = Bridge.of([])  # no phrase names "account" alone: 账户 is "bank account"
    question = "Which account is it paid into?"
    top, anywhere = coverage(lexical, no_phrase, question, question, "en", 0)
    assert top == anywhere > 0 and coverage(lexical, no_phrase, question, question, "en", 1)[0] < top
    unglossed = LexicalCandidates.from_tokens(lists)  # no English of the words given: found nowhere
    assert coverage(unglossed, no_phrase, question, question, "en", 0) == (0.0, 0.0)


def test_chinese_coverage_and_content_words():
    top, anywhere = coverage(LEXICAL, BRIDGE, "参加社会保险", "参加社会保险", "zh", 1)
    assert top < anywhere == 1.0
    assert coverage(LEXICAL, BRIDGE, "？", "？", "zh", 0) == (0.0, 0.0)
    assert not any(t.startswith("~") for t in content_words("社会保险怎么交", "zh"))
    assert content_words("When?", "en") == []


def test_a_figure_of_a_place_the_document_never_names_is_refused_by_rule():
    d = decide("深圳的缴费比例是多少？", [("深圳的缴费比例为1%。", "")], EVIDENCE, SURE, places=frozenset({"广州"}))
    assert d.refuse and d.reason is Reason.LOCAL and d.by_rule and d.support == 0.0
    assert decide("深圳的缴费比例是多少？", [("深圳的缴费比例为1%。", "")], EVIDENCE, SURE,
                  places=frozenset({"深圳"})).reason is Reason.COVERED


def test_a_branch_the_document_never_speaks_of_is_refused_by_rule():
    d = decide("年休假怎么安排？", GENERAL, EVIDENCE, SURE, branches=frozenset({"unemployment"}))
    assert d.refuse and d.reason is Reason.BRANCH and d.by_rule
    assert decide("年休假怎么安排？", GENERAL, EVIDENCE, SURE, branches=frozenset({"annual leave"})).reason is Reason.COVERED
