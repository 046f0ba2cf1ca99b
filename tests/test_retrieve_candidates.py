"""The candidate generators, each alone on tiny data: dense (over a stub index), lexical
(BM25 lists), the bridge, thesaurus expansion, and the off-topic prototypes."""

import re
from dataclasses import FrozenInstanceError
from types import SimpleNamespace

import faiss
import numpy as np
import pytest

from rag.document import Document, Metadata, Paragraph
from rag.retrieve.bridge_phrases import Bridge
from rag.retrieve.dense import DenseCandidates
from rag.retrieve.lexical_lists import LexicalCandidates, glosses_for, split_expansions
from rag.retrieve.off_topic import OffTopic
from rag.retrieve.params import Params
from rag.retrieve.thesaurus import Thesaurus
from rag.text import en_tokens, zh_tokens

TRAINING = ("各地要扩大职业技能培训规模，支持农民工参加培训。",
            "Localities should expand vocational skills training and support migrant workers in it.")
SUBSIDY = ("失业保险基金可以用于发放技能提升补贴。", "Unemployment insurance funds may pay skills upgrading subsidies.")


def tiny_document(english: bool = True) -> Document:
    rows = [("§0.1", "header", ("关于做好技能培训工作的通知", "Notice on skills training")), ("§1.1", "text", TRAINING),
            ("§1.2", "text", SUBSIDY)]
    paras = tuple(Paragraph(id=pid, section=int(pid[1]), number=int(pid[3]), role=role, section_title="", text=zh,
                            line=1, en=en if english else "") for pid, role, (zh, en) in rows)
    return Document("tiny", "0", Metadata(title="关于做好技能培训工作的通知", kind="notice"), (), paras)


# -- dense ---------------------------------------------------------------------------------
def stub_index(vectors: list[list[float]], para: list[int], lang: list[int], kind: list[int]):
    index = faiss.IndexFlatIP(len(vectors[0]))
    index.add(np.array(vectors, dtype=np.float32))
    units = SimpleNamespace(paragraph_positions=lambda ids: np.array(para), lang=lang, kind=kind)
    return SimpleNamespace(index=index, units=units)


@pytest.fixture
def dense() -> DenseCandidates:
    # Paragraph 0: Chinese and English units; paragraph 1: Chinese text and a question it answers; 2: none.
    index = stub_index([[1, 0, 0, 0], [0.6, 0.8, 0, 0], [0, 1, 0, 0], [0.8, 0.6, 0, 0]],
                       para=[0, 0, 1, 1], lang=[0, 1, 0, 0], kind=[0, 0, 0, 1])
    paras = [SimpleNamespace(id=f"§1.{i}", en_machine=False, questions_machine=False) for i in range(3)]
    return DenseCandidates.of(index, paras, Params(asked_weight=0.5))


def test_dense_averages_the_renderings_and_mixes_in_the_questions_answered(dense):
    scores, best_unit = dense.scores(np.array([1, 0, 0, 0], dtype=np.float32))
    np.testing.assert_allclose(scores, [0.8, 0.4, -1.0], atol=1e-6)  # (1 + 0.6) / 2; 0.5 * 0 + 0.5 * 0.8; no unit
    assert best_unit.tolist() == [0, 3, -1]


def test_a_chinese_question_on_a_machine_edition_is_scored_on_the_chinese_alone():
    index = stub_index([[1, 0, 0, 0], [0.6, 0.8, 0, 0]], para=[0, 0], lang=[0, 1], kind=[0, 0])
    paras = [SimpleNamespace(id="§1.1", en_machine=True, questions_machine=False)]
    machine = DenseCandidates.of(index, paras, Params())
    qv = np.array([1, 0, 0, 0], dtype=np.float32)
    assert machine.machine and machine.scores(qv, "zh")[0][0] == pytest.approx(1.0)  # not (1 + 0.6) / 2
    english = np.array([0.6, 0.8, 0, 0], dtype=np.float32)  # nearer the English unit
    assert machine.scores(english, "zh")[1].tolist() == [0]  # the best unit is the best Chinese one
    assert machine.scores(english, "en")[1].tolist() == [1]
    assert machine.scores(qv, "en")[0][0] == pytest.approx(0.8)  # an English one weighs both renderings
    faithful = DenseCandidates.of(index, [SimpleNamespace(id="§1.1", en_machine=False, questions_machine=False)], Params())
    assert faithful.scores(qv, "zh")[0][0] == pytest.approx(0.8)


