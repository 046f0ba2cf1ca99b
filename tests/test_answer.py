"""Composing an extractive answer from retrieved paragraphs (no model: scores are given)."""

import re

import numpy as np
import pytest

from rag.answer import abstain, compose, not_covered
from rag.document import Hit, Paragraph
from rag.retrieve import Reason


def para(pid: str, text: str) -> Paragraph:
    return Paragraph(id=pid, section=4, number=3, role="answer", section_title="社保", text=text, line=1)


# A sentence that answers nothing, making a paragraph too long to quote whole (answer.SHORT_PARAGRAPH).
FILLER = "各地要结合实际制定具体实施办法，加强组织领导，明确责任分工，强化督促检查" * 6 + "。"


def scored(best: str):
    """Sentence scores: 1 for the sentence `best`, 0 for the others."""
    return lambda texts: np.array([1.0 if t == best else 0.0 for t in texts])


def test_a_measures_heading_brings_what_follows_it():
    p = para("§4.3", "一是进一步扩大社会保险覆盖面。支持灵活就业人员参加职工养老保险。推动职业伤害保障试点扩大到全国。")
    a = compose("扩大社保覆盖面有哪些措施？", "zh", (Hit(p, 1.0),), scored("一是进一步扩大社会保险覆盖面。"))
    assert a.citations[0].used == ("一是进一步扩大社会保险覆盖面。", "支持灵活就业人员参加职工养老保险。",
                                   "推动职业伤害保障试点扩大到全国。")
    assert a.text.index("进一步扩大社会保险覆盖面") < a.text.index("支持灵活就业") < a.text.index("推动职业伤害")


def test_a_heading_brings_nothing_more_when_a_sentence_after_it_is_chosen():
    p = para("§2.5", "二是实施稳岗扩容提质行动。延续实施阶段性降低失业、工伤保险费率政策。加快培育数字经济就业潜力。" + FILLER)
    scores = lambda texts: np.array([0.9 if t.startswith("延续") else 0.95 if t.startswith("二是") else 0.1 for t in texts])  # noqa: E731
    a = compose("有什么举措？", "zh", (Hit(p, 1.0),), scores)
    assert a.citations[0].used == ("二是实施稳岗扩容提质行动。", "延续实施阶段性降低失业、工伤保险费率政策。")


def test_a_heading_closed_by_a_full_stop_is_quoted_with_the_sentence_it_heads():
    p = para("§3.6", "（六）加强经办服务。 各统筹地区要优化参保登记流程，推行网上办理。" + FILLER)
    a = compose("参保登记能网上办吗？", "zh", (Hit(p, 1.0),), scored("（六）加强经办服务。"))
    assert a.citations[0].used == ("（六）加强经办服务。", "各统筹地区要优化参保登记流程，推行网上办理。")


def test_a_plain_sentence_stands_alone():
    p = para("§4.4", "完善并落实全国统筹制度，确保养老金按时足额发放。扩大企业年金覆盖范围。" + FILLER)
    a = compose("养老金能按时发吗？", "zh", (Hit(p, 1.0),), scored("完善并落实全国统筹制度，确保养老金按时足额发放。"))
    assert a.citations[0].used == ("完善并落实全国统筹制度，确保养老金按时足额发放。",)


def test_a_short_sentence_is_quoted_whole_across_its_semicolons():
    # Its first clause alone would state a minimum as if it were the rule.
    p = para("§6.2", "缴费满1年不满2年的，领取期限为2个月；以后每增加1年，期限增加2个月，最长不超过24个月。" + FILLER)
    whole = "缴费满1年不满2年的，领取期限为2个月；以后每增加1年，期限增加2个月，最长不超过24个月。"
    a = compose("最长能领多久？", "zh", (Hit(p, 1.0),), scored(whole))
    assert a.citations[0].used == (whole,)


