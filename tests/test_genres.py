"""Genre-aware parsing and document-neutral answers, on documents written for these tests and
on the real fixtures in tests/fixtures/docs (no evaluation question is used here)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from rag.config import Config
from rag.parse import iso_date, numbering_family, parse_text, read_document
from rag.qtype import current_year

FIXTURES = Path(__file__).parent / "fixtures" / "docs"

NOTICE = """测试部 样例部关于开展职业培训补贴试点的通知
测试发〔2031〕7号
（2031年4月2日）
各省、自治区、直辖市测试厅（局）：
为做好试点工作，现就有关事项通知如下：
一、试点范围
（一）试点地区。在十个城市开展试点。
（二）试点对象。参加失业保险的职工。
二、补贴标准
培训合格的，每人补贴800元，所需资金从就业补助资金列支。
三、其他事项
本通知自2031年5月1日起施行。
测试部
样例部
2031年4月2日
（此件公开发布）
附件
试点城市名单
一、东部城市
甲市、乙市。
"""

QA = """有关负责人就职业培训补贴试点答记者问
2031-04-03
近日，测试部印发通知，有关负责人回答了记者提问。
问：为什么开展试点？
答：为了提高劳动者技能。
问：补贴标准是多少？
答：每人补贴800元。
培训不合格的不补贴。
"""

ARTICLES = """职业培训补贴办法
第一章 总则
第一条 为了规范补贴，制定本办法。
第二条 本办法适用于各类企业。
第二章 补贴
第三条 补贴按月发放。
第四条 本办法自2031年1月1日起施行。
"""


def test_an_official_notice_has_its_metadata_in_the_header():
    d = parse_text(NOTICE)
    m = d.metadata
    assert m.title.startswith("测试部 样例部关于") and m.kind == "notice"
    assert m.number == "测试发〔2031〕7号" and m.date == "2031-04-02"
    assert m.issuer == "测试部 样例部" and m.addressee.startswith("各省")
    header = [p for p in d.paragraphs if p.role == "header"]
    assert {d.field_of(p) for p in header} >= {"title", "number", "dateline", "addressee", "issuer"}


def test_a_notice_is_sectioned_by_its_own_numbering_and_a_date_is_never_a_section():
    d = parse_text(NOTICE)
    assert [s.title for s in d.sections] == ["一、试点范围", "二、补贴标准", "三、其他事项", "附件 试点城市名单"]
    assert all("2031年" not in s.title for s in d.sections)
    assert [p.id for p in d.body() if p.section == 1] == ["§1.1", "§1.2"]
    assert d.get("§1.2").text.startswith("（二）试点对象")
    # The preamble is body text kept in §0, and the signature block is header.
    assert d.get("§0.5").role == "text" and d.get("§0.5").text.startswith("为做好试点工作")
    assert not any(p.text in ("测试部", "样例部") for p in d.body())
    # An attachment's own numbering stays inside it.
    assert d.get("§4.1").text.startswith("一、东部城市")


def test_a_qa_without_headings_makes_a_section_per_question():
    d = parse_text(QA)
    assert d.metadata.kind == "Q&A" and d.metadata.date == "2031-04-03"
    assert [s.title for s in d.sections] == ["为什么开展试点？", "补贴标准是多少？"]
    assert [(p.id, p.role) for p in d.body()] == [("§1.1", "question"), ("§1.2", "answer"), ("§2.1", "question"),
                                                  ("§2.2", "answer"), ("§2.3", "answer")]
    assert d.get("§0.3").role == "text"  # the introduction


def test_numbered_questions_get_question_and_answer_roles():
    d = parse_text("答问标题\n1.问：第一个问题是什么？\n答：第一个回答。\n2.问：第二个问题呢？\n答：第二个回答。\n"
                   "3.问：第三个？\n答：第三个回答。\n")
    assert [p.role for p in d.body()] == ["question", "answer"] * 3
    assert len(d.sections) == 3


def test_the_publics_turns_in_a_transcript_are_questions():
    d = parse_text("就业补贴政策在线访谈\n主持人：欢迎收看本期访谈。\n嘉宾张某：谢谢。\n网友小李：补贴怎么申请？\n"
                   "张某：在网上申请。\n提问：要交什么材料？\n张某：身份证和证书。\n市民王先生：多久到账？\n张某：十五个工作日。\n")
    roles = {p.text.split("：")[0]: p.role for p in d.body()}
    assert roles["网友小李"] == roles["提问"] == roles["市民王先生"] == "question"
    assert roles["张某"] == "answer"


def test_articles_are_paragraphs_of_their_chapters():
    d = parse_text(ARTICLES)
    assert d.metadata.kind == "measures"
    assert [s.title for s in d.sections] == ["第一章 总则", "第二章 补贴"]
    assert [p.text[:4] for p in d.body()] == ["第一条 ", "第二条 ", "第三条 ", "第四条 "]


def test_ids_of_articles_are_their_numbers_whatever_the_chapter():
    d = parse_text(ARTICLES.replace("第三条 补贴按月发放。", "第三条 补贴按月发放：\n（一）在职职工按月领取。\n"
                                                     "第一节 标准\n第四条 每人每月100元。")
                   .replace("第四条 本办法", "第五条 本办法"))
    ids = {p.text[:3]: (p.id, p.section) for p in d.body()}
    assert ids["第一条"] == ("§1.1", 1) and ids["第二条"] == ("§2.1", 1) and ids["第三条"] == ("§3.1", 2)
    assert ids["（一）"] == ("§3.2", 2)  # the article's second paragraph
    assert ids["第一节"] == ("§4.1", 2)  # an article under a lower heading
    assert ids["第五条"] == ("§5.1", 2)


@pytest.mark.parametrize("question, article", [
    ("第三条是怎么规定的？", 3), ("What does Article 2 say?", 2), ("本办法第三条说了什么", 3),
    ("《职业培训补贴办法》第二条", 2),
    ("劳动合同法第三条怎么规定？", None), ("What does Article 3 of the Labour Contract Law say?", None),
    ("第九条说了什么？", None),  # no such article here
])
def test_a_question_naming_an_article_is_answered_from_it(question, article):
    from rag.retrieve.article import article_rows

    d = parse_text(ARTICLES)
    rows = article_rows(d, question)
    assert [d.paragraphs[i].id for i in rows] == ([f"§{article}.1"] if article else [])


@pytest.mark.parametrize("title, bare", [("六、办理时限", "办理时限"), ("第三章　工资清偿", "工资清偿"), ("（二）网上办理", "网上办理"),
                                         ("2.1 流程环节", "流程环节"), ("IV. Processing time", "Processing time"),
                                         ("十一、", "十一、"), ("Introduction", "Introduction"), ("2025年工作要点", "2025年工作要点"),
                                         ("第一章  总    则", "总则"), ("第四章　附　则", "附则"), ("附 件 1", "附 件 1")])
def test_a_section_title_without_its_number(title, bare):
    from rag.document import bare_title

    assert bare_title(title) == bare


def test_a_question_naming_a_section_in_quotes_is_answered_from_it():
    from rag.retrieve.article import section_rows

    d = parse_text(GUIDE)
    ids = lambda q: sorted({d.paragraphs[i].section for i in section_rows(d, q)})  # noqa: E731
    assert ids("关于“所需材料”有哪些内容？") == ids("关于“二、所需材料”有哪些内容？") == [2]
    assert ids("What does the document say about \"办理时限\"?") == [3]
    assert ids("关于“申领条…”有哪些内容？") == [1]  # a title cut short
    assert ids("所需材料有哪些？") == []  # named, but not in quotes: ranked as any question
    assert ids("关于“报销比例”有哪些内容？") == ids("What's the 'limit'?") == []


def test_english_follow_ups_give_a_chinese_sections_english_and_still_quote_its_title():
    from types import SimpleNamespace

    from rag.document import Answer, Citation
    from rag.retrieve.article import section_rows
    from rag.ui.chat import follow_ups

    d = parse_text(GUIDE)
    engine = SimpleNamespace(doc=d, retrieve=None)  # a cited answer's topics are its neighbours'
    cited = lambda lang: Answer("q", lang, "…", False, (Citation("§2.1", "二、所需材料", "…", 1.0),))  # noqa: E731
    offered = follow_ups(engine, cited("en"))
    assert offered == ("What does the document say about processing time (“办理时限”)?",
                       "What does the document say about eligibility (“申领条件”)?")
    assert [sorted({d.paragraphs[i].section for i in section_rows(d, q)}) for q in offered] == [[3], [1]]
    assert follow_ups(engine, cited("zh")) == ("关于“办理时限”有哪些内容？", "关于“申领条件”有哪些内容？")


@pytest.mark.parametrize("question, searched", [
    ("《测试部 样例部关于开展职业培训补贴试点的通知》关于试点地区有哪些内容？", "关于试点地区有哪些内容？"),
    ("What does 《开展职业培训补贴试点》 say about the pilot cities?", "What does  say about the pilot cities?"),
    ("《劳动合同法》对试点有什么规定？", "《劳动合同法》对试点有什么规定？"),  # another text's title stays
    ("开展职业培训补贴试点的通知说了什么？", "开展职业培训补贴试点的通知说了什么？"),  # named, not in 《》
    ("《测试部 样例部关于开展职业培训补贴试点的通知》", "《测试部 样例部关于开展职业培训补贴试点的通知》"),  # nothing else asked
])
def test_a_question_is_ranked_without_this_documents_title_in_quotes(question, searched):
    from rag.retrieve.article import without_title

    assert without_title(parse_text(NOTICE), question) == searched


@pytest.mark.slow
def test_naming_the_document_in_quotes_does_not_rank_its_header_first(notice_engine):
    for question in ("《测试部 样例部关于开展职业培训补贴试点的通知》关于哪些人能参加有什么规定？",
                     "What does 《测试部 样例部关于开展职业培训补贴试点的通知》 say about who is covered?"):
        a = notice_engine.ask(question)
        assert not a.abstained and "试点对象" in a.citations[0].text, question  # not ranked by the title's words
    assert notice_engine.ask("《测试部 样例部关于开展职业培训补贴试点的通知》的文号是什么？").citations[0].id.startswith("§0.")


def test_an_article_of_another_law_is_not_cited_as_this_documents():
    from rag.retrieve.article import cited_articles

    assert cited_articles("第二十条 违反本规定第十一条规定的，依照《劳动法》第九十一条处罚。") == {11}


def test_a_question_about_breaching_an_article_is_answered_by_the_articles_citing_it():
    from rag.retrieve.article import article_rows

    d = parse_text(ARTICLES + "第五条 违反本办法第三条规定的，责令改正。\n")
    ids = lambda q: [d.paragraphs[i].id for i in article_rows(d, q)]  # noqa: E731
    assert ids("单位违反第三条会怎么样？") == ids("What if an employer violates Article 3?") == ["§5.1"]
    assert ids("第三条是怎么规定的？") == ["§3.1"]
    assert ids("违反第二条会怎么样？") == ["§2.1"]  # nothing cites it: the article itself


def test_a_question_naming_an_article_as_its_case_may_be_answered_by_an_article_citing_it():
    from rag.retrieve.article import about_rows, article_rows

    d = parse_text(ARTICLES + "第五条 按照本办法第三条规定领取补贴的，不再享受培训补助。\n")
    ids = lambda q: sorted(d.paragraphs[i].id for i in article_rows(d, q))  # noqa: E731
    assert ids("按第三条领补贴的人还能享受培训补助吗？") == ids("Can people paid under Article 3 get training aid?") == [
        "§3.1", "§5.1"]
    assert ids("第三条是怎么规定的？") == ["§3.1"]
    rows, lead = about_rows(d, "按第三条领补贴的人还能享受培训补助吗？")
    assert [d.paragraphs[i].id for i in rows[lead]] == ["§3.1"]  # the article named leads

def test_a_question_asking_a_penalty_is_shown_the_article_that_sets_it():
    from rag.retrieve.article import penalty_rows

    d = parse_text(ARTICLES + "第五条 违反本办法第三条规定的，由劳动保障行政部门责令改正，并处罚款。\n")
    third = [i for i, p in enumerate(d.paragraphs) if p.id == "§3.1"]
    rows = lambda q: [d.paragraphs[i].id for i in penalty_rows(d, q, np.array(third))]  # noqa: E731
    assert rows("不这样做会受到什么处罚？") == rows("What is the penalty for not doing so?") == ["§5.1"]
    assert rows("这样做有什么要求？") == []  # no penalty asked


def test_a_document_counted_by_paragraphs_has_no_articles_to_name():
    from rag.retrieve.article import article_rows

    d = parse_text(NOTICE)
    assert not article_rows(d, "第一条是什么？").size and not article_rows(d, "What does Article 1 say?").size


def test_articles_numbered_again_keep_counted_ids():
    # An attachment with its own 第一条: the numbers are not the document's one numbering.
    d = parse_text(ARTICLES + "附件\n实施细则\n第一条 细则适用于试点。\n第二条 细则自发布之日起施行。\n")
    assert [p.id for p in d.body() if p.section == 1] == ["§1.1", "§1.2"]


def test_items_numbered_across_sections_are_their_own_ids():
    d = parse_text("某部关于促进就业的意见\n一、稳定就业\n（一）支持企业稳岗。\n（二）扩大见习。\n"
                   "二、加强培训\n（三）开展培训。\n（四）发放补贴。\n")
    assert [p.id for p in d.body()] == ["§1.1", "§1.2", "§2.3", "§2.4"]
    assert d.get("§2.3").text.startswith("（三）") and d.get("§2.3").section == 2
    # With an unnumbered paragraph among them, paragraphs are counted.
    # (An item that is a bare phrase, "（一）支持企业稳岗。", would head the paragraph after it.)
    d = parse_text("某部关于促进就业的意见\n一、稳定就业\n（一）支持企业稳岗，稳定就业岗位。\n各地要抓好落实。\n"
                   "二、加强培训\n（二）开展培训。\n（三）发放补贴。\n")
    assert [p.id for p in d.body()] == ["§1.1", "§1.2", "§2.1", "§2.2"]


@pytest.mark.parametrize("lines, family", [
    (["一、甲", "二、乙", "（一）丙"], "cn"),
    (["第一章 总则", "第一条 甲", "第二章 附则"], "chapter"),
    (["1. 甲", "2. 乙"], None),  # two numbered lines are a list, not sections
    (["1. 甲", "2. 乙", "3. 丙"], "arabic"),
    (["一是加强培训。", "二是扩大覆盖。"], None),
])
def test_numbering_family(lines, family):
    assert numbering_family(lines) == family


@pytest.mark.parametrize("text, iso", [("2018年11月16日", "2018-11-16"), ("二〇二〇年二月二十五日", "2020-02-25"),
                                       ("发布时间：2020-02-25 10:00", "2020-02-25"), ("1月20日", ""), ("", "")])
def test_iso_date(text, iso):
    assert iso_date(text) == iso


def test_this_year_is_the_documents_date_not_its_latest_target():
    assert current_year("到2035年基本建成。2020年要做好。", "2020-02-25") == 2020
    assert current_year("2020年要做好，2020年底前完成。到2035年基本建成。") == 2020


def test_a_date_line_under_a_plain_headline_is_header():
    d = parse_text("标题\n（2031年2月25日）\n第一部分\n正文第一段。\n第二部分\n正文第二段。\n")
    assert [s.title for s in d.sections] == ["第一部分", "第二部分"]
    assert d.metadata.date == "2031-02-25"


def test_a_worked_case_ending_in_a_question_is_asked_like_one():
    d = parse_text("失业保险问答\n一、哪些人可以领取失业金？\n非因本人意愿中断就业的失业人员。\n"
                   "案例1：小张自己辞职后申请失业金，是否符合条件？\n答：不符合，主动辞职不属于非因本人意愿中断就业。\n"
                   "二、失业金怎么申请？\n可以网上申请。\n")
    roles = {p.text[:3]: p.role for p in d.body()}
    assert roles["案例1"] == "question" and roles["答：不"] == "answer"


def test_a_regulations_order_number_is_its_document_number():
    d = parse_text("职工培训补贴条例\n2031年3月5日 中华人民共和国国务院令第901号公布\n"
                   "第一条 为了规范培训补贴，制定本条例。\n第二条 补贴按月发放。\n第三条 本条例自公布之日起施行。\n")
    assert (d.metadata.number, d.metadata.date) == ("中华人民共和国国务院令第901号", "2031-03-05")


def test_articles_with_no_chapters_keep_their_title_and_adoption_note_as_header():
    d = parse_text("职工培训补贴办法\n（2031年3月5日经某部第9次部务会议通过）\n"
                   "第一条 为了规范培训补贴，制定本办法。\n第二条 补贴按月发放。\n第三条 本办法自发布之日起施行。\n")
    assert (d.metadata.title, d.metadata.kind, d.metadata.date) == ("职工培训补贴办法", "measures", "2031-03-05")
    assert [p.text[:3] for p in d.body()] == ["第一条", "第二条", "第三条"]


@pytest.mark.parametrize("name, kind, sections", [("notice.zh.txt", "opinion", 5), ("measures.zh.txt", "regulations", 7),
                                                  ("qa.zh.txt", "Q&A", 6), ("jobskill.zh.txt", "notice", 5),
                                                  ("nianjia.zh.txt", "measures", 1), ("gzunemp.zh.txt", "Q&A", 16),
                                                  ("housing.zh.txt", "regulations", 7), ("szclaim.zh.txt", "procedure", 4),
                                                  ("silaw.zh.txt", "law", 12)])
def test_the_real_fixtures_parse_by_their_genre(name, kind, sections):
    d = read_document(FIXTURES / name)
    assert d.metadata.kind == kind and len(d.sections) == sections
    assert not any(p.text.strip() == d.metadata.dateline for p in d.body() if d.metadata.dateline)


def test_a_title_broken_over_lines_is_one_title():
    broken = NOTICE.replace("测试部 样例部关于开展职业培训补贴试点的通知", "测试部 样例部关于开展\n职业培训补贴试点的通知")
    d = parse_text(broken)
    assert d.metadata.title == "测试部 样例部关于开展职业培训补贴试点的通知" and d.metadata.kind == "notice"
    assert [p.id for p in d.paragraphs] == [p.id for p in parse_text(NOTICE).paragraphs]


def test_a_red_headed_documents_title_is_the_line_naming_its_kind():
    d = parse_text("00001\n测试市人民政府文件\n测府〔2031〕3号\n关于印发测试补贴办法的通知\n各区人民政府：\n"
                   "现将《测试补贴办法》印发给你们，请认真贯彻执行。\n一、补贴对象\n参加失业保险的职工。\n二、补贴标准\n每人800元。\n")
    assert (d.metadata.title, d.metadata.kind, d.metadata.number) == ("关于印发测试补贴办法的通知", "notice", "测府〔2031〕3号")


@pytest.mark.parametrize("title, kind", [("关于测试补贴有关问题的批复", "reply"), ("关于测试补贴有关问题的复函", "letter")])
def test_a_reply_and_a_letter_are_kinds_of_their_own(title, kind):
    from rag.answer import lead_in

    d = parse_text(f"{title}\n测人社函〔2031〕3号\n一、对象\n参加失业保险的职工。\n二、标准\n每人800元。\n")
    assert d.metadata.kind == kind and lead_in("en", kind) == f"According to the {kind}:"


def test_a_headline_over_its_subtitle_or_its_date_is_not_joined_to_it():
    d = parse_text("稳就业 保民生\n——有关负责人答记者问\n问：今年有哪些举措？\n答：扩大补贴范围。\n问：何时实施？\n答：即日起。\n")
    assert d.metadata.title == "稳就业 保民生"
    d = parse_text("职业培训补贴\n2031年4月2日\n一、范围\n参加失业保险的职工。\n二、标准\n每人800元。\n")
    assert d.metadata.title == "职业培训补贴"


def test_a_notice_carrying_measures_keeps_its_front_matter_out_of_the_articles():
    d = read_document(FIXTURES / "shunemp.zh.txt")
    m = d.metadata
    assert (m.kind, m.number, m.date, m.issuer) == ("notice", "沪人社规〔2026〕18号", "2026-08-06", "上海市人力资源和社会保障局")
    articles = [p for p in d.body() if p.text.startswith("第") and p.id.endswith(".1")]
    assert [p.id for p in articles][:3] == ["§1.1", "§2.1", "§3.1"] and len(articles) == 17
    assert d.sections[0].title == "上海市失业保险金申领发放实施办法"  # the measures it carries, not the notice


def test_a_service_guide_has_a_section_per_numbered_heading_and_its_date_in_the_metadata():
    d = read_document(FIXTURES / "gzpension.zh.txt")
    assert d.metadata.date == "2025-08-21" and len(d.sections) == 11
    assert d.sections[0].title == "一、办理对象" and not any(p.text.startswith("发表时间") for p in d.body())


LABELLED_GUIDE = """失业登记办理指南
发布时间： 2024-03-01　 来源：
实施机关
街道劳动保障服务站
办理时限
即时办结
办理依据
1.《就业服务与就业管理规定》（中华人民共和国劳动和社会保障部令第28号）
2.《某市失业保险条例》（某市第十五届人民代表大会常务委员会公告第5号）
申请条件
1.在法定劳动年龄内，有劳动能力。
2.有就业要求，处于无业状态。
所需材料
1.本人身份证原件；
2.解除劳动关系的证明。
==========
失业登记注销指南
发布时间： 2024-03-01　 来源：
办理程序
1.本人到街道窗口提出申请。
2.窗口当场办结。
"""


def test_a_service_guides_labels_head_its_lists_and_a_rule_opens_the_next_guide():
    d = parse_text(LABELLED_GUIDE)
    assert d.metadata.title == "失业登记办理指南" and d.metadata.date == "2024-03-01"
    assert [s.title for s in d.sections] == ["办理依据", "申请条件", "所需材料", "失业登记注销指南", "办理程序"]
    assert [p.text for p in d.paragraphs if p.section_title == "申请条件"] == [
        "1.在法定劳动年龄内，有劳动能力。", "2.有就业要求，处于无业状态。"]
    assert not any("=" in p.text for p in d.paragraphs)
    # Its fields, a label over its value, are read as one line each.
    assert "实施机关：街道劳动保障服务站" in d.metadata.columns and "办理时限：即时办结" in d.metadata.columns
    # A citation closed by its bracket is not run into the label under it.
    assert any(p.text == "2.《某市失业保险条例》（某市第十五届人民代表大会常务委员会公告第5号）" for p in d.paragraphs)


def test_each_paragraph_knows_the_title_of_the_text_a_rule_parts_it_into():
    from rag.index.units import units_for
    from rag.retrieve.second import passage_text

    d = parse_text(LABELLED_GUIDE)
    steps = [p for p in d.body() if p.section_title == "办理程序"]
    assert {p.part for p in steps} == {"失业登记注销指南"}
    assert {p.part for p in d.body() if p.section_title == "申请条件"} == {"失业登记办理指南"}
    # Shown with the citation, indexed and embedded with the paragraph: which guide a step is of.
    assert steps[0].title_in("zh") == "失业登记注销指南 › 办理程序"
    assert any(u.text.startswith("失业登记注销指南") and u.pid == steps[0].id for u in units_for(d))
    assert passage_text(steps[0]).startswith("失业登记注销指南 › 办理程序\n")
    # One text alone has no part, nor one whose rule is under its header.
    one = parse_text(LABELLED_GUIDE.split("==========")[0])
    assert not any(p.part for p in one.paragraphs) and one.body()[0].title_in("zh") == "办理依据"
    ruled = parse_text("某市就业补贴办法\n发布时间：2024-03-01\n==========\n一、总则\n为促进就业，制定本办法。\n"
                       "二、补贴\n每人补贴500元。\n")
    assert len(ruled.sections) == 2 and not any(p.part for p in ruled.paragraphs)


def test_a_follow_up_names_the_section_of_the_text_it_is_in_and_finds_that_one():
    from types import SimpleNamespace

    from rag.document import Answer, Citation
    from rag.retrieve.article import section_rows
    from rag.ui.chat import _topics

    d = parse_text(LABELLED_GUIDE.replace("办理程序\n1.本人", "申请条件\n1.本人到街道窗口核对。\n办理程序\n1.本人"))
    second = [p for p in d.body() if p.part == "失业登记注销指南"]
    shown = [Citation(id=second[-1].id, section=second[-1].title_in("zh"), text=second[-1].text, score=None)]
    topics = [(t, part) for t, _, part in _topics(SimpleNamespace(doc=d), Answer("问", "zh", "", False, tuple(shown)), 3)]
    assert ("申请条件", "失业登记注销指南") in topics  # the second guide's, not the first one's
    rows = section_rows(d, "关于“失业登记注销指南 › 申请条件”有哪些内容？")
    assert {d.paragraphs[i].part for i in rows} == {"失业登记注销指南"}
    first = section_rows(d, "关于“申请条件”有哪些内容？")
    assert {d.paragraphs[i].part for i in first} == {"失业登记办理指南"}
    assert not section_rows(d, "关于“另一份指南 › 申请条件”有哪些内容？").size
    named = section_rows(d, "《失业登记注销指南》里关于“申请条件”有哪些内容？")  # the text named in 《》
    assert {d.paragraphs[i].part for i in named} == {"失业登记注销指南"}


def test_a_follow_up_asking_what_a_section_says_is_answered_with_the_section_in_order(tmp_path, fake_embedder):
    from rag.engine import Engine
    from rag.retrieve.article import asks_what_section_says

    path = tmp_path / "guides.zh.txt"
    path.write_text(LABELLED_GUIDE, encoding="utf-8")
    engine = Engine.open(Config(document=path, index_dir=tmp_path / "index"), embedder=fake_embedder)
    for question in ("关于“所需材料”有哪些内容？", "What does the document say about documents required (“所需材料”)?"):
        a = engine.ask(question)
        assert [c.text for c in a.citations] == ["1.本人身份证原件；", "2.解除劳动关系的证明。"]
        assert a.text.index("身份证原件") < a.text.index("解除劳动关系的证明")
    assert asks_what_section_says("《失业登记办理指南》关于“申请条件”有哪些内容？")
    assert not asks_what_section_says("“办理时限”是多少天？")  # one figure of it: ranked, not quoted whole
    assert not asks_what_section_says("“申请条件”里对年龄有什么要求？")


@pytest.fixture(scope="module")
def notice_engine(tmp_path_factory, real_embedder):
    from rag.engine import Engine

    path = tmp_path_factory.mktemp("doc") / "pilot.zh.txt"
    path.write_text(NOTICE, encoding="utf-8")
    return Engine.open(Config(document=path, index_dir=path.parent / "index"), embedder=real_embedder)


@pytest.mark.slow
def test_answers_name_the_documents_kind_and_no_interview(notice_engine):
    a = notice_engine.ask("培训合格的补贴标准是多少？")
    assert not a.abstained and a.text.startswith("根据该通知") and "访谈" not in a.text
    assert a.citations[0].id == "§2.1"


@pytest.mark.slow
def test_english_on_a_document_without_an_edition_says_so_in_english(notice_engine):
    a = notice_engine.ask("How much is the training subsidy per person?")
    assert not a.abstained and a.language == "en"
    assert a.text.startswith("This document has no English edition") and "According to the notice" in a.text
    # The quote comes before its glossed key terms, which close the answer.
    last = a.text.splitlines()[-1]
    assert last.startswith("Key terms (dictionary glosses):") and a.text.index("According to") < a.text.index(last)


@pytest.mark.slow
@pytest.mark.parametrize("question, pid", [("这份文件是哪个部门印发的？", "§0.6"), ("What is the document number?", "§0.2"),
                                           ("When does this notice come into force?", "§3.1")])
def test_questions_about_the_document_find_its_fields(notice_engine, question, pid):
    a = notice_engine.ask(question)
    assert not a.abstained and pid in [c.id for c in a.citations][:2]


@pytest.mark.slow
def test_another_document_gets_none_of_the_bundled_documents_data(notice_engine):
    # The bundled interview's thesaurus and glossary travel with it only: another document has
    # the field's everyday words alone (rag/data/lay.tsv), each with terms of its own text.
    from rag.retrieve.thesaurus import field_lay

    text = " ".join(p.text for p in notice_engine.doc.paragraphs)
    lay = notice_engine.retriever.lay_zh
    assert lay and all(set(terms) <= set(field_lay()[word]) and all(t in text for t in terms) for word, terms in lay)
    assert notice_engine.retriever.lay_en == {}


@pytest.mark.parametrize("title, lead", [("职工培训补贴条例", "根据该条例："), ("关于职工培训补贴的若干规定", "根据该规定："),
                                         ("职工培训补贴办法", "根据该办法："), ("中华人民共和国职工培训补贴法", "根据该法："),
                                         ("确定职工培训补贴标准的通用方法", "根据原文："),
                                         # An FAQ is a Q&A as a press conference's is: not "答记者问".
                                         ("职工培训补贴常见问题解答", "根据该问答：")])
def test_an_answer_names_the_kind_its_title_says(title, lead):
    from rag.answer import lead_in

    d = parse_text(f"{title}\n第一条 为了规范补贴，制定本规定。\n第二条 补贴按月发放。\n第三条 自发布之日起施行。\n")
    assert lead_in("zh", d.metadata.kind) == lead


def test_a_numbered_item_is_led_by_the_paragraph_that_opens_its_list():
    d = parse_text("培训补贴条例\n第一条 为了规范补贴，制定本条例。\n"
                   "第二条 有下列情形之一的，处1万元以上2万元以下的罚款：\n（一）虚报培训人数的；\n（二）重复申领的。\n"
                   "第三条 补贴按月发放。\n（一）这一项没有引导语。\n")
    assert len(d.sections) == 1  # the items are an article's, not sections of their own
    assert d.lead_of("§2.2").id == "§2.1" and d.lead_of("§2.3").id == "§2.1"
    assert d.lead_of("§2.1") is None and d.lead_of("§1.1") is None
    assert d.lead_of("§3.2") is None  # the paragraph before it does not open a list
    assert [p.id for p in d.items_of("§2.1")] == ["§2.2", "§2.3"]
    assert d.items_of("§3.1") == () and d.items_of("§2.2") == ()  # no lead; an item leads nothing


def test_a_sentence_announcing_the_items_after_it_leads_them_though_it_ends_in_a_full_stop():
    d = parse_text("人才落户办法\n第一条 申请人应当符合以下基本条件，积分达到100分的可以申请。\n1、年龄在18周岁以上。\n"
                   "2、身体健康。\n第二条 月收入1万元以下的，可以申请补贴。\n1、这一项前面的句子没有预告。\n"
                   "第三条 以下是办理地点。\n办理地点在市政务中心。\n第四条 人力资源社会保障部门（以下简称人社部门）负责实施。\n"
                   "1、这一项前面的句子也没有预告。\n")

    def lead(start: str) -> str | None:
        found = d.lead_of(next(p for p in d.paragraphs if p.text.startswith(start)).id)
        return found.text[:7] if found else None

    assert lead("1、年龄") == lead("2、身体") == "第一条 申请人"
    assert lead("1、这一") is None  # 以下 bounding a figure announces nothing
    assert lead("办理地点") is None  # no item 1 after it: no list
    assert lead("1、这一项前面的句子也") is None  # 以下简称 names a short form


GUIDE = ("职工培训补贴申领指南\n一、申领条件\n符合下列条件的，可以申领补贴：\n（一）参加培训的；\n（二）取得证书的，包括以下证书：\n"
         "1.职业资格证书；\n2.职业技能等级证书。\n（三）在本市缴纳社会保险的。\n"
         "二、所需材料\n（一）必需材料 1.《培训补贴申请表》。\n填报须知：申请表须由本人签名。\n2.本人身份证。\n"
         "3.培训合格证书。\n填报须知：证书须在有效期内。\n（二）其他材料 1.委托他人办理的，提供委托书。\n"
         "三、办理时限\n受理之日起10个工作日内办结。\n1.这一项前面没有列表。\n")


def test_lists_nest_by_their_numbering_and_notes_between_items_do_not_end_them():
    d = parse_text(GUIDE)

    def lead(start: str) -> str | None:
        found = d.lead_of(next(p for p in d.paragraphs if p.text.startswith(start)).id)
        return found.text[:6] if found else None

    assert lead("（一）参加") == lead("（三）在本") == "符合下列条件"  # 1. and 2. between them do not end the list
    assert lead("1.职业") == lead("2.职业") == "（二）取得证"  # a numbered item leads its own "包括以下…："
    # A subsection's heading leads the items under it, across the notes on each item.
    assert lead("2.本人") == lead("3.培训") == "（一）必需材"
    assert lead("填报须知") is None and lead("（二）其他") is None and lead("受理之日") is None
    assert lead("1.这一") is None  # a paragraph that is not a note ended the list before it


def test_a_short_list_under_a_heading_is_one_checklist_and_a_long_one_is_not():
    d = parse_text(GUIDE)

    def at(start: str) -> str:
        return next(p.id for p in d.paragraphs if p.text.startswith(start))

    found = d.checklist(at("2.本人"))
    assert found.heading == "（一）必需材料" and found.texts == ("1.《培训补贴申请表》。", "2.本人身份证。", "3.培训合格证书。")
    assert [p.id for p in found.paragraphs] == [at("（一）必需"), at("2.本人"), at("3.培训")]
    # Each note is on the item before it; item 1's is on the heading's paragraph, which holds item 1.
    assert [(on, n.id) for on, n in found.notes] == [(at("（一）必需"), at("填报须知：申请")), (at("3.培训"), at("填报须知：证书"))]
    assert d.checklist(at("（一）必需")) == found == d.checklist(at("填报须知：申请"))  # a note's list is its item's
    assert d.checklist(at("（二）其他")) is None  # one item is not a list
    assert d.checklist(at("（一）参加")) is None  # led by a sentence, not a heading
    long = parse_text("指南\n一、流程\n（一）窗口办理 1." + "申请人到窗口提交材料并填写申请表，" * 4 + "。\n2.审核。\n")
    assert all(long.checklist(p.id) is None for p in long.paragraphs)


@pytest.mark.parametrize("question", ["Why was this notice issued?", "这份通知的目的是什么？"])
def test_why_a_document_was_made_is_answered_by_its_own_formula(question):
    from rag.retrieve.article import field_rows

    d = parse_text(NOTICE)
    rows = field_rows(d, question)
    assert [d.paragraphs[i].text[:5] for i in rows] == ["为做好试点"]


def test_a_question_whether_a_regulation_was_amended_is_answered_by_its_date_note():
    from rag.retrieve.article import field_rows

    note = "2031年3月1日 某市人民代表大会常务委员会第五次会议通过 根据2034年6月1日某市人民代表大会常务委员会《关于修改〈某市补贴条例〉的决定》修正"
    d = parse_text(f"某市补贴条例\n{note}\n第一条 为了规范补贴，制定本条例。\n第二条 补贴按月发放。\n")
    for q in ("这部条例修改过吗？", "Has this regulation been amended?", "某市补贴条例修订过没有？"):  # named bare
        assert [d.paragraphs[i].text for i in field_rows(d, q)] == [note]
    assert d.metadata.date == "2031-03-01"  # adopted, not amended


@pytest.mark.parametrize("line", ["本细则自2031年5 月1日起施行，有效期至2036年4月30日。", "本细则自印发之日起施行。"])
def test_the_effective_date_is_found_however_its_date_is_spaced(line):
    from rag.retrieve.article import field_rows

    d = parse_text(f"某市补贴细则\n一、适用范围\n本细则适用于本市。\n二、附则\n{line}\n")
    assert [d.paragraphs[i].text for i in field_rows(d, "When do these rules take effect?")] == [line]


@pytest.mark.parametrize("question", ["Which documents is this guide based on?", "这份指南依据哪些文件？",
                                      "Which municipal notice does this service guide say it is based on?"])
def test_a_preamble_opening_on_the_texts_it_applies_states_the_basis(question):
    from rag.retrieve.article import field_rows

    d = parse_text("关于灵活就业人员参保的办事指南\n发布单位：市社保中心 发布时间：2031-08-09\n"
                   "根据《关于完善灵活就业人员参保有关规定的通知》精神，现就有关内容告知如下：\n"
                   "一、参保条件\n根据《社会保险法》规定，未达到退休年龄的可以参保。\n二、缴费标准\n缴费比例为20%。\n")
    rows = field_rows(d, question)
    assert [d.paragraphs[i].text[:3] for i in rows] == ["根据《"] and d.paragraphs[rows[0]].section == 0


def test_a_basis_citing_several_texts_is_found():
    from rag.retrieve.article import field_rows

    d = parse_text("某市护理补贴实施意见\n第一条 根据《国务院关于护理补贴的若干意见》（国发[2031]5号）、省民政厅《关于护理补贴的"
                   "指导意见》（某民文[2031]10号）、《某市护理补贴办法》（市人民政府令第64号）精神，为切实维护老人合法权益，"
                   "结合我市实际，制定本办法。\n第二条 护理补贴按月发放。\n第三条 本意见自2032年1月1日起施行。\n")
    assert [d.paragraphs[i].id for i in field_rows(d, "该意见是根据哪些文件制定的？")] == ["§1.1"]

def test_a_question_naming_an_article_is_answered_with_the_whole_article(tmp_path, fake_embedder):
    from rag.engine import Engine

    path = tmp_path / "subsidy.zh.txt"
    path.write_text("培训补贴条例\n第一条 为了规范补贴，制定本条例。\n"
                    "第二条 有下列情形之一的，处1万元以上2万元以下的罚款：\n（一）虚报培训人数的；\n（二）重复申领的。\n"
                    "第三条 补贴按月发放。\n", encoding="utf-8")
    engine = Engine.open(Config(document=path, index_dir=tmp_path / "index"), embedder=fake_embedder)
    for question in ("What does Article 2 say?", "第二条是怎么规定的？"):
        a = engine.ask(question)
        assert sorted(c.id for c in a.citations) == ["§2.1", "§2.2", "§2.3"] and not a.abstained
        assert a.text.index("处1万元以上2万元以下的罚款") < a.text.index("虚报培训人数") < a.text.index("重复申领")
    other = engine.ask("劳动合同法第二条是怎么规定的？")  # another law's article: searched, not quoted whole
    assert other.abstained or any(c.score is not None for c in other.citations)


@pytest.mark.parametrize("question, names", [
    ("《工伤保险条例》规定的补贴怎么发？", ["工伤保险条例"]),  # named nowhere in the text
    ("《某市护理补贴办法》规定补贴怎么发？", []),  # the text rests on it
    ("《护理补贴条例》规定补贴怎么发？", []),  # its own title
    ("《护理补贴 条例》和《工伤保险条例》怎么规定？", ["工伤保险条例"]),
    ("护理补贴怎么发？", []),
])
def test_a_text_named_in_quotes_that_the_document_never_mentions_is_told_apart(question, names):
    from rag.retrieve.article import unmentioned

    d = parse_text("护理补贴条例\n第一条 根据《某市护理补贴办法》，制定本条例。\n第二条 护理补贴按月发放。\n")
    assert unmentioned(d, question) == names


def test_an_answer_to_a_question_naming_a_text_the_document_never_mentions_says_so(tmp_path, fake_embedder):
    from rag.engine import Engine

    path = tmp_path / "care.zh.txt"
    path.write_text("护理补贴条例\n第一条 为了规范护理补贴，制定本条例。\n第二条 护理补贴按月发放到老人本人账户。\n",
                    encoding="utf-8")
    engine = Engine.open(Config(document=path, index_dir=tmp_path / "index"), embedder=fake_embedder)
    named = engine.ask("按《老人法》，护理补贴按月发放到老人本人账户吗？")
    plain = engine.ask("按，护理补贴按月发放到老人本人账户吗？")
    assert not named.abstained and named.text.startswith("文件中没有提到《老人法》")
    assert named.text.split("\n", 1)[1] == plain.text and [c.id for c in named.citations] == [c.id for c in plain.citations]
    assert not plain.abstained and not plain.text.startswith("文件中没有提到")


@pytest.mark.parametrize("question, names", [
    ("Under the Trade Union Law, how is the allowance paid?", ["Trade Union Law"]),  # named nowhere
    ("Does the Pension Law say how the allowance is paid?", []),  # the text cites 养老法
    ("When did the Care Allowance Regulations take effect?", []),  # its own title
    ("Under the Trade Union Law and the Pension Law, how is it paid?", ["Trade Union Law"]),
    ("Which earlier regulation does this replace?", []),  # no name
    ("Is the allowance paid monthly?", []),
])
def test_a_law_named_in_english_that_the_document_never_mentions_is_told_apart(question, names):
    from rag.retrieve.article import unmentioned_english

    d = parse_text("护理补贴条例\n第一条 根据养老法，制定本条例。\n第二条 护理补贴按月发放。\n")
    assert unmentioned_english(d, question) == names


@pytest.mark.parametrize("question", ["Does the Employment Contract Law apply?", "Under China's Labour Contract Law?",
                                      "What does the PRC Labor Contract Law say about it?"])
def test_a_law_the_document_cites_is_mentioned_however_english_names_it(question):
    from rag.retrieve.article import unmentioned_english

    d = parse_text("护理补贴条例\n第一条 根据《中华人民共和国劳动合同法》，制定本条例。\n第二条 护理补贴按月发放。\n")
    assert unmentioned_english(d, question) == []


def test_an_english_answer_naming_a_law_the_document_never_mentions_says_so():
    from rag.answer import noting_unmentioned
    from rag.document import Answer

    answer = Answer("Under the Trade Union Law, is it paid monthly?", "en", "“按月发放” (paid monthly)", False, ())
    noted = noting_unmentioned(answer, [], ["Trade Union Law", "China's Elderly Care Law"])
    assert noted.text == ("The document does not mention the Trade Union Law or China's Elderly Care Law: what follows "
                          "is the document's own text.\n“按月发放” (paid monthly)")


def test_an_article_of_a_text_the_document_never_mentions_is_not_answered(tmp_path, fake_embedder):
    from rag.engine import Engine

    path = tmp_path / "care.zh.txt"
    path.write_text("护理补贴条例\n第一条 根据《某市养老办法》，制定本条例。\n第二条 护理补贴按月发放到老人本人账户。\n"
                    "第三条 本条例自2032年1月1日起施行。\n", encoding="utf-8")
    engine = Engine.open(Config(document=path, index_dir=tmp_path / "index"), embedder=fake_embedder)
    refused = engine.ask("《老人法》第二条是怎么规定的？")
    assert refused.abstained and not refused.citations and refused.text.startswith("文件没有涉及这个问题")
    in_english = engine.ask("What does Article 2 of the Trade Union Law say?")  # a law named in English
    assert in_english.abstained and not in_english.citations
    assert not engine.ask("第二条是怎么规定的？").abstained  # its own article
    mentioned = engine.ask("《某市养老办法》第二条是怎么规定的？")  # a text it names: searched, perhaps quoted
    assert mentioned.abstained or mentioned.citations


def test_every_issuer_of_a_document_signed_by_several_is_named(tmp_path, fake_embedder):
    from rag.engine import Engine

    path = tmp_path / "pilot.zh.txt"
    path.write_text(NOTICE, encoding="utf-8")
    engine = Engine.open(Config(document=path, index_dir=tmp_path / "index"), embedder=fake_embedder)
    a = engine.ask("Which departments issued this notice?")
    assert "测试部" in a.text and "样例部" in a.text and a.text.index("测试部") < a.text.index("样例部")
    assert a.text.startswith("This document has no English edition")


def test_a_question_for_an_amount_is_shown_the_paragraph_stating_one_first(tmp_path, fake_embedder):
    from rag.engine import Engine

    path = tmp_path / "benefit.zh.txt"
    path.write_text("失业保险金办法\n第一条 失业保险金每月发放，领取期限最长24个月。\n"
                    "第二条 失业保险金标准为2250元。\n第三条 本办法自发布之日起施行。\n", encoding="utf-8")
    engine = Engine.open(Config(document=path, index_dir=tmp_path / "index"), embedder=fake_embedder)
    question = "失业保险金每月发多少钱？"
    # (This tiny embedder scores by shared characters, so the gap is wider than real ones.)
    engine.retriever.params = replace(engine.retriever.params, type_bonus=1.0)
    found = engine.retriever.search(question, "zh", 3)
    assert found.hits[0].paragraph.id == "§2.1"
    engine.retriever.params = replace(engine.retriever.params, type_bonus=0.0)
    plain = engine.retriever.search(question, "zh", 3)
    assert plain.hits[0].paragraph.id == "§1.1"  # the words alone
    assert plain.decision == found.decision  # judged without the bonus


def test_a_question_for_the_cases_is_shown_the_list_of_cases_first(tmp_path, fake_embedder):
    from rag.engine import Engine

    path = tmp_path / "fund.zh.txt"
    path.write_text("互助金办法\n第一条 为规范互助金管理，制定本办法。\n"
                    "第二条 会员申请支取互助金的，应当向管理处提交支取申请。\n"
                    "第三条 会员有下列情形之一的，可以支取：\n（一）退休的；\n（二）出境定居的。\n"
                    "第四条 本办法自发布之日起施行。\n", encoding="utf-8")
    engine = Engine.open(Config(document=path, index_dir=tmp_path / "index"), embedder=fake_embedder)
    engine.retriever.params = replace(engine.retriever.params, type_bonus=1.0)
    question = "会员在什么情况下可以支取互助金？"
    assert engine.retriever.search(question, "zh", 3).hits[0].paragraph.id == "§3.1"
    engine.retriever.params = replace(engine.retriever.params, type_bonus=0.0)
    assert engine.retriever.search(question, "zh", 3).hits[0].paragraph.id == "§2.1"  # the words alone



def test_an_order_publishing_rules_is_front_matter_and_an_annex_follows_the_articles():
    d = parse_text("培训补贴规定\n某某部令 第9号\n《培训补贴规定》已于2031年3月1日经某某部部务会议通过，现予公布，自2031年5月1日起施行。\n"
                   "部长　张三\n二○三一年三月五日\n培训补贴规定\n第一条 为了规范补贴，制定本规定。\n第二条 补贴按月发放。\n"
                   "第三条 本规定自2031年5月1日起施行。\n附件\n补贴标准测算方法\n一、按月测算\n每月测算一次。\n")
    m = d.metadata
    assert (m.title, m.number, m.issuer, m.date) == ("培训补贴规定", "某某部令 第9号", "某某部", "2031-03-01")
    assert [p.text[:3] for p in d.body()][:3] == ["第一条", "第二条", "第三条"]
    assert [p.id for p in d.body()][:3] == ["§1.1", "§2.1", "§3.1"]
    annex = [p for p in d.body() if p.text.startswith("每月测算")]
    assert annex and annex[0].id.startswith("§4.")  # numbered on after the last article
    assert all(p.role == "header" for p in d.paragraphs if p.section == 0)



@pytest.mark.parametrize("note, issuer", [
    ("2031年3月1日 某市第九届人民代表大会常务委员会第十二次会议通过", "某市第九届人民代表大会常务委员会"),
    ("2031年3月1日 经某某部第4次部务会议通过", "某某部"),
    ("2031年3月1日 某某国务院令第88号公布", "某某国务院"),
])
def test_a_regulation_made_by_a_meeting_or_an_order_names_its_maker(note, issuer, tmp_path, fake_embedder):
    from rag.engine import Engine

    text = f"某市培训补贴条例\n{note}\n第一条 为了规范补贴，制定本条例。\n第二条 补贴按月发放。\n"
    d = parse_text(text)
    assert (d.metadata.issuer, d.metadata.date) == (issuer, "2031-03-01")
    path = tmp_path / "rules.zh.txt"
    path.write_text(text, encoding="utf-8")
    engine = Engine.open(Config(document=path, index_dir=tmp_path / "index"), embedder=fake_embedder)
    for q in ("这部条例是由哪个机关通过的？", "Who adopted this regulation?"):
        assert [c.id for c in engine.ask(q).citations] == ["§0.2"]


def test_a_page_line_of_fields_and_items_numbered_before_a_year():
    d = parse_text("2031年度培训补贴热点问答\n发表时间：2031-09-04 15:26　信息来源：市人力资源社会保障局\n"
                   "1.2031年度补贴名额有多少个？\n答：名额为1000个。\n2.怎么申请？\n答：网上申请。\n"
                   "3.什么时候截止？\n答：10月底截止。\n")
    assert (d.metadata.date, d.metadata.issuer) == ("2031-09-04", "市人力资源社会保障局")
    assert [s.title for s in d.sections][0].startswith("2031年度补贴名额")  # item 1, not a decimal 1.2031
    assert all(p.role == "header" for p in d.paragraphs if p.section == 0)


def test_a_page_line_led_by_the_issuer_gives_issuer_and_date():
    d = parse_text("关于灵活就业人员参保的办事指南\n发布单位： 市社保中心 发布时间：2031-08-09\n"
                   "一、参保条件\n未达到退休年龄的，可以参保。\n二、缴费标准\n缴费比例为20%。\n")
    assert (d.metadata.issuer, d.metadata.date) == ("市社保中心", "2031-08-09")
    assert d.paragraphs[1].role == "header" and d.sections[0].title == "一、参保条件"


def test_a_record_block_with_spaced_labels_gives_the_title_and_its_fields():
    d = parse_text("索 引 号：000014349/2031-00031\n主题分类：社会保障\n发文机关：某某省人民政府办公厅\n"
                   "成文日期：2031年04月01日\n标　　题：某某省人民政府办公厅关于印发培训补贴方案的通知\n"
                   "发文字号：某政办发〔2031〕13号\n某某省人民政府办公厅关于印发\n培训补贴方案的通知\n"
                   "各市人民政府：\n《培训补贴方案》已经省政府同意，现印发给你们。\n一、补贴对象\n在职职工。\n"
                   "二、补贴标准\n每人500元。\n")
    m = d.metadata
    assert (m.title, m.kind, m.date, m.number) == ("某某省人民政府办公厅关于印发培训补贴方案的通知", "notice",
                                                   "2031-04-01", "某政办发〔2031〕13号")
    assert d.paragraphs[0].text.startswith("索 引 号") and d.field_of(d.paragraphs[0]) == "column"
    assert [d.field_of(p) for p in d.paragraphs[3:5]] == ["dateline", "title"]


def test_a_title_under_the_document_number_is_the_title():
    d = parse_text("某人社规字〔2031〕6号\n某市人力资源和社会保障局关于印发某市见习基地管理办法的通知\n各区人力资源和社会保障局：\n"
                   "现将《某市见习基地管理办法》印发给你们，请认真贯彻执行。\n某市人力资源和社会保障局\n2031年10月9日\n"
                   "某市见习基地管理办法\n第一章 总则\n第一条 为加强见习基地管理，制定本办法。\n第二章 见习期\n"
                   "第二条 见习期最长12个月。\n第三条 见习补贴按月发放。\n")
    m = d.metadata
    assert (m.title, m.kind, m.number) == ("某市人力资源和社会保障局关于印发某市见习基地管理办法的通知", "notice",
                                           "某人社规字〔2031〕6号")


def test_a_blank_form_in_an_attachment_is_one_paragraph_of_its_labels():
    d = parse_text(NOTICE + "附表1\n培训补贴申请表\n（      年）\n单位名称\n联 系 人\n联系电话\n培训人数\n"
                   "单位负责人签字（盖章）：       年   月   日\n附表2\n培训补贴花名册\n序号\n姓名\n身份证号码\n补贴金额\n")
    forms = [p.text for p in d.body() if "表" in p.text or "名册" in p.text]
    assert forms == ["附表1 培训补贴申请表：单位名称、联系人、联系电话、培训人数、单位负责人签字（盖章）： 年 月 日。",
                     "附表2 培训补贴花名册：序号、姓名、身份证号码、补贴金额。"]
    assert not any(p.text in ("单位名称", "姓名") for p in d.paragraphs)


def test_a_numbered_table_heading_or_a_list_of_forms_is_not_a_form():
    d = parse_text(NOTICE + "附表：1. 培训补贴申请表\n2. 培训补贴花名册\n3. 培训补贴汇总表\n4. 培训补贴审核表\n5. 培训补贴登记表\n")
    assert [p.text for p in d.body()][-1] == ("附表：1. 培训补贴申请表 2. 培训补贴花名册 3. 培训补贴汇总表 4. 培训补贴审核表 "
                                             "5. 培训补贴登记表")  # a list of forms, not a form


def test_a_tables_rows_stay_apart_and_read_under_their_header():
    d = parse_text(NOTICE.replace("培训合格的，每人补贴800元，所需资金从就业补助资金列支。\n",
                                  "补贴标准如下\n人员类别\t补贴标准\t申领期限\n在职职工\t800元\t6个月\n失业人员\t1000元\t12个月\n"))
    rows = [p for p in d.body() if "\t" in p.text]
    assert [p.text for p in rows] == ["人员类别\t补贴标准\t申领期限", "在职职工\t800元\t6个月", "失业人员\t1000元\t12个月"]
    assert "补贴标准如下" in [p.text for p in d.body()]  # a caption is not run into the header
    assert [d.row_reading(p.id) for p in rows] == ["", "人员类别：在职职工；补贴标准：800元；申领期限：6个月",
                                                  "人员类别：失业人员；补贴标准：1000元；申领期限：12个月"]
    # A row of words alone under the header is a row, not a second header.
    d = parse_text(NOTICE.replace("培训合格的，每人补贴800元，所需资金从就业补助资金列支。\n",
                                  "材料名称\t电子证照\t材料要求\n转业证\t否\t验原件\n身份证\t否\t有效期内\n"))
    last = [p for p in d.body() if "\t" in p.text][-1]
    assert d.row_reading(last.id) == "材料名称：身份证；电子证照：否；材料要求：有效期内"


def test_a_paragraph_under_a_lower_heading_knows_its_subsection():
    d = parse_text("某市失业保险金申领指南\n一、申领情形\n（一）单位参保人员\n1.申办条件\n非因本人意愿中断就业的。\n"
                   "2.所需材料\n身份证、解除劳动合同通知书。\n（二）个体工商户户主\n1.申办条件\n歇业满一个月的。\n"
                   "2.所需材料\n身份证、歇业证明。\n二、办理时限\n5个工作日。\n")
    under = {p.text: p.subsection for p in d.body()}
    assert under["2.所需材料 身份证、歇业证明。"] == "（二）个体工商户户主"
    assert under["2.所需材料 身份证、解除劳动合同通知书。"] == "（一）单位参保人员"
    assert under["5个工作日。"] == ""  # a new section starts with none
    from rag.index.units import units_for  # indexed with it, so the same steps under two headings differ
    assert "（二）个体工商户户主 2.所需材料 身份证、歇业证明。" in [u.text for u in units_for(d)]
    cited = next(p for p in d.body() if p.text == "2.所需材料 身份证、歇业证明。")
    assert cited.title_in("zh") == "一、申领情形 › （二）个体工商户户主"  # a citation says which case


def test_a_numbered_phrase_closed_by_a_full_stop_on_its_own_line_heads_what_follows():
    d = parse_text("国务院关于整合某项制度的意见\n一、整合基本制度\n（一）统一覆盖范围。\n覆盖范围包括所有应参保人员。\n"
                   "（二）统一筹资政策。\n坚持多渠道筹资。\n完善筹资动态调整机制。\n（三）统一待遇。\n1.住院费用按比例支付。\n"
                   "2.门诊费用按规定支付。\n二、其他事项\n职工有下列情形之一的：\n（一）应征服兵役的。\n（二）移居境外的。\n"
                   "符合条件的，可以申请。\n")
    texts = [p.text for p in d.body()]
    assert "（一）统一覆盖范围。 覆盖范围包括所有应参保人员。" in texts  # the heading leads the paragraph it heads
    under = {p.text: p.subsection for p in d.body()}
    assert under["完善筹资动态调整机制。"] == "（二）统一筹资政策。"  # and the paragraphs after, until the next
    assert under["2.门诊费用按规定支付。"] == "（三）统一待遇。"  # heading items of a lower family too
    # A list's items are items, its last one too, though a paragraph with no number follows it.
    assert "（二）移居境外的。" in texts and under["符合条件的，可以申请。"] == ""


def test_an_explainers_closing_field_lines_name_who_explains_it():
    d = parse_text(QA + "解读机构：测试部就业司\n解读人：张三\n联系电话：010-12345678\n")
    m = d.metadata
    assert (m.issuer, m.reporter) == ("测试部就业司", "解读人：张三")
    closing = [p for p in d.paragraphs if p.text.startswith(("解读", "联系"))]
    assert [(p.section, d.field_of(p)) for p in closing] == [(0, "issuer"), (0, "reporter"), (0, "contact")]


def test_a_list_of_short_named_items_is_one_paragraph_with_its_first():
    d = parse_text("某市失业保险金申领指南\n一、申领材料\n所需材料：1.身份证\n2.户口簿\n3.解除劳动合同通知书\n4.银行卡\n"
                   "二、办理时限\n（一）受理后5个工作日内办结。\n（二）材料不全的，一次性告知。\n")
    assert [p.text for p in d.body()][0] == "所需材料：1.身份证 2.户口簿 3.解除劳动合同通知书 4.银行卡"
    assert [p.text for p in d.body()][1:] == ["（一）受理后5个工作日内办结。", "（二）材料不全的，一次性告知。"]  # clauses stay


def test_a_label_alone_on_its_line_leads_the_list_under_it():
    d = parse_text("某市培训补贴办法\n一、补贴标准\n每人500元。\n二、其他\n本办法自印发之日起施行。\n附件：\n"
                   "1.《培训补贴申请表》\n2.《培训人员花名册》\n3.《培训结业证书样式》\n")
    texts = [p.text for p in d.body()]
    assert "附件：" not in texts
    assert texts[-1] == "附件：1.《培训补贴申请表》 2.《培训人员花名册》 3.《培训结业证书样式》"


def test_a_plan_dated_by_its_month_under_the_title_has_that_date():
    d = parse_text("某市培训补贴实施方案\n（2031年6月）\n一、补贴对象\n在职职工。\n二、补贴标准\n每人500元。\n")
    m = d.metadata
    assert (m.dateline, m.date) == ("（2031年6月）", "2031-06")
    assert d.field_of(d.paragraphs[1]) == "dateline" and "（2031年6月）" not in m.columns


def test_every_date_line_of_a_record_block_holds_the_date():
    d = parse_text("发文机关：某某省人民政府办公厅\n成文日期：2031年04月01日\n标　　题：某某省人民政府办公厅关于培训补贴的通知\n"
                   "发布日期：2031年04月04日\n某某省人民政府办公厅关于培训补贴的通知\n一、补贴对象\n在职职工。\n二、补贴标准\n每人500元。\n")
    dated = [p.text for p in d.paragraphs if d.field_of(p) == "dateline"]
    assert dated == ["成文日期：2031年04月01日", "发布日期：2031年04月04日"]


def test_a_line_of_issuers_under_the_title_names_them(tmp_path, fake_embedder):
    from rag.engine import Engine

    d = parse_text("关于职工培训补贴的实施方案\n市人社办  市财政局  市总工会\n一、总体要求\n做好培训补贴工作。\n")
    assert d.metadata.issuer == "市人社办  市财政局  市总工会" and d.metadata.columns == ()
    path = tmp_path / "plan.zh.txt"
    path.write_text("关于职工培训补贴的实施方案\n市人社办  市财政局  市总工会\n一、总体要求\n做好培训补贴工作。\n"
                    "二、补贴标准\n每人补贴500元。\n", encoding="utf-8")
    engine = Engine.open(Config(document=path, index_dir=tmp_path / "index"), embedder=fake_embedder)
    a = engine.ask("这个方案是哪几家单位联合发的？")
    assert [c.id for c in a.citations][:1] == ["§0.2"] and not a.abstained


def test_a_page_of_an_organisation_names_it_as_issuer_and_a_line_of_two_fields_answers_both(tmp_path, fake_embedder):
    from rag.engine import Engine

    text = ("培训补贴办法\n2024年3月1日某某市人民政府令第12号公布\n来源：某某市人力资源和社会保障局\n"
            "第一条 为了规范补贴，制定本办法。\n第二条 补贴按月发放。\n")
    d = parse_text(text)
    assert d.metadata.issuer == "某某市人力资源和社会保障局" and d.field_of(d.paragraphs[2]) == "issuer"
    path = tmp_path / "rules.zh.txt"
    path.write_text(text, encoding="utf-8")
    engine = Engine.open(Config(document=path, index_dir=tmp_path / "index"), embedder=fake_embedder)
    a = engine.ask("这个办法叫什么名字？是哪一号令公布的？")
    assert [c.id for c in a.citations][:2] == ["§0.1", "§0.2"]  # the title, and the line holding the order number


def test_a_lists_lead_states_what_its_items_state_for_the_figure_rules(tmp_path, fake_embedder):
    from rag.engine import Engine

    path = tmp_path / "intake.zh.txt"
    path.write_text("人才引进办法\n第一条 为了规范人才引进，制定本办法。\n第二条 申请人才引进的，应当同时符合下列基本条件：\n"
                    "（一）年龄在18周岁以上、48周岁以下；\n（二）无犯罪记录。\n第三条 本办法自发布之日起施行。\n",
                    encoding="utf-8")
    engine = Engine.open(Config(document=path, index_dir=tmp_path / "index"), embedder=fake_embedder)
    lead = engine.doc.get("§2.1")
    assert any("18周岁以上" in t for t in engine.retriever._renderings(lead))  # quoted with it, so stated by it
    assert any("基本条件" in t for t in engine.retriever._renderings(engine.doc.get("§2.2")))  # and an item its lead


def test_radicals_a_pdf_font_maps_its_glyphs_to_are_read_as_their_characters():
    d = parse_text("中华⼈⺠共和国职⼯培训补贴法\n第⼀条 为了规范补贴，制定本法。\n第⼆条 补贴由⼈⺠政府按⽉发放。\n第三条 ⻓期失业的⼈员优先。\n")
    assert d.metadata.title == "中华人民共和国职工培训补贴法" and d.paragraphs[-1].text == "第三条 长期失业的人员优先。"


def test_a_law_databases_bracketed_labels_are_record_fields():
    d = parse_text("关于职工培训补贴若干问题的解答\n【内容分类】职业培训\n【颁布单位】某某部\n【颁布日期】20310422\n"
                   "【实施日期】20310501\n【发 文 号】某部发〔2031〕18号\n一、补贴对象是谁？\n在职职工。\n二、补贴多少？\n每人500元。\n")
    m = d.metadata
    assert (m.issuer, m.date, m.number) == ("某某部", "2031-04-22", "某部发〔2031〕18号")
    assert [d.field_of(p) for p in d.paragraphs[2:6]] == ["issuer", "dateline", "effective", "number"]


def test_a_bracketed_word_that_is_no_label_is_not_a_field():
    d = parse_text("某某市培训补贴办法\n【打印】\n第一条 为了规范补贴，制定本办法。\n第二条 补贴按月发放。\n")
    assert d.metadata.issuer == "" and not any(d.field_of(p) in ("issuer", "dateline") for p in d.paragraphs)


def test_a_record_line_of_two_fields_gives_both():
    d = parse_text("名　　称： 某某省人民政府关于印发培训补贴办法的通知 索 引 号： 000217883/2031-00035\n"
                   "发布机构： 省政府办公厅 文　　号： 某政发〔2031〕4号\n主 题 词： 发布日期： 2031年02月15日\n"
                   "某某省人民政府关于印发培训补贴办法的通知\n各市人民政府：\n现将《培训补贴办法》印发给你们。\n"
                   "第一条 为了规范补贴，制定本办法。\n第二条 补贴按月发放。\n")
    m = d.metadata
    assert (m.title, m.number, m.date) == ("某某省人民政府关于印发培训补贴办法的通知", "某政发〔2031〕4号", "2031-02-15")
    assert [d.field_of(p) for p in d.paragraphs[:3]] == ["title", "number", "dateline"]
    assert m.dateline == "发布日期： 2031年02月15日"  # shown under the title: not the empty label before it


def test_a_pages_site_and_date_line_is_its_date_and_its_source_is_held():
    d = parse_text("某市居住证办理新规解读\n某某省人民政府门户网站 www.example.gov.cn 2031-03-04 08:58:12\n来源：某某日报\n"
                   "问：居住证怎么办？\n答：到服务站申报。\n问：要多久？\n答：15个工作日。\n")
    assert d.metadata.date == "2031-03-04" and d.paragraphs[1].role == "header"
    assert [d.field_of(p) for p in d.paragraphs[1:3]] == ["dateline", "source"]


def test_a_source_named_by_its_website_names_the_issuer():
    d = parse_text("某某省高校毕业生就业扶持政策清单\n2031-08-03\n来源：某某省人力资源和社会保障厅官网\n"
                   "一、面向单位的政策\n每招一人补贴1000元。\n二、面向个人的政策\n求职补贴每人2000元。\n")
    assert d.metadata.issuer == "某某省人力资源和社会保障厅"


def test_an_orders_number_under_its_name_is_its_number():
    d = parse_text("某某市人民政府令\n第135号\n《某某市医疗保险规定》已经市人民政府同意，现予发布。\n市 长\n某某市人民政府\n"
                   "2031年9月12日\n某某市医疗保险规定\n第一章 总则\n第一条 为了保障医疗，制定本规定。\n第二条 本规定适用于本市。\n"
                   "第二章 待遇\n第三条 住院费用按比例支付。\n")
    assert d.metadata.number == "某某市人民政府令第135号" and d.field_of(d.paragraphs[1]) == "number"


def test_questions_on_the_signature_date_contact_and_effective_date_find_their_lines():
    from rag.retrieve.article import field_rows

    d = parse_text("关于培训补贴的解读\n【颁布单位】某某部\n【颁布日期】20310422\n【实施日期】20310501\n"
                   "一、补贴对象是谁？\n在职职工。\n二、补贴多少？\n每人500元。\n某某部\n2031年4月20日\n联系方式：（010）12345678\n")
    def rows(q):
        return [d.paragraphs[i].text for i in field_rows(d, q)]
    assert rows("这份解读的落款日期是哪天？")[0] == "2031年4月20日"
    assert rows("这份解读有问题可以打什么电话？") == ["联系方式：（010）12345678"]
    assert rows("From what date does this explainer take effect?")[0] == "【实施日期】20310501"


def test_a_city_regulations_approval_line_is_a_header_note_and_a_repeal_is_found_in_the_body():
    from rag.retrieve.article import field_rows

    d = parse_text("某某市劳动用工条例\n2031年6月29日 某某市人民代表大会常务委员会第二十九次会议通过\n"
                   "2031年7月27日 某某省人民代表大会常务委员会第二十八次会议批准\n第一条 为了规范劳动用工，制定本条例。\n"
                   "第二条 本条例适用于本市。\n第三条 本条例自2031年10月1日起施行。《某某市劳动用工暂行规定》同时废止。\n")
    assert [p.role for p in d.paragraphs[:3]] == ["header"] * 3
    assert [d.paragraphs[i].id for i in field_rows(d, "这个条例废止了哪些文件？")] == ["§3.1"]


def test_a_question_of_the_website_finds_the_sites_line_before_the_newspapers():
    from rag.retrieve.article import field_rows

    d = parse_text("某市居住证新规解读\n某某省人民政府门户网站 www.example.gov.cn 2031-03-04 08:58:12\n来源：某某日报\n"
                   "问：居住证怎么办？\n答：到服务站申报。\n问：要多久？\n答：15个工作日。\n")
    rows = [d.paragraphs[i].text for i in field_rows(d, "这篇解读发布在哪个网站上？")]
    assert rows[0].startswith("某某省人民政府门户网站")


def test_a_year_typed_with_the_letter_o_is_a_date():
    d = parse_text("关于培训补贴的通知\n某人社发〔2031〕8号\n各区人力资源和社会保障局：\n现将办法印发你们，请遵照执行。\n二O三一年三月十一日\n"
                   "一、补贴对象\n在职职工。\n二、补贴标准\n每人500元。\n")
    assert d.metadata.date == "2031-03-11"


def test_a_lone_field_label_over_another_line_is_not_joined_to_it():
    """A blank form's "联系电话" above "主管部门" is two labels, not a field and its value."""
    d = parse_text("培训备案表\n一、基本情况\n机构名称应当如实填写。\n联系电话\n主管部门\n二、其他\n本表一式两份。\n")
    assert not any("联系电话：" in p.text for p in d.paragraphs)