def test_the_top_cosine_is_the_raw_similarity_of_the_best_paragraphs_best_unit(dense):
    qv = np.array([1, 0, 0, 0], dtype=np.float32)
    assert dense.top_cosine(qv, *dense.scores(qv)) == pytest.approx(1.0)
    assert dense.top_cosine(qv, np.array([]), np.array([])) == 0.0


# -- lexical -------------------------------------------------------------------------------
@pytest.mark.parametrize("query, lang, tables", [
    ("农民工能参加培训吗？", "zh", ["zh"]),
    ("Can migrant workers get training?", "en", ["en"]),
    ("What is 技能提升补贴?", "en", ["zh", "en"]),  # the quoted Chinese is matched in Chinese
    ("AI培训怎么报名？", "zh", ["zh", "en"]),  # so is a Chinese question's English
])
def test_a_query_reads_the_lists_of_its_languages(query, lang, tables):
    lexical = LexicalCandidates.of(tiny_document())
    assert [{id(lexical.zh): "zh", id(lexical.en): "en"}[id(q.table)] for q in lexical.queries(query, lang, [], [])] == tables


def test_without_an_english_edition_an_english_question_is_matched_on_the_english_of_the_words():
    lexical = LexicalCandidates.of(tiny_document(english=False))
    (gloss,) = lexical.queries("Can migrant workers get training?", "en", [], [])
    assert lexical.en is None and gloss.table is lexical.gloss
    assert int(np.argmax(gloss.scaled(0.6))) == 1  # 农民工, 培训
    assert "培训" in lexical.vocabulary() and not any(t.startswith("~") for t in lexical.vocabulary())


def test_the_gloss_holds_every_word_of_every_sense_and_only_without_an_english_edition():
    lists = {"zh": [zh_tokens("住房公积金按照国家规定的利率计息。"), zh_tokens("单位应当按时足额缴存。")], "en": None}
    glosses = glosses_for(lists)
    assert "interest" in glosses["利率"] and not any(w.startswith("~") for w in glosses)
    (gloss,) = LexicalCandidates.from_tokens(lists, lambda: glosses).queries("Does it earn interest?", "en", [], [])
    assert list(gloss.scaled(0.6)) == [1.0, 0.0]  # "interest rates" holds "interest"
    assert LexicalCandidates.from_tokens(lists).queries("Does it earn interest?", "en", [], []) == []  # none given
    assert glosses_for({**lists, "en": [en_tokens("Interest is paid."), []]}) is None


def test_a_list_is_scaled_by_its_best_match_and_one_matching_nothing_is_dropped():
    lexical = LexicalCandidates.of(tiny_document())
    (zh,) = lexical.queries("技能提升补贴", "zh", [], [])
    assert zh.scaled(0.6).max() == pytest.approx(1.0) and int(np.argmax(zh.scaled(0.6))) == 2
    (nothing,) = lexical.queries("天气预报", "zh", [], [])
    assert nothing.scaled(0.6) is None


def test_expansions_split_by_script_and_term_coverage_is_per_paragraph():
    assert split_expansions(["就业", "flexible employment"]) == (zh_tokens("就业"), en_tokens("flexible employment"))
    shares = LexicalCandidates.of(tiny_document()).term_coverage("失业保险基金", "zh")
    assert int(np.argmax(shares)) == 2 and shares[2] == pytest.approx(1.0)
    assert not LexicalCandidates.of(tiny_document(english=False)).term_coverage("unemployment", "en").any()


# -- bridge --------------------------------------------------------------------------------
def phrase(en: str, *zh: str):
    return tuple(en_tokens(en)), list(zh)


def test_the_bridge_takes_the_longest_phrase_first_and_each_word_once():
    bridge = Bridge.of([phrase("social", "社会"), phrase("social insurance", "社会保险"), phrase("insurance fund", "基金")])
    assert bridge.phrases[0][0] == ("social", "insur") and len(bridge) == 3
    toks = en_tokens("social insurance fund")
    assert bridge.words(toks) == [["社会保险"], ["社会保险"], []]  # "insurance" is taken: "insurance fund" is not read
    assert bridge.bridged(toks) == ["社会保险"]
    assert Bridge().bridged(toks) == [] and Bridge.of([]).words([]) == []