def test_a_long_sentence_is_quoted_by_the_clause_that_answers():
    clauses = ["离休、退休，或者达到国家规定的退休年龄后办理了退休手续的；",
               "完全丧失劳动能力，并与单位终止劳动关系，经鉴定机构出具鉴定结论的；",
               "（三）出境定居的；", "购买、建造、翻建、大修自住住房，并提供合同、发票等证明材料的；",
               "偿还购房贷款本息，且月还款额超过家庭月工资收入一定比例的；",
               "房租超出家庭工资收入的规定比例，并在本市无自有住房的。"]
    p = para("§3.1", "".join(clauses) + FILLER)
    a = compose("出国定居能提取吗？", "zh", (Hit(p, 1.0),), scored("（三）出境定居的；"))
    assert a.citations[0].used == ("（三）出境定居的；",)


def test_a_short_top_paragraph_is_quoted_whole():
    # The sentence sharing the question's words comes first; the one that answers follows it.
    p = para("§24.2", "合同应当约定人工费用拨付周期。人工费用拨付周期不得超过1个月。")
    a = compose("拨付周期最长多久？", "zh", (Hit(p, 1.0),), scored("合同应当约定人工费用拨付周期。"))
    assert a.citations[0].used == ("合同应当约定人工费用拨付周期。", "人工费用拨付周期不得超过1个月。")


def test_a_top_paragraph_of_many_sentences_is_not_quoted_whole():
    p = para("§4.4", "持续深化改革。确保养老金按时足额发放。健全调整机制。扩大企业年金覆盖范围。")
    a = compose("养老金能按时发吗？", "zh", (Hit(p, 1.0),), scored("确保养老金按时足额发放。"))
    assert a.citations[0].used == ("确保养老金按时足额发放。",)


def test_the_answer_leads_with_the_top_paragraph():
    top = para("§2.5", "鼓励创业带动就业，大力推广四种创业模式。")
    other = para("§2.6", "持续做好困难人员就业援助。")
    # The lower paragraph's sentence is a little more similar, but retrieval ranked it well below.
    scores = lambda texts: np.array([0.50 if t.startswith("鼓励") else 0.55 for t in texts])  # noqa: E731
    a = compose("想自己开公司，国家支持吗？", "zh", (Hit(top, 0.9), Hit(other, 0.6)), scores)
    assert re.findall(r"\[(§[\d.]+)\]", a.text)[0] == "§2.5"
    assert a.citations[0].used == ("鼓励创业带动就业，大力推广四种创业模式。",)


def test_the_top_paragraph_is_quoted_even_when_another_sentence_is_more_alike():
    top = para("§14.7", "（六）在上下班途中，受到非本人主要责任的交通事故伤害的；" + FILLER)
    other = para("§18.5", "工伤认定申请表应当包括事故发生的时间、地点、原因以及职工伤害程度等基本情况。")
    scores = lambda texts: np.array([0.9 if t.startswith("工伤认定") else 0.3 if t.startswith("（六）") else 0.0  # noqa: E731
                                     for t in texts])
    a = compose("下班路上被车撞了算工伤吗？", "zh", (Hit(top, 0.9), Hit(other, 0.85)), scores)
    assert re.findall(r"\[(§[\d.]+)\]", a.text)[0] == "§14.7"
    assert a.citations[0].used == ("（六）在上下班途中，受到非本人主要责任的交通事故伤害的；",)


def test_another_paragraphs_heading_is_not_quoted():
    top = para("§2.5", "鼓励创业带动就业。")
    other = para("§2.6", "三是加强就业政策支持。对于农民工，拓宽就业渠道。")
    a = compose("国家支持吗？", "zh", (Hit(top, 0.9), Hit(other, 0.9)), scored("三是加强就业政策支持。"))
    assert "三是" not in a.text


def test_sentences_of_one_paragraph_read_in_document_order():
    p = para("§3.7", "三是完善服务体系，让参加培训更便利。鼓励各地建设培训导航图。")
    scores = lambda texts: np.array([0.9 if t.startswith("鼓励") else 0.85 for t in texts])  # noqa: E731
    a = compose("去哪儿报班？", "zh", (Hit(p, 1.0),), scores)
    assert a.text.index("完善服务体系") < a.text.index("鼓励") and "三是" not in a.text