def test_a_number_in_brackets_after_the_title_is_the_number_and_the_title_still_names_the_kind():
    d = parse_text("关于调整失业保险金标准的通知 (某人社〔2020〕12号)\n信息来源： 本站原创 更新时间：2021-03-01\n"
                   "各区人力资源社会保障局：\n一、调整标准\n失业保险金按月发放。\n二、执行时间\n自2020年5月1日起执行。\n")
    assert d.metadata.kind == "notice" and d.metadata.number == "某人社〔2020〕12号"
    assert d.metadata.issuer != "本站原创"  # the site's own article names no issuer


def test_a_saved_pages_trail_and_buttons_are_no_part_of_its_text():
    d = parse_text("您当前的位置： 首页 >> 政策法规 >> 社会保险\n关于调整护理补贴标准的通知（某人社（2031）7号）\n"
                   "各区人力资源社会保障局：\n第一条 护理补贴按月发放。\n第二条 本通知自发布之日起施行。\n【关闭窗口】\n")
    assert d.metadata.title == "关于调整护理补贴标准的通知（某人社（2031）7号）" and d.metadata.kind == "notice"
    assert d.metadata.number == "某人社（2031）7号"
    assert not any("位置" in p.text or "关闭窗口" in p.text for p in d.paragraphs)