def test_a_word_reaches_the_translation_of_its_kin_of_another_part_of_speech():
    bridge = Bridge.of([phrase("to recognize", "认定"), phrase("register", "登记"), phrase("recognized standard", "公认")])
    assert bridge.words(en_tokens("injury recognition")) == [[], ["认定"]]  # recognit ~ recogn
    assert bridge.words(en_tokens("registration")) == [["登记"]]
    assert bridge.words(en_tokens("rec")) == [[]]  # too short to tell its kin
    assert Bridge.of([phrase("to injure", "伤害")]).words(en_tokens("injury")) == [["伤害"]]  # injur starts injuri


def test_a_move_out_is_told_from_a_move_in():
    from rag.bridge import dictionary_bridge

    words = [t for t in zh_tokens("办理养老保险转出手续。提出转入申请。") if not t.startswith("~")]
    bridge = Bridge.of(dictionary_bridge(words))
    out, into = (bridge.bridged(en_tokens(q)) for q in ("How do I transfer out my pension?", "transfer it in"))
    assert {"转", "出"} <= set(out) and "出" not in into


def test_figures_and_months_reach_the_same_figures_in_the_chinese_text():
    bridge = Bridge.of([phrase("pension", "养老金")])
    toks = en_tokens("a pension from 1 March 2030 at 62, up 2.5% or 300%? May I?")
    assert bridge.words(toks) == [["养老金"], ["1"], ["3", "月"], ["2030"], ["62"], ["2.5%"], ["300%"], []]  # "may" asks
    table = LexicalCandidates.from_tokens({"zh": [zh_tokens("2030年3月1日起，年满62周岁的可以领取养老金。"),
                                                  zh_tokens("养老金每年调整一次。")], "en": None})
    assert np.argmax(table.zh.scores(bridge.bridged(en_tokens("a pension from March 2030")))) == 0


def test_the_bridge_is_a_list_of_english_questions_only():
    bridge = Bridge.of([phrase("subsidy", "补贴")])
    table = LexicalCandidates.of(tiny_document()).zh
    assert bridge.query("补贴有多少？", "zh", [], [], table) is None
    assert bridge.query("Is there a pension?", "en", [], [], table) is None  # nothing bridged
    query = bridge.query("Is there a subsidy?", "en", ["技能"], [], table)
    assert query.own == ["补贴"] and query.more == ["技能"]


def test_a_document_with_a_glossary_is_bridged_by_it_else_by_the_dictionary():
    glossary = {"社会保险": "social insurance"}
    with_english = Bridge.for_document(glossary, LexicalCandidates.of(tiny_document()))
    assert with_english.bridged(en_tokens("social insurance")) == zh_tokens("社会保险")
    without = Bridge.for_document(glossary, LexicalCandidates.of(tiny_document(english=False)))
    assert "社会保险" not in without.bridged(en_tokens("social insurance"))  # the glossary is not used
    assert "培训" in without.bridged(en_tokens("training"))  # CC-CEDICT over the document's words
    # An English edition with no glossary (a machine translation): the dictionary bridges it too.
    machine = Bridge.for_document({}, LexicalCandidates.of(tiny_document()))
    assert "培训" in machine.bridged(en_tokens("training"))


def test_a_bridge_cannot_be_changed():
    with pytest.raises(FrozenInstanceError):
        Bridge.of([phrase("subsidy", "补贴")]).phrases = ()


# -- thesaurus -----------------------------------------------------------------------------
THESAURUS = {"zh": {"找工作": ["就业"], "工作": ["岗位"]},
             "en": {"find a job": ["employment"], "injury": ["work injury insurance", "occupational injury protection"]}}


@pytest.mark.parametrize("query, lang, terms, rest", [
    ("怎么找工作", "zh", ["就业"], "怎么 "),  # the longest lay phrase first, and taken out of the rest
    ("How do I find a job?", "en", ["employment"], ""),
    ("Who pays after an injury?", "en", ["work injury insurance", "occupational injury protection"], "pay"),
    ("Is work injury insurance rising?", "en", [], "work insur rise"),  # it uses the document's term already
    ("养老金", "zh", [], "养老金"),
])
def test_thesaurus_expansion(query, lang, terms, rest):
    assert Thesaurus.of(THESAURUS).expand(query, lang) == (terms, rest)


def test_no_thesaurus_expands_nothing():
    assert Thesaurus.of(None).expand("How do I find a job?", "en") == ([], "How do I find a job?")
    assert Thesaurus.of(None).lay_zh == [] and Thesaurus.of(None).lay_en == {}