# -- refusals ------------------------------------------------------------------------------
def _sectioned():
    from rag.document import Document, Metadata, Section

    return Document("notice", "0", Metadata(kind="notice"), (Section(1, "技能培训", ("§1.1",), "Skills training"),
                                                             Section(2, "补贴发放", ("§2.1",), "Subsidies")), ())


@pytest.mark.parametrize("reason, en, zh", [
    (Reason.OUT_OF_SCOPE, "The document does not cover this question, so", "文件没有涉及这个问题，无法"),
    (Reason.FIGURE, "the paragraphs nearest to it give no such figure, so", "没有给出所问的数字，无法"),
    (Reason.PEOPLE, "nearest to it do not speak of foreign nationals", "没有谈及外籍人员或港澳台居民，无法"),
    (Reason.PLACES, "nearest to it name no provinces or cities, so", "没有列出省份或城市，无法"),
    (Reason.LOCAL, "it never names the place asked about, and such figures are set locally, so", "由各地自行确定，无法"),
    (Reason.BRANCH, "it never speaks of the kind of insurance, benefit, leave or tax asked about, so", "所问的险种、待遇、假期或税收，无法"),
])
def test_a_refusal_says_why_by_its_reason_and_lists_the_topics(reason, en, zh):
    a = abstain("q", "en", _sectioned(), reason)
    assert a.abstained and a.citations == () and en in a.text and a.text.endswith("Skills training; Subsidies.")
    assert zh in abstain("q", "zh", _sectioned(), reason).text and "技能培训；补贴发放" in not_covered(_sectioned(), "zh", reason)


def test_a_refusal_lists_six_topics_and_counts_the_rest():
    from rag.document import Document, Metadata, Section

    sections = tuple(Section(n, f"第{n}问", (f"§{n}.1",)) for n in range(1, 17))
    text = not_covered(Document("qa", "0", Metadata(kind="Q&A"), sections, ()), "zh")
    assert "第6问" in text and "第7问" not in text and text.endswith("等，另有10项。")


def test_a_refusal_names_a_title_two_texts_of_a_file_share_once():
    from rag.parse import parse_text
    from tests.test_genres import LABELLED_GUIDE

    text = not_covered(parse_text(LABELLED_GUIDE + "所需材料\n1.本人身份证。\n"), "zh")
    assert text.count("所需材料") == 1 and "失业登记注销指南" in text


def test_an_english_refusal_names_a_chinese_section_in_the_fields_english_where_it_can():
    from rag.parse import parse_text

    doc = parse_text("退休待遇申领办事指南\n一、办理对象\n本市参保人员。\n二、办理时限\n10个工作日。\n"
                     "三、窗口地址\n各区社保经办机构服务大厅。\n")
    assert not_covered(doc, "en").endswith("It covers: who can apply (办理对象); processing time (办理时限); 窗口地址.")
    assert not_covered(doc, "zh").endswith("办理对象；办理时限；窗口地址。")


def test_a_refusal_without_a_reason_is_the_plain_one():
    assert abstain("q", "en", _sectioned()).text == abstain("q", "en", _sectioned(), Reason.OUT_OF_SCOPE).text


def test_an_answer_does_not_open_with_a_place_in_a_list():
    from rag.answer import _unnumbered

    assert _unnumbered("三是加强就业政策支持。") == "加强就业政策支持。"
    assert _unnumbered("Third, strengthen support for jobs.") == "Strengthen support for jobs."
    assert _unnumbered("其次是加强监管。") == "其次是加强监管。" and _unnumbered("一是。") == "一是。"