def test_a_pages_source_line_run_into_its_date_and_counters_gives_both():
    d = parse_text("某市护理补贴办法\n新闻来源: 某市社会保障局发布时间：2031-1-8点击次数：6943大 中 小关闭窗口\n"
                   "第一条 护理补贴按月发放。\n第二条 本办法自发布之日起施行。\n")
    assert d.metadata.issuer == "某市社会保障局" and d.metadata.date == "2031-01-08"
    assert d.paragraphs[1].text == "新闻来源: 某市社会保障局发布时间：2031-1-8"
    assert d.paragraphs[2].text.startswith("第一条")


def test_a_line_introducing_the_full_text_names_the_document_it_introduces():
    d = parse_text("《某市护理补贴办法》全文如下：\n一、补贴对象\n本市户籍的失能老人。\n二、补贴标准\n每月300元。\n")
    assert d.metadata.title == "某市护理补贴办法" and d.metadata.kind == "measures"


def test_words_like_the_buttons_inside_a_sentence_stay():
    from rag.parse import page_text

    for line in ("大中小学生可以参加。", "请打印本页所附表格后提交。", "申请表可在首页下载。", "首页"):
        assert page_text(line) == line
    assert page_text("【打印本页】 【关闭窗口】") == ""


def test_a_title_names_its_kind_before_a_note_after_it():
    from rag.parse import names_kind

    for title in ("某市护理补贴实施意见（试行）", "某市护理补贴办法（2031年修订）", "某市护理补贴条例(草案)"):
        assert names_kind(title), title
    assert not names_kind("护理补贴（试行）")