def test_the_fields_everyday_words_reach_only_the_terms_a_document_has():
    from rag.retrieve.thesaurus import field_lay, with_field_words

    text = "用人单位与劳动者解除劳动合同的，应当在十五日内为劳动者办理失业登记。"
    zh = with_field_words(text, None)["zh"]
    assert zh["离职"] == ["解除劳动合同"] and zh["老板"] == ["用人单位"]  # not 终止劳动关系: not in this text
    assert "公积金" not in zh  # none of its terms here: left as asked, for the "not covered" rule to weigh
    expanded, rest = Thesaurus.of(with_field_words(text, None)).expand("离职后老板不给办失业登记怎么办", "zh")
    assert set(expanded) == {"解除劳动合同", "用人单位"} and "离职" not in rest
    # A document's own thesaurus wins over the field's words, and keeps its English.
    own = with_field_words(text, {"zh": {"离职": ["辞职"]}, "en": {"quit": ["resign"]}})
    assert own["zh"]["离职"] == ["辞职"] and own["en"] == {"quit": ["resign"]}
    assert all(terms and all(t and not t.isascii() for t in terms) for terms in field_lay().values())
    from rag.retrieve.thesaurus import LAY

    lines = [x for x in LAY.read_text(encoding="utf-8").splitlines() if x.strip() and not x.startswith("#")]
    assert len(field_lay()) == len(lines)  # no word twice
    # The everyday word for the word rules are written in: "什么情况下" reaches "有下列情形之一的".
    assert with_field_words("有下列情形之一的，可以提取。", None)["zh"]["情况"] == ["情形"]


# -- off-topic prototypes ------------------------------------------------------------------
def test_prototypes_near_the_document_are_dropped_and_the_three_nearest_are_averaged():
    embedder = SimpleNamespace(dim=3, encode_queries=lambda texts: np.eye(3, dtype=np.float32)[: len(texts)])
    kept = OffTopic.of(["near", "far", "farther"], embedder, nearest_paragraph=lambda v: v[0], near=0.5)
    assert kept.prototypes.tolist() == [[0, 1, 0], [0, 0, 1]]
    assert kept.score(np.array([0, 0.5, 0.25], dtype=np.float32)) == pytest.approx(0.375)
    none = OffTopic.of([], embedder, nearest_paragraph=lambda v: 0.0, near=0.5)
    assert none.prototypes.shape == (0, 3) and none.score(np.ones(3)) == 0.0


# -- nearest words ----------------------------------------------------------------------------
def test_an_english_question_gives_its_content_words_and_their_pairs():
    from rag.retrieve.word_bridge import english_units

    assert english_units("Does my housing fund earn interest?") == [
        "housing", "fund", "earn", "interest", "housing fund", "fund earn", "earn interest"]
    assert english_units("What is it?") == [] and english_units("住房公积金") == []


def test_only_a_document_word_that_stands_out_is_reached():
    from rag.retrieve.word_bridge import WordBridge

    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(50, 16))
    words = [f"词{i}" for i in range(50)]
    bridge = WordBridge.of(words, vectors)
    near = vectors[7] + 0.05 * rng.normal(size=16)  # a unit that is word 7's translation
    far = rng.normal(size=16)  # one near nothing in particular
    assert bridge.nearest(np.stack([near]), z=3.0) == ["词7"]
    assert bridge.nearest(np.stack([far]), z=3.0) == []
    assert bridge.nearest(np.zeros((0, 16)), z=3.0) == [] and WordBridge.of([], np.zeros((0, 16))).nearest(
        np.stack([near]), z=3.0) == []


def test_a_numbered_item_is_indexed_with_its_lists_lead():
    from rag.parse import parse_text
    from rag.retrieve.lexical_lists import token_lists

    d = parse_text("公积金条例\n第一条 为了规范管理，制定本条例。\n第二条 职工有下列情形之一的，可以提取账户余额：\n"
                   "（一）离休、退休的；\n（二）出境定居的。\n第三条 本条例自发布之日起施行。\n")
    tokens = dict(zip((p.id for p in d.paragraphs), token_lists(d)["zh"]))
    assert "提取" in tokens["§2.2"] and "退休" in tokens["§2.2"]
    assert "提取" not in tokens["§3.1"]  # not an item: its own words only