def test_a_quoted_item_comes_after_the_sentence_that_leads_its_list():
    lead = para("§5.1", "第五条 职工有下列情形之一的，可以提取账户余额：")
    item = para("§5.3", "（二）离休、退休的；")
    a = compose("退休了能取吗？", "zh", (Hit(item, 1.0),), lambda texts: np.ones(len(texts)),
                lead_of=lambda pid: lead if pid == "§5.3" else None)
    assert a.text.index("可以提取账户余额：[§5.1]") < a.text.index("（二）离休、退休的；[§5.3]")
    assert [(c.id, c.score is None) for c in a.citations] == [("§5.3", False), ("§5.1", True)]
    # Without a lead, the item stands alone.
    alone = compose("退休了能取吗？", "zh", (Hit(item, 1.0),), lambda texts: np.ones(len(texts)))
    assert "§5.1" not in alone.text and len(alone.citations) == 1


def test_a_quoted_lead_is_followed_by_its_list():
    lead = para("§7.1", "第七条 申请补贴应当提交下列材料：")
    items = (para("§7.2", "（一）申请表；"), para("§7.3", "（二）身份证明。"))
    other = para("§9.1", "第九条 补贴按月发放。")
    a = compose("申请补贴要交什么？", "zh", (Hit(lead, 1.0), Hit(other, 0.5)), lambda texts: np.array([1.0, 0.1]),
                items_of=lambda pid: items if pid == "§7.1" else ())
    assert a.text.index("下列材料：[§7.1]") < a.text.index("（一）申请表；[§7.2]") < a.text.index("（二）身份证明。[§7.3]")
    # Cited after what was retrieved, for the document's structure.
    assert [(c.id, c.score is None) for c in a.citations] == [("§7.1", False), ("§9.1", False), ("§7.2", True),
                                                               ("§7.3", True)]


def test_a_checklist_is_quoted_whole_one_item_a_line():
    from rag.document import Checklist

    paras = (para("§5.1", "（一）必需材料 1.《申请表》。"), para("§5.3", "2.身份证。"), para("§5.5", "3.合格证书。"))
    note = para("§5.2", "填报须知：此表须本人签名。")
    found = Checklist("（一）必需材料", ("1.《申请表》。", "2.身份证。", "3.合格证书。"), paras, (("§5.1", note),))
    other = para("§6.1", "十个工作日内办结。")
    checklist = lambda pid: found if pid in {"§5.1", "§5.2", "§5.3", "§5.5"} else None  # noqa: E731
    a = compose("要带什么材料？", "zh", (Hit(paras[1], 1.0), Hit(other, 0.5)), lambda texts: np.ones(len(texts)),
                checklist=checklist)
    assert "（一）必需材料\n1.《申请表》。[§5.1]\n2.身份证。[§5.3]\n3.合格证书。[§5.5]" in a.text
    assert a.text.count("2.身份证。") == 1 and "§5.2" not in a.text  # a note not picked is not quoted
    assert [(c.id, c.score is None) for c in a.citations][:2] == [("§5.3", False), ("§6.1", False)]
    assert {c.id for c in a.citations} == {"§5.1", "§5.3", "§5.5", "§6.1"}
    after = compose("要带什么材料？", "zh", (Hit(other, 1.0), Hit(paras[1], 1.0)), lambda texts: np.ones(len(texts)),
                    checklist=checklist)
    assert "办结。[§6.1]\n（一）必需材料\n1." in after.text  # a heading after a sentence starts its own line
    # A note picked is quoted under its item, where its "此表" reads as that item's form.
    on_note = compose("申请表谁签名？", "zh", (Hit(note, 1.0),), lambda texts: np.ones(len(texts)), checklist=checklist)
    assert "1.《申请表》。[§5.1]\n填报须知：此表须本人签名。[§5.2]\n2.身份证。[§5.3]" in on_note.text