def test_the_measures_a_numbered_notice_issues_title_their_articles():
    d = parse_text("关于印发《某市护理补贴实施意见（试行）》的通知（某民（2031）9号）\n各区民政局：\n"
                   "现将《某市护理补贴实施意见（试行）》印发给你们，请遵照执行。\n某市护理补贴实施意见（试行）\n"
                   "第一条 为规范护理补贴，制定本意见。\n第二条 护理补贴按月发放。\n第三条 本意见由市民政局负责解释。\n"
                   "第四条 本意见自2032年1月1日起施行。\n")
    assert d.metadata.title.startswith("关于印发") and d.metadata.number == "某民（2031）9号"
    assert d.get("§2.1").section_title == "某市护理补贴实施意见（试行）"


def test_an_issuer_the_document_never_names_is_answered_from_its_title_and_number():
    from rag.retrieve.article import field_rows

    d = parse_text("关于印发《某市护理补贴实施意见（试行）》的通知（某民（2031）9号）\n各区民政局：\n"
                   "现将《某市护理补贴实施意见（试行）》印发给你们，请遵照执行。\n某市护理补贴实施意见（试行）\n"
                   "第一条 为规范护理补贴，制定本意见。\n第二条 用人单位应当为职工申请护理补贴。\n第三条 本意见由市民政局负责解释。\n"
                   "第四条 本意见自2032年1月1日起施行。\n")
    assert not d.metadata.issuer
    assert [d.paragraphs[i].id for i in field_rows(d, "Who issued this notice?")] == ["§0.1"]


