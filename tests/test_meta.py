"""Questions about the article itself, and the off-topic prototypes behind "not covered"."""

import numpy as np
import pytest

from rag.edition import load_background
from rag.meta import asked_fields


@pytest.mark.parametrize("q, fields", [
    ("What is this circular called?", ("title",)),
    ("What's the title of this Shenzhen housing-fund notice?", ("title",)),  # a document noun after a few words
    ("Give me the exact title of Hangzhou's 2024 measures", ("title",)),
    ("Who wrote this piece?", ("reporter",)),
    ("Name the reporter of this piece.", ("reporter",)),
    ("what's the headline?", ("title",)),
    ("文章题目叫什么？", ("title",)),
    ("What date is on this story?", ("dateline",)),
    ("这篇稿子哪天发的？", ("dateline",)),
    ("Who is the interviewee?", ("subtitle",)),
    ("接受采访的人叫什么？", ("subtitle",)),
    ("哪家通讯社发的这篇稿子？", ("source", "reporter", "dateline", "issuer")),
    ("这篇采访属于哪个栏目？", ("column",)),
    ("Who put the questions to the minister?", ("reporter",)),
    ("提问的记者是谁？", ("reporter",)),
    ("Which outlet ran this interview?", ("source", "reporter", "dateline", "issuer")),
    ("When was the interview done?", ("dateline",)),
    ("Which year is this interview from?", ("dateline",)),
    ("采访是在哪一年？", ("dateline",)),
    ("What is the minister called?", ("subtitle",)),
    ("Who was interviewed?", ("subtitle",)),
    ("Where does this interview come from?", ("source", "reporter", "dateline", "issuer")),
    ("这篇稿子的来源是哪里？", ("source", "reporter", "dateline", "issuer")),
    ("采访者是谁？", ("reporter",)),
    ("谁是记者？", ("reporter",)),
    ("什么时候的新闻？", ("dateline",)),
    ("题目是什么？", ("title",)),
    ("Title?", ("title",)),
    ("What's the publication date?", ("dateline",)),
    ("When was this released?", ("dateline",)),
    ("What day was this briefing transcript put online?", ("dateline",)),  # a transcript, an explainer, a page
    ("When was the explainer posted?", ("dateline",)),
    ("Who's the minister in this interview?", ("subtitle",)),
    ("Who was the interview with?", ("subtitle",)),
    ("Which agency released this?", ("issuer", "source", "reporter", "dateline")),
    ("Is this from Xinhua?", ("source", "reporter", "dateline", "issuer")),
    ("新闻来源？", ("source", "reporter", "dateline", "issuer")),
    ("这个办法是哪个部门出台的？", ("issuer",)),
    ("是谁印发的？", ("issuer",)),
    ("这部条例是第几号令公布的？", ("number",)),
    ("What is the decree number?", ("number",)),
    ("What's the number of the Hangzhou circular on pensions?", ("number",)),  # the number of a document
    ("Where do I find this plan's number?", ("number",)),
    ("What is the number of days of leave in this regulation?", ()),  # a count, not the document's number
    ("Which ministries signed this circular?", ("issuer",)),
    ("Who is this notice addressed to, and which agencies issued it?", ("issuer", "addressee")),
    ("这份通知下发给哪些单位？", ("addressee",)),
    ("主送机关有哪些？", ("addressee",)),
    ("这个条例的完整名称是什么？", ("title",)),
    ("《职工培训补贴办法》是什么时候通过的？", ("dateline",)),
    ("Why was this regulation adopted?", ("purpose",)),
    ("Why were the Vocational Training Subsidy Measures issued?", ("purpose",)),  # named by its title
    ("这部办法制定的目的是什么？", ("purpose",)),
    ("When does this notice expire?", ("effective",)),
    ("这份补贴办法什么时候失效？", ("effective",)),  # until when: the line saying when it applies says so
    ("社保卡有效期多久？", ()),  # a card's validity is the body's
    ("这个实施细则是哪三家单位联合下发的？", ("issuer",)),  # 哪 with a count
    ("培训补贴规定是哪个部门颁布的？", ("issuer",)),  # a kind named without 这/该
    ("《2031年度见习补贴热点10问》是哪天发布的？", ("dateline",)),  # a title in 《》 of any kind
    ("市人社局是什么时候签发这份补贴通知的？", ("dateline",)),
    ("When was this Shenzhen job subsidy guide put out?", ("dateline",)),  # a few words between
    ("When was this rural pension plan drawn up?", ("dateline",)),
    ("From what date is this notice in force, and for how long?", ("effective",)),  # when it applies, not when dated
    ("这份操作规程是哪个部门发布的？", ("issuer",)),  # a procedure (规程) is a document too
    ("这部条例是由哪个机关通过的？", ("issuer",)),  # a regulation is adopted by a body
    ("Which committee passed these provisions?", ("issuer",)),
    ("这部办法以后修订过吗？", ("amended",)),  # a regulation's amendments, in its date note
    ("When was this regulation last revised?", ("amended",)),
    ("这份关于医保报销的通知是哪两个单位一起发的？", ("issuer",)),  # described, then its kind
    ("Which two city bureaus released the 2019 notice on training grants?", ("issuer",)),  # a year, words between
    ("What's the official name of this guide?", ("title",)),
    ("What is the Guangzhou guide called?", ("title",)),
    ("What day was this put out?", ("dateline",)),
    ("网页上的信息来源是哪个单位？", ("issuer",)),  # a government page's source line
    ("Where did this information come from?", ("issuer",)),
    # A page's site, whom to ask, the signature's date, what an explainer explains.
    ("Which website carried this notice?", ("source", "dateline", "issuer")),
    ("这份补贴问答发在哪个网站上？", ("dateline", "source", "issuer")),
    ("Is there a phone number in this guide for questions?", ("contact",)),
    ("这份解读留了什么咨询电话？", ("contact",)),
    ("What date was this circular signed?", ("signed",)),
    ("这份通知的落款时间是哪天？", ("signed",)),
    ("Which rules does this explainer interpret?", ("title",)),
    ("这篇解读解读的是哪个文件？", ("title",)),
    ("Which body issued these questions and answers?", ("issuer",)),
    ("培训新政的解读是哪天发布的？", ("dateline",)),  # an explainer named by what it explains
    ("Until what date is this notice valid?", ("effective",)),
    ("Does this regulation remain in force until 2030?", ("effective",)),
    ("From when do the city's new measures on training grants apply?", ("effective",)),
    ("这部办法从哪天起开始施行？", ("effective",)),
    ("Which older rules did this regulation replace?", ("repealed",)),
    ("这个规定出台后哪些文件同时废止了？", ("repealed",)),
    ("Which bureau issued these hukou points measures?", ("issuer",)),  # the kind named with its subject
    ("When was this training grant notice signed?", ("signed",)),
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
    "Will firms who interviewed graduates get a subsidy?",
    "Which outlets offer job-seekers free services?",
    "According to the interview, which year does the 15th Five-Year Plan start?",
    "What day does the interview say the job fairs start?",
    "In this article, what is the source of pension funds?",
    "访谈中提到哪一年开始全面实施个人养老金制度？",
    "根据这篇报道，职业伤害保障的来源是什么？",
    "Is it by the end of this year that the pilot goes nationwide?",
    "Which agency released the new graduate measures?",
    "Where is the nearest training station?",
    "What new job titles are mentioned?",
    "培训的题目有哪些？",
    "失业金的发放标准由谁来定？",  # "who decides" of something the document regulates
    "培训补贴发给谁？",  # sent to whom: the subsidy, not the document
    "What is the purpose of the training subsidy?",
    "没干满规定的工作时间，单位还要按标准发工资吗？",  # 规定 as "stipulated", not the document
    "标准由谁研究拟订？",
    "补贴的目的是什么？",
    "What problems should be addressed first?",
    "技能补贴的申领程序由哪个部门制定？",
    "Firms set up before the rules came into force must register within what period?",  # a clause, not the question
    "When was the money for this subsidy released?",  # "this" and a thing the document pays
    "补贴资金是哪天下发的？",
    "这份文件规定的补贴发放时间是什么时候？",  # a time the document sets, not its date
    "通知里的申报时间是什么时候？",
    "这个办法实施后，补贴申请的受理时间是多久？",
    "申请表要填哪些栏目？",  # a form's fields, not the page's column
    "申请要经过哪个部门审核通过？",  # a step of the procedure, not who adopted the document
    "劳动合同修改要经过双方同意吗？",  # a contract's, not the document's
    "What are the revised subsidy amounts?",
    "企业可以通过哪个部门招到人？",
    "What is the name of the allowance for jobless graduates?",
    "What job title does this notice give the case officer?",
    "Does this housing guide cover the title deed?",
    "What day was this month's benefit paid?",
    "Where does the money for the subsidy come from?",
    "Do these overtime rules apply to part-time staff?",
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
@pytest.mark.parametrize("q, pid", [("文章题目叫什么？", "§0.1"), ("Who wrote this piece?", "§0.3"),
                                    ("What date is on this story?", "§0.6"),
                                    ("Which ministry is the interviewee in charge of?", "§0.2")])
def test_article_questions_are_answered_from_the_header(real_engine, q, pid):
    a = real_engine.ask(q)
    assert not a.abstained
    assert a.citations[0].id == pid and all(c.id.startswith("§0.") for c in a.citations)


@pytest.mark.slow
@pytest.mark.parametrize("q", ["明天上海会下雪吗？", "Who won the last football World Cup?", "零基础怎么学画画？"])
def test_everyday_questions_are_not_covered(real_engine, q):
    a = real_engine.ask(q)
    assert a.abstained and a.citations == ()


@pytest.mark.parametrize("q", ["What are the main points of this interview?", "这篇访谈主要讲了什么？", "Summarize the article",
                               "给我概括一下这篇文章", "这篇文章的要点是什么？", "What is this interview about?", "tl;dr"])
def test_overview_questions(q):
    from rag.meta import asks_overview

    assert asks_overview(q)


@pytest.mark.parametrize("q", ["What does the document say about AI?", "Summarize the pension reforms",
                               "这篇访谈提到了哪些培训模式？", "访谈里说了什么关于养老金的？",
                               "What are the main points of the pension reform?", "就业有哪些要点？"])
def test_topic_questions_are_not_overview_questions(q):
    from rag.meta import asks_overview

    assert not asks_overview(q)


def test_overview_lists_the_sections_with_citations(fake_engine):
    a = fake_engine.ask("这篇访谈主要讲了什么？")
    assert not a.abstained and a.language == "zh"
    sections = fake_engine.doc.sections
    assert [c.id for c in a.citations] == ["§1.2", "§2.2", "§3.2", "§4.2"]
    assert all(s.title in a.text for s in sections) and "访谈分为4个部分" in a.text
    assert [c["score"] for c in a.to_json()["citations"]] == [None] * 4  # cited for structure, not scored
    en = fake_engine.ask("What is this interview about?")
    assert en.language == "en" and "The interview is in 4 parts:" in en.text