@pytest.mark.parametrize("lead_text, chosen, shown", [
    # Conditions that all hold: one of them quoted reads as if it were the only one.
    ("第三条 同时符合下列条件的，可以领取补贴：", ["§3.4"], ["§3.2", "§3.3", "§3.4"]),
    # Cases each apart: the one asked, unless two were picked; then the list, in its order.
    ("第三条 有下列情形之一的，责令改正：", ["§3.4"], ["§3.4"]),
    ("第三条 有下列情形之一的，责令改正：", ["§3.4", "§3.2"], ["§3.2", "§3.3", "§3.4"]),
])
def test_a_list_is_quoted_whole_where_part_of_it_would_mislead(lead_text, chosen, shown):
    lead = para("§3.1", lead_text)
    items = (para("§3.2", "（一）参加培训的；"), para("§3.3", "（二）取得证书的；"), para("§3.4", "（三）在本市就业的。"))
    by_id = {p.id: p for p in items}
    a = compose("什么条件？", "zh", tuple(Hit(by_id[pid], 1.0) for pid in chosen), lambda texts: np.ones(len(texts)),
                lead_of=lambda pid: lead if pid in by_id else None, items_of=lambda pid: items if pid == "§3.1" else ())
    cited = re.findall(r"\[(§3\.\d)\]", a.text)
    assert cited == ["§3.1"] + shown  # the lead, then the items in the document's order, each once


def test_a_list_quoted_whole_brings_the_sub_items_of_an_item_that_leads_its_own():
    lead = para("§3.1", "第三条 同时符合下列条件的，可以领取失业保险金：")
    items = (para("§3.2", "（一）缴费满一年的；"), para("§3.3", "（二）非因本人意愿中断就业的，包括以下情形："),
             para("§3.6", "（三）已经办理失业登记的。"))
    sub = (para("§3.4", "1.劳动合同期满的；"), para("§3.5", "2.用人单位过错，劳动者解除合同的。"))
    leads = {"§3.2": lead, "§3.3": lead, "§3.6": lead, "§3.4": items[1], "§3.5": items[1]}
    lists = {"§3.1": items, "§3.3": sub}
    a = compose("辞职了能领吗？", "zh", (Hit(items[0], 1.0),), lambda texts: np.ones(len(texts)),
                lead_of=leads.get, items_of=lambda pid: lists.get(pid, ()))
    assert re.findall(r"\[(§3\.\d)\]", a.text) == ["§3.1", "§3.2", "§3.3", "§3.4", "§3.5", "§3.6"]
    assert "包括以下情形：[§3.3]\n1.劳动合同期满的；[§3.4]\n2." in a.text


def test_what_follows_a_list_starts_a_paragraph_of_its_own():
    from rag.answer import _joined

    parts = ["应当提交下列材料：[§7.1]", "\n（一）申请表；[§7.2]", "\n（二）身份证明。[§7.3]", "补贴按月发放。[§9.1]"]
    assert _joined(parts, "") == "应当提交下列材料：[§7.1]\n（一）申请表；[§7.2]\n（二）身份证明。[§7.3]\n\n补贴按月发放。[§9.1]"
    assert _joined(["One.[§1.1]", "Two.[§1.2]"], " ") == "One.[§1.1] Two.[§1.2]"
    assert _joined(["Lead:[§2.1]", "\n(1) x[§2.2]", "…", "Then.[§3.1]"], " ") == "Lead:[§2.1]\n(1) x[§2.2] …\n\nThen.[§3.1]"


def test_a_chinese_quote_starts_each_paragraph_it_quotes_anew():
    from rag.answer import _joined

    parts = ["年满16周岁的，可以参加。[§3.1]", "按年缴费。[§3.1]", "九、待遇由两部分构成。[§9.1]", "可以继承。[§9.4]"]
    assert _joined(parts, "", by_paragraph=True) == "年满16周岁的，可以参加。[§3.1]按年缴费。[§3.1]\n九、待遇由两部分构成。[§9.1]\n\n可以继承。[§9.4]"
    assert _joined(parts[:3], "") == "年满16周岁的，可以参加。[§3.1]按年缴费。[§3.1]九、待遇由两部分构成。[§9.1]"