def test_a_line_the_page_repeats_answers_its_field_once():
    from rag.retrieve.article import field_rows

    d = parse_text("关于印发《某市护理补贴实施意见（试行）》的通知（某民（2031）9号）\n信息来源： 本站原创 更新时间：2031-06-02\n"
                   "关于印发《某市护理补贴实施意见（试行）》的通知（某民（2031）9号）\n各区民政局：\n"
                   "现将《某市护理补贴实施意见（试行）》印发给你们，请遵照执行。\n某市护理补贴实施意见（试行）\n"
                   "第一条 为规范护理补贴，制定本意见。\n第二条 本意见自2032年1月1日起施行。\n")
    assert [d.paragraphs[i].id for i in field_rows(d, "这份通知的文号是什么？")] == ["§0.1"]  # not §0.1 and §0.3


@pytest.mark.parametrize("question, asked", [
    ("When was the Social Insurance Law adopted?", True),
    ("Which standing committee passed China's Social Insurance Law?", True),
    ("When was the Labour Contract Law adopted?", False),  # another law's name: not this one's date
])
def test_a_document_named_by_its_english_name_is_asked_about_itself(question, asked):
    from rag.retrieve.article import field_rows

    d = parse_text("中华人民共和国社会保险法\n（2010年10月28日第十一届全国人民代表大会常务委员会第十七次会议通过）\n"
                   "第一章 总则\n第一条 为了规范社会保险关系，制定本法。\n第二条 国家建立基本养老保险等社会保险制度。\n")
    rows = field_rows(d, question)
    assert bool(rows.size) == asked and all(d.paragraphs[i].section == 0 for i in rows)


@pytest.mark.parametrize("question, own", [("《劳动合同法》是什么时候通过的？", False), ("《社会保险法》是什么时候通过的？", True),
                                           ("《中华人民共和国社会保险法》是哪天通过的？", True),
                                           ("《中华人民共和国 社会保险法》是哪天通过的?", True)])  # its name, spaced or not
def test_a_question_naming_another_text_in_quotes_is_not_about_this_one(question, own):
    from rag.retrieve.article import field_rows

    d = parse_text("中华人民共和国社会保险法\n（2010年10月28日第十一届全国人民代表大会常务委员会第十七次会议通过）\n"
                   "第一章 总则\n第一条 为了规范社会保险关系，制定本法。\n第二条 解除劳动关系的，依照《中华人民共和国劳动合同法》处理。\n")
    assert bool(field_rows(d, question).size) == own  # not this law's date for another law's