def test_a_paragraphs_own_number_is_no_word_of_it():
    from rag.parse import parse_text
    from rag.retrieve.lexical_lists import token_lists

    d = parse_text("年休假办法\n第一条 为了规范管理，制定本办法。\n第十二条 职工新进用人单位的，当年度年休假天数折算确定。\n"
                   "第十三条 职工连续工作满12个月以上的，享受年休假。\n")
    tokens = dict(zip((p.id for p in d.paragraphs), token_lists(d)["zh"]))
    assert "十二" not in tokens["§12.1"] and "第十二条" in tokens["§12.1"]  # "第十二条" is asked by name
    table = LexicalCandidates.from_tokens({"zh": list(tokens.values()), "en": None})
    bridge = Bridge.of([phrase("12", "十二"), phrase("annual leave", "年休假")])
    best = int(np.argmax(table.zh.scores(bridge.bridged(en_tokens("annual leave after 12 years")))))
    assert d.paragraphs[best].id == "§13.1"  # "12 years" is not 第十二条
    assert bridge.bridged(en_tokens("12 months")) == ["12", "十二"]  # a number reaches its digits too


def test_the_documents_own_name_quoted_in_its_body_is_no_word_of_it():
    from rag.parse import parse_text
    from rag.retrieve.lexical_lists import token_lists

    d = parse_text("某市人社局关于印发《某市生育津贴发放办法》的通知\n各区人社局：\n"
                   "现将《某市生育津贴发放办法》印发给你们，请遵照执行。\n某市生育津贴发放办法\n"
                   "第一条 根据《某市生育津贴发放办法实施细则》，制定本办法。\n第二条 生育津贴按月发放。\n")
    tokens = dict(zip((p.id for p in d.paragraphs), token_lists(d)["zh"]))
    assert "津贴" not in tokens["§0.3"] and "印发" in tokens["§0.3"]  # "现将《…》印发" says nothing of allowances
    assert "津贴" in tokens["§1.1"] and "津贴" in tokens["§1.2"]  # another text, however alike its name, stays


def test_a_single_character_the_word_cutter_leaves_over_is_found_inside_the_texts_words():
    from rag.lexical import BM25

    table = BM25([["失业", "保险金", "~失业", "~保险", "~险金"], ["养老", "~养老"]])
    # "金" is no word of either text, but the first holds it in 保险金; "罚" is in neither.
    assert table.matched_share(["失业", "金"], 0) == 1.0 and table.matched_share(["失业", "金"], None) == 1.0
    assert table.matched_share(["养老", "金"], 1) < 1.0
    assert table.matched_share(["失业", "罚"], 0) < table.matched_share(["失业", "金"], 0)


def test_a_one_character_words_prepositional_frame_is_no_sense_of_it():
    from rag.bridge import dictionary_bridge

    phrases = dict(dictionary_bridge(["给", "保险"]))
    # 给 "for the benefit of" is a frame of the preposition, not the word "benefit".
    assert "给" not in phrases.get(("benefit",), []) and "给" in phrases.get(("suppli",), [])


def test_the_fields_terms_reach_the_documents_words_before_the_dictionarys_senses():
    from rag.bridge import dictionary_bridge, gloss
    from rag.text import en_tokens, zh_tokens

    words = [t for t in zh_tokens("用人单位按照缴费基数缴纳医疗保险费，起付标准以下由个人支付。") if not t.startswith("~")]
    phrases = dict(dictionary_bridge(words))
    assert "基数" in phrases[tuple(en_tokens("contribution base"))]  # CC-CEDICT has no 缴费基数
    assert phrases[tuple(en_tokens("deductible"))][:2] == ["起付", "标准"]
    assert phrases[tuple(en_tokens("employer"))][0] == "用人"  # before the dictionary's senses of "employ"
    # A term is used only where the document has all its words; a rendering only whole.
    assert tuple(en_tokens("maternity allowance")) not in phrases
    assert "年限" not in phrases.get(tuple(en_tokens("contribution")), [])
    # A branch named alone in a list ("养老、医疗、失业等社会保险") is the branch.
    listed = dict(dictionary_bridge([t for t in zh_tokens("享受养老、医疗、生育等社会保险补贴") if not t.startswith("~")]))
    assert "养老" in listed[tuple(en_tokens("pension"))] and "生育" in listed[tuple(en_tokens("maternity"))]
    assert ("缴费基数", "contribution base") in gloss(["缴费基数按照社会保险缴费基数执行。"])
    adopted = ["本条例经省人民代表大会常务委员会会议通过。"]
    assert ("通过", "to adopt") in gloss(adopted, ["通过"], asked=en_tokens("Which body adopted it?"))  # the sense asked
    assert ("通过", "by means of") in gloss(adopted, ["通过"])  # else the first
    # A word the question reached is glossed as the longer word the text uses it in.
    determined = gloss(["工伤认定申请应当提交下列材料。"], ["认定"])
    assert ("工伤认定", "work injury determination") in determined
    assert all(word != "认定" for word, _ in determined)
    # A sense reads as a reader sees it: no note left over once its Chinese is taken out.
    places = gloss(["上海市、广东省、山东省和河南省的参保人员"], ["上海市", "广东省", "山东省", "河南省"])
    assert {w for w, _ in places} >= {"上海市", "广东省", "山东省", "河南省"}
    assert not any(re.search(r"abbr|short name|\s,|,$", e) for _, e in places)
    assert ("上海市", "Shanghai") in places  # a place is its name, not a geography lesson
    # The words that decide what a rule says are glossed wherever a quote has them, in the
    # sense rules use them: 日内 is "within … days", not CC-CEDICT's "in a few days".
    ruled = dict(gloss(["年满16周岁（不含在校学生）的人员，应当在30日内申报。"]))
    assert ruled["不含"] == "excluding" and "within" in ruled["日内"]