@pytest.mark.parametrize("title, topic", [
    ("六、办理时限", "办理时限"), ("一、投资于人，厚植人力资源优势", "投资于人，厚植人力资源优势"),
    ("4. 领取失业金期间死亡，遗属可以申请丧葬补助金吗？", "领取失业金期间死亡，遗属可以申请丧葬补助金吗？"),
    ("四、参加居民养老保险的人员实行定额缴费，政府对缴费给予适当补贴", ""),  # a numbered paragraph's opening
    ("二、本市户籍人员年满16周岁（不含在校学生），非国家机关和事业单位工作…", ""),  # cut short
])
def test_a_title_is_a_topic_unless_it_opens_a_numbered_paragraph(title, topic):
    from rag.document import topic_of

    assert topic_of(title) == topic


def test_a_refusal_names_the_document_where_its_sections_are_numbered_paragraphs():
    from rag.parse import parse_text

    doc = parse_text("关于居民养老保险有关问题的通知\n各区人力社保局：\n"
                     "一、本市户籍人员年满16周岁的，可以参加居民养老保险，按年缴费，多缴多得。\n"
                     "二、参加居民养老保险的人员实行定额缴费，政府对参保人缴费给予适当补贴。\n"
                     "三、参保人死亡的，个人账户资金余额可以依法继承。\n")
    assert not_covered(doc, "zh").endswith("文件涉及的内容有：《关于居民养老保险有关问题的通知》。")


def test_a_short_gap_between_two_quoted_sentences_is_quoted_too():
    # Quoting the first and last sentence alone would read as if the middle one were not there.
    p = para("§0.9", "参保情况。按缴纳养老保险的年限计分。每满一年积3分。其他险种每满1年积1分。" + FILLER)
    scores = lambda texts: np.array([1.0 if t.startswith(("按缴纳", "其他")) else 0.0 for t in texts])  # noqa: E731
    a = compose("这一项怎么算？", "zh", (Hit(p, 1.0),), scores)
    assert a.citations[0].used == ("按缴纳养老保险的年限计分。", "每满一年积3分。", "其他险种每满1年积1分。")


def test_a_longer_gap_is_marked():
    p = para("§3.1", "第一句说明办理条件。" + "中间的句子说明其他事项。" * 3 + "最后一句说明办理地点。" + FILLER)
    scores = lambda texts: np.array([1.0 if t.startswith(("第一句", "最后")) else 0.0 for t in texts])  # noqa: E731
    a = compose("在哪里办理？", "zh", (Hit(p, 1.0),), scores)
    assert re.search(r"办理条件。(\[§3.1\])?…最后一句", a.text)


def test_a_replys_verdict_opens_its_quote():
    p = para("§8.2", "答：没有。但上级有政策调整时，将从其规定。" + FILLER)
    a = compose("补缴有截止时间吗？", "zh", (Hit(p, 1.0),), scored("但上级有政策调整时，将从其规定。"))
    assert a.citations[0].used[:2] == ("答：没有。", "但上级有政策调整时，将从其规定。")
    assert a.text.index("没有。") < a.text.index("但上级")


def test_a_title_line_is_no_answer_to_a_question_on_the_body():
    body = para("§1.1", "自2019年5月1日起，养老保险单位缴费比例可降至16%。")
    title = Paragraph(id="§0.17", section=0, number=17, role="header", section_title="", text="降低社会保险费率综合方案", line=1)
    scores = lambda texts: np.array([1.0] * len(texts))  # noqa: E731
    a = compose("单位缴费比例降到多少？", "zh", (Hit(body, 1.0), Hit(title, 0.99)), scores)
    assert "综合方案" not in a.text and "16%" in a.text
    a = compose("请问本文件的全称怎么写？", "zh", (Hit(body, 1.0), Hit(title, 0.99)), scores)
    assert "综合方案" in a.text


def test_the_sentence_stating_the_figure_asked_for_is_preferred():
    p = para("§33.2", "停工留薪期一般不超过12个月。工伤职工评定伤残等级后，停发原待遇，按照本章的有关规定享受伤残待遇。" + FILLER)
    scores = lambda texts: np.array([0.55 if t.startswith("停工") else 0.6 if t.startswith("工伤") else 0.0  # noqa: E731
                                     for t in texts])
    a = compose("停工留薪期最长多少个月？", "zh", (Hit(p, 1.0),), scores)
    assert a.citations[0].used[0] == "停工留薪期一般不超过12个月。"


def test_a_reply_quoted_from_its_verdict_comes_after_the_question_it_answers():
    # "不能。" alone would read as the answer to whatever the user asked.
    asked = Paragraph(id="§6.1", section=6, number=1, role="question", section_title="可分次缴纳吗？",
                      text="三、申请人可分次缴纳养老保险费吗？", line=1)
    reply = para("§6.2", "答：不能。只能按政策一次性缴纳，不得拆分多次缴纳。" + FILLER)
    a = compose("能分几次交吗？", "zh", (Hit(reply, 1.0),), scored("答：不能。"), question_of=lambda pid: asked)
    assert a.text.index("问：申请人可分次缴纳养老保险费吗？") < a.text.index("答：不能。")
    assert [c.id for c in a.citations] == ["§6.2", "§6.1"]
    plain = compose("能分几次交吗？", "zh", (Hit(reply, 1.0),), scored("只能按政策一次性缴纳，不得拆分多次缴纳。"))
    assert "问：" not in plain.text  # no question_of: the reply alone, as before


def test_a_short_reply_of_a_conversation_comes_after_its_question_and_keeps_its_speaker():
    asked = Paragraph(id="§14.22", section=14, number=22, role="question", section_title="",
                      text="提问：我迁过来之后，我的小孩是跟我一起迁过来，还是过几年再迁？", line=1)
    reply = para("§14.23", "王静：可以跟你一起迁过来。入户信息卡连小孩的一起发。")
    a = compose("配偶可以一起迁吗？", "zh", (Hit(reply, 1.0),), scored("王静：可以跟你一起迁过来。"),
                question_of=lambda pid: asked)
    assert "问：我迁过来之后，我的小孩是跟我一起迁过来" in a.text and "提问：" not in a.text
    assert a.text.index("问：我迁过来") < a.text.index("王静：可以") and "答：王静" not in a.text


def test_a_list_item_in_a_reply_keeps_its_lists_lead_not_the_question():
    asked = Paragraph(id="§1.1", section=1, number=1, role="question", section_title="", text="问：领取失业保险金需要符合什么条件？", line=1)
    lead = para("§1.4", "（二）非因本人意愿中断就业的，包括以下情形：")
    item = para("§1.8", "4.用人单位主动解除劳动合同。")
    a = compose("辞职能领失业金吗？", "zh", (Hit(item, 1.0),), scored("4.用人单位主动解除劳动合同。"),
                lead_of=lambda pid: lead if pid == "§1.8" else None, question_of=lambda pid: asked)
    assert "非因本人意愿中断就业的" in a.text and "问：" not in a.text


@pytest.mark.parametrize("lang, line", [("zh", "文号：某民〔2031〕9号[§0.1]"), ("en", "Document number: 某民〔2031〕9号[§0.1]")])
def test_a_documents_number_asked_for_is_said_first_citing_the_line_holding_it(lang, line):
    from rag.answer import verbatim
    from rag.parse import parse_text

    d = parse_text("关于印发《某市护理补贴实施意见》的通知（某民〔2031〕9号）\n各区民政局：\n"
                   "现将《某市护理补贴实施意见》印发给你们。\n某市护理补贴实施意见\n第一条 为规范护理补贴，制定本意见。\n")
    title = d.paragraphs[0]
    assert d.metadata.number == "某民〔2031〕9号"
    a = verbatim("文号？", lang, d, [title], number=True)
    assert line in a.text.splitlines() and a.text.index(line) < a.text.index("关于印发")
    assert "某民〔2031〕9号" not in verbatim("谁印发的？", lang, d, [title]).text.replace(title.text, "")  # not asked