@pytest.mark.parametrize("which", ["TERMS", "HEADINGS", "SENSES"])
def test_the_fields_terms_files_are_well_formed(which):
    from rag import bridge

    lines = [x for x in getattr(bridge, which).read_text(encoding="utf-8").splitlines() if x.strip() and not x.startswith("#")]
    terms = {"TERMS": bridge.field_terms, "HEADINGS": bridge.headings, "SENSES": lambda: bridge.senses()[0]}[which]()
    assert len(terms) == len(lines)  # no term twice
    assert all(renderings and all(r and r.isascii() for r in renderings) for renderings in terms.values())


def test_a_section_title_is_rendered_in_english_only_by_the_fields_terms():
    from rag.bridge import title_gloss

    assert title_gloss("所需材料") == "required documents"
    assert title_gloss("总  则") == "general provisions"  # spaced out as regulations print it
    assert title_gloss("缴存和提取") == "deposit and withdraw"  # each part a term
    # A part the terms lack leaves the title unglossed: no word-by-word dictionary guess.
    assert title_gloss("窗口地址") == "" and title_gloss("提取和使用") == ""


def test_an_english_words_share_is_held_through_any_of_its_translations_or_the_gloss():
    from rag.retrieve.coverage import english_shares

    lists = {"zh": [zh_tokens("缴费基数由用人单位申报，资金发放至银行账户。"), zh_tokens("缴费比例"), zh_tokens("养老待遇")],
             "en": None}
    lexical = LexicalCandidates.from_tokens(lists, lambda: glosses_for(lists))
    bridge = Bridge.of([(("contribut",), zh_tokens("缴费")), (("base",), zh_tokens("基数")),
                        (("employ",), zh_tokens("用人单位"))])
    # "contribution base" and "employer" through the bridge; "account" through 账户 "bank account".
    share = english_shares(lexical, bridge, "Does the employer report the contribution base to an account?")
    assert share[0] == pytest.approx(1.0) and 0 < share[1] < share[0] and share[2] == 0
    without = english_shares(LexicalCandidates.from_tokens(lists), bridge, "Which account?")
    assert not without.any()  # no gloss given, no translation: held nowhere


def test_a_bound_is_glossed_only_where_it_bounds_a_figure():
    from rag.bridge import gloss

    assert "以下" not in dict(gloss(["以下人员申请年龄上限可放宽（以下简称《通知》）。"]))  # "the following"
    assert dict(gloss(["处2万元以上5万元以下的罚款。"]))["以下"] == "or less"


def test_an_article_s_number_is_no_term_to_gloss():
    from rag.bridge import gloss

    glossed = dict(gloss(["第二条 用人单位应当安排职工年休假。"], prefer=["第二"]))  # "next year" reached 第二
    assert "第二" not in glossed and glossed["用人单位"] == "employer"


def test_a_dictionary_sense_gives_its_phrase_before_the_acronym_in_its_note():
    from rag.bridge import phrases

    assert phrases("State Council (PRC)") == ["State Council", "PRC"]
    assert phrases("artificial intelligence (AI)") == ["artificial intelligence", "AI"]
