"""Questions about the article itself: who was interviewed, who wrote it, when and where it
was filed, its headline, its column; or what it is about as a whole.

Such a question is about the document by definition, so it is never "not covered" when the
document has the field it asks for, and the header lines holding that field come first.
The patterns are deliberately narrow: a question about the policy that merely mentions a
date or a minister is not a question about the article.
"""

from __future__ import annotations

import re
from functools import lru_cache

# A reference to the article itself, needed where a pattern alone would be too loose.
# "this notice", and a document named by its title: "the Minimum Wage Provisions".
_THIS_LAW = r"\b(?:this|that)\s+law\b"  # not "the law": "Is overtime against the law?"
_DOC_NOUN_EN = (r"(?:(?:this|the|that)\s+(?:(?-i:[A-Z][\w'-]*|(?:19|20)\d\d)\s+){0,4}?(?:article|piece|interview|document|report|story|text|q\s?&\s?a"
                r"|feature|item|notice|circular|opinions?|guidelines?|guide|measures|regulations?|provisions|rules|policy|plan"
                r"|decision|announcement|transcript|explainer|briefing|press release|web ?page|page|post)\b"
                # After a demonstrative, the kind named with its subject: "these residence permit measures".
                r"|\b(?:this|these|those)\s+(?:[a-z][\w-]*\s+){1,3}?(?:notice|circular|opinions?|guidelines|measures"
                r"|regulations?|provisions|rules|policy|plan|decision|announcement)\b)")
_DOC_EN = rf"{_DOC_NOUN_EN}|\binterview\b|{_THIS_LAW}"
# The document, or the rules it lays down: "these opinions", "those measures".
_THESE_EN = (rf"(?:{_DOC_NOUN_EN}|\b(?:these|those) (?:opinions|measures|rules|regulations|guidelines|provisions"
             r"|questions and answers|answers|q\s?&\s?as|faqs)\b)")
# A kind of document (规定, 办法, 意见…) is also an everyday word ("规定的工作时间", "有什么意见"): it
# names the document only after a demonstrative (这份通知, 该办法, 本规定).
_DOC_ZH = (r"这篇|本文|该文|此文|文章|访谈|采访|报道|这次专访|专访|稿子|这稿|这份|文件|答记者问|问答"
           r"|(?:这|该|本|此)(?:份|个|部|项|篇|次)?(?:实施)?(?:通知|意见|办法|规定|方案|细则|条例|政策|决定|公告|规程|指南|解读|法律|法)"
           r"|(?:这|该|此)(?:份|个|部|项|篇)[^，。？！,?!]{1,24}的(?:通知|意见|办法|规定|方案|细则|条例|政策|决定|公告|规程|指南)"
           # An explainer named by what it explains: "这次新政的解读", "公积金新政的问答".
           r"|的(?:政策)?(?:解读|问答)"
           r"|《[^》]{2,60}(?:通知|意见|办法|规定|方案|细则|条例|决定|公告|规程|指南)》")

_NAMES_DOC = re.compile(rf"{_DOC_NOUN_EN}|{_THIS_LAW}|\b(?:FAQ|version|edition|document)\b|{_DOC_ZH}|版本|标题", re.I)


def names_document(question: str) -> bool:
    """Whether the question speaks of the document itself ("Which version of the FAQ is this?",
    "这份文件…"): its header lines may answer it."""
    return bool(_NAMES_DOC.search(question))


# The verbs a document is issued or published by, asked "who" or "when".
_ISSUED_ZH = r"发布|印发|发出|出台|制定|下发|颁布|公布|签发|发表|刊发|刊登|播发"
_ISSUED_EN = (r"publish|published|filed|released|dated|came out|come out|issued|written|run|ran|adopted|passed|promulgated"
              r"|enacted|signed|drawn up|drafted|formulated|put out|announced|posted|uploaded|put online|put up")
# "Which department(s)": 哪个, 哪些, 哪家, or 哪 with a count (哪几个, 哪两家). A regulation is also
# adopted (通过) by a body's meeting; only next to the body, since "哪个部门审核通过" asks the procedure.
_WHO_MADE_ZH = (rf"(哪[几两三四五六七八九十]?[个家]|哪些|什么)(部门|单位|机关|机构).{{0,8}}({_ISSUED_ZH}|联合|(一起|共同)?发的)"
                rf"|(哪[个家次]|什么)(部门|单位|机关|机构|会议)(审议)?通过"
                rf"|谁({_ISSUED_ZH}|发的|发)|由谁|是谁({_ISSUED_ZH}|发)")
# A document named by its title in 《》 whatever its kind ("《…热点13问》"), where the question asks
# when it was issued: a title alone is too loose elsewhere ("《劳动法》第十条").
_NAMED_ZH = r"《[^》]{2,60}》"
# "this Guangzhou points-based hukou Q&A": "this" and a document noun after any few words, where the
# question asks when it was issued.
_DOC_LOOSE_EN = (r"\b(?:this|(?-i:[A-Z][\w-]*)'s)\s+(?:[\w'&-]+\s+){0,4}?(?:article|interview|document|report|text|q\s?&\s?a|faq|notice"
                 r"|circular|opinions?|guidelines?|guide|measures|regulations?|provisions|rules|policy|plan|decision|announcement"
                 r"|transcript|explainer|briefing|law|list|interpretation)\b|\bthe explainer\b")

_FIELDS: dict[str, tuple[re.Pattern, ...]] = {
    "dateline": (
        re.compile(rf"^(?=.*(?:{_DOC_EN}|{_DOC_LOOSE_EN})).*?\b(when|what date|which day|what day|where)\b.*\b({_ISSUED_EN})\b"
                   rf"|\b(when|where) (was|is) (it|this) (published|filed|written|released|dated|issued|adopted|passed)\b|\bdateline\b|\bpublication date\b|\bdate of\b.*(?:{_DOC_EN})"
                   rf"|\b(what|which) (date|day|year) (was|is) (it|this) ({_ISSUED_EN})\b"
                   rf"|^(?=.*(?:{_DOC_EN})).*?\b(what|which) (date|day|year)\b|\bwhen\b.*(?:{_DOC_EN}).*\b(take|took) place\b"
                   rf"|\bwhen (was|did|is) (?:{_DOC_NOUN_EN})\s*(done|held|conducted|recorded|given|made|happen|take place)?\W*$", re.I),
        re.compile(rf"(?:{_DOC_ZH}).{{0,12}}(哪天|哪一天|什么时候|啥时候|何时|几月几[日号]|日期|时间(?!.{{0,3}}(多久|多长|几))|在哪)"
                   rf"|^(?=.*(?:{_DOC_ZH}|{_NAMED_ZH})).*?(哪天|哪一天|什么时候|啥时候|何时|几月几[日号]).{{0,10}}({_ISSUED_ZH}|通过|发的|写的)"
                   r"|发稿|电头|发布时间|发表时间|发布日期|发表日期|(什么时候|啥时候|哪天|哪一天|何时|几号)的(新闻|报道|文章|消息|稿子)"
                   rf"|(?:{_DOC_ZH}).{{0,8}}(哪一年|哪年)|(哪一年|哪年)的(?:{_DOC_ZH})"),
    ),
    # Where it was published: a page's site ("湖北省人民政府门户网站 www.… 2016-03-04", "来源：…官网").
    "source": (
        re.compile(rf"^(?=.*(?:{_DOC_EN}|{_DOC_LOOSE_EN})).*\b(?:what|which) (?:government |official )?(?:website|web ?site|site|portal)\b"
                   rf"|(?:{_DOC_EN}|{_DOC_LOOSE_EN}).*\b(?:published|posted|put up|appear\w*) on\b", re.I),
        re.compile(rf"(?:{_DOC_ZH}).{{0,16}}(?:哪个|什么|哪家|哪一个)(?:政府)?(?:网站|网页|平台|官网|公众号)"
                   rf"|(?:哪个|什么|哪家)(?:政府)?(?:网站|官网|公众号)上?.{{0,6}}(?:{_ISSUED_ZH}|发的|登的|看到)"),
    ),
    # Whom to ask: an explainer's closing "联系方式：…" or "咨询电话：…".
    "contact": (
        re.compile(rf"(?:{_DOC_EN}|{_DOC_LOOSE_EN}).*\b(?:hotline|phone|telephone|contact (?:number|details|information))\b"
                   rf"|\b(?:hotline|phone number|telephone number|contact details)\b.*(?:{_DOC_EN}|{_DOC_LOOSE_EN})", re.I),
        re.compile(rf"(?:{_DOC_ZH}).{{0,16}}(?:(?:什么|哪个|多少)(?:电话|号码|热线)|电话(?:号码)?(?:是)?多少|联系方式|联系人|咨询电话)"),
    ),
    # When it was signed: the date under the signature ("落款日期"), not its note of adoption.
    "signed": (
        re.compile(rf"\b(?:when|what date|which date|what day|which day)\b.*\bsigned\b|\bsigned\b.*\b(?:on what|which|what) (?:date|day)\b"
                   rf"|\bsignature date\b|\bdate (?:of|on) (?:the|its) signature\b", re.I),
        re.compile(r"落款"),
    ),
    "title": (
        re.compile(rf"\bheadlines?\b(?!\s+(numbers|figures|rates?|data))|(?<!job )\btitle\b(?! deeds?).*(?:{_DOC_EN}|{_DOC_LOOSE_EN})"
                   rf"|(?:{_DOC_EN}|{_DOC_LOOSE_EN}).*(?<!job )\btitle\b(?! deeds?)|^\W*(the |its )?(title|headline)\W*$"
                   rf"|(?:{_DOC_NOUN_EN}|{_DOC_LOOSE_EN})\s+(?:is\s+)?(?:called|named|entitled|titled)\b"
                   rf"|\b(?:full |official |exact )?name of (?:{_DOC_NOUN_EN})"
                   rf"|\b(?:which|what) (?:[\w-]+\s+){{0,2}}?(?:document|regulations?|law|rules|policy|measures|notice|provisions)\b"
                   rf".*\b(?:explain|explains|explaining|interpret|interprets|interpreting)\b", re.I),
        re.compile(rf"标题|(?:{_DOC_ZH}).{{0,8}}题目|^\W*题目(是什么|是啥)?\W*$|(?:{_DOC_ZH})(叫什么|叫啥|的名字|的名称|的全称)"
                   rf"|(?:{_DOC_ZH})的(正式|完整|官方)?(名字|名称|全称)"
                   r"|(文件|通知|意见|办法|规定)(名|名称|全称)(是什么|是啥)"
                   # An explainer's title names what it explains: "《…细则》解读", "解读《…》".
                   r"|(解读|解释|解答|针对)的?是?(哪|什么)一?(份|个|部|项|篇)?(文件|政策|规定|法规|条例|办法|通知|意见|细则|解答)"),
    ),
    "reporter": (
        re.compile(r"\b(who|which|name of|name)\b.*\b(reporter|journalist|author|interviewer)s?\b"
                   r"|\b(reporter|journalist|author|interviewer)'?s? name\b|\bbyline\b|\bwho (wrote|filed|authored)\b"
                   r"|\bwho (conducted|did|carried out)\b.*\binterview\b|^\W*who (interviewed|asked the questions)\b|\bwho (asked|put|posed) (the )?questions\b", re.I),
        re.compile(r"记者(是谁|是哪位|是哪个|叫|名字|姓)|谁是(这篇.{0,4})?记者|哪位记者|哪个记者|什么记者|作者|谁写|谁采写|撰稿|采写"
                   r"|谁采访|执笔|谁提问|提问的是谁|采访者|采访人"),
    ),
    "subtitle": (
        re.compile(r"\binterviewee\b|\b(being|was|is|been) interviewed\b|\bwho (is|was) interviewed\b"
                   rf"|\bwho\b.*\b(minister|official)\b.*(?:{_DOC_EN}|\bhere\b)"
                   r"|\b(minister|interviewee)'?s name\b|\bname of the minister\b|\bwho (gave|granted|sat for) (the|this) interview\b"
                   r"|\bwho\b.*\binterview\b.*\bwith\W*$|\b(minister|interviewee)\b.{0,12}\b(called|named)\W*$", re.I),
        re.compile(r"受访|接受采访|采访的是|采访对象|访谈对象|采访了谁|访问了谁|谁接受|部长是谁|部长叫|部长的名字|哪位部长"),
    ),
    "agency": (
        re.compile(r"\bnews agency\b|\bwire service\b|\bnews outlet\b|\bwhich (media|newspaper|publication|outlet)\b"
                   rf"|\bpublished (by|in)\b.*(?:{_DOC_EN})|\bwho published\b|\bsource of (?:{_DOC_NOUN_EN})"
                   r"|\b(which|what) (news )?agency\b.*\b(released?|published|ran|issued|filed|put out) (this|it)\b"
                   rf"|^\W*(where|who) (is|was) (this|it) from\W*$|\bwhere (does|did) (?:{_DOC_NOUN_EN}) (come|comes|came) from\b|^\W*is this (\w+ )?(from|by)\b"
                   r"|\bwho (is|was) the publisher\b|^\W*(the )?publisher\W*$", re.I),
        re.compile(rf"通讯社|哪家媒体|什么媒体|哪个媒体|哪家报|哪家单位发|谁发布的|谁发的|哪里发的"
                   rf"|(?:{_DOC_ZH}).{{0,6}}(出自|出处|来源|来自)|新闻(来源|出处)|消息来源"),
    ),
    "issuer": (
        re.compile(rf"\bwho (issued|released|published|put out|signed|adopted|passed|enacted|promulgated)\b.*(?:{_THESE_EN}|\bthis\b|\bit\b)"
                   rf"|\bwhich (?:[\w'-]+\s+){{0,3}}?(departments?|ministr(?:y|ies)|agenc(?:y|ies)|bod(?:y|ies)|authorit(?:y|ies)|governments?"
                   rf"|offices?|bureau[sx]?|organi[sz]ations?|legislatures?|congress(?:es)?|committees?)\b.*"
                   rf"\b(issued?|released?|published|put out|signed|behind|adopted|passed|enacted|promulgated)\b.*(?:{_THESE_EN}|\bthis\b|\bit\b)"
                   rf"|(?:{_DOC_NOUN_EN}).*\bissu(ed|ing) (by|authority|body|department)\b|\bissuer\b"
                   # A government page's "信息来源：" line names the body that put it out.
                   r"|\bsource of (this|the) information\b|\bwhere (does|did) (this|the) information (come|comes|came) from\b", re.I),
        # "Who made it" is about the document only when the document is its subject: named
        # ("这份通知由谁制定"), or nothing else asked ("是谁发的？"). "补贴标准由谁确定" asks the body.
        re.compile(rf"发文(机关|单位|部门)|信息来源|^(?=.*(?:{_DOC_ZH})).*?({_WHO_MADE_ZH})"
                   rf"|^\W*(这|它)?(是)?(由)?({_WHO_MADE_ZH})的?\W*$"
                   rf"|(通知|意见|办法|规定|方案|细则|条例|决定|公告|指南)(是由|是|由)({_WHO_MADE_ZH})"),
    ),
    "addressee": (
        re.compile(rf"\baddressed to\b|\bto whom\b.*\b(addressed|sent|issued|directed)\b|\baddressees?\b"
                   rf"|\bwho (is|was|are) (?:{_DOC_NOUN_EN}|it) (addressed|sent|directed) to\b", re.I),
        # Sent to whom: the document must be what is sent ("补贴发给谁" asks the body).
        re.compile(rf"主送|(?:{_DOC_ZH})(是|要|被)?(下发|印发|发送|发)(给|往)了?(谁|哪些|哪个|哪里)"),
    ),
    "number": (
        # A regulation is numbered by the order that issued it ("国务院令第262号").
        # "What is the number of the Wuhan notice?", "the notice's number": the number of a document.
        re.compile(r"\b(document|reference|file|serial|decree|order) (number|no\.?)\b|\b(which|what) decree\b"
                   rf"|\bnumber (?:of|for) (?:{_DOC_NOUN_EN}|{_DOC_LOOSE_EN})|(?:{_DOC_NOUN_EN})['’]s number\b", re.I),
        re.compile(r"文号|发文字号|几号文|编号|令号|几号令|第几号令|哪一号(国务院|部)?令"),
    ),
    # Whether and when it was amended: a regulation's date note says ("根据…决定修正").
    "amended": (
        re.compile(rf"\b(has|have|was|were|is)\b.{{0,40}}\b(amended|revised|modified)\b.*(?:{_THESE_EN}|\bit\b)"
                   rf"|(?:{_THESE_EN}).{{0,40}}\b(amended|revised|modified)\b|\b(amendments?|revisions?) (to|of) (?:{_THESE_EN}|it)\b"
                   rf"|\bwhen\b.{{0,20}}\b(amended|revised)\b", re.I),
        re.compile(rf"(?:{_DOC_ZH}|{_NAMED_ZH}).{{0,16}}(修正|修订|修改)(过|吗|没|几次)|(修正|修订|修改)(过|了)?(几次|吗|没有)"
                   rf"|(哪一年|哪年|什么时候|何时|哪天)(被)?(修正|修订|修改)|(修正|修订|修改)(的)?(时间|日期)"),
    ),
    # Two questions any official document answers in its body: when it takes effect, and
    # which law it is made under. They are found by the document's own formulas (body_rows).
    "effective": (
        # Asked of the document, not a clause of another question ("... when it took effect had how long?").
        re.compile(r"^\W*(when|since when|from when|from what date|on what date|what date)\b.*\b(take|takes|took|come|comes"
                   r"|came|go|goes|went) (effect|into (force|effect))\b"
                   rf"|^\W*(from |since |as of )?(when|what date|which date)\b.*(?:{_DOC_NOUN_EN}|\b(it|this)\b)\s+"
                   r"(apply|applies|start|starts|begin|begins|run|runs|expire|expires|end|ends)\b"
                   r"|^\W*(does|did|will|has|is) (it|this|the \w+)( \w+)? (take|come|go) (effect|into (force|effect))\b"
                   r"|\beffective (date|from)\b"
                   r"|\bin (force|effect) (from|since|on)\b|\bwhen does (it|this|the \w+) (start|apply|begin)\b"
                   r"|\b(in|into) (force|effect)\b.*\b(what|which) (date|day)\b|\b(what|which) (date|day)\b.*\b(in|into) (force|effect)\b"
                   # Until when, of the document: the Chinese asks it as 有效期 (below).
                   rf"|^(?=.*(?:{_DOC_NOUN_EN}|{_DOC_LOOSE_EN}|\b(?:it|this)\b|\b(?:these|those)\s+(?:[\w'-]+\s+){{0,4}}?"
                   r"(?:measures|rules|regulations|provisions|opinions|guidelines)\b)).*(?:\buntil (?:when|what date|which date)\b"
                   r"|\b(?:remain|remains|stay|stays|be|is|are) (?:valid|in force|in effect) until\b|\bexpiry date\b|\bexpiration date\b)"
                   # "From when do the provincial measures for residents apply?": words between the document and its verb.
                   r"|^\W*(from |since |as of )?(when|what date|which date)\b.*\b(?:this|the|that|these)\s+(?:[\w'-]+\s+){0,3}?"
                   r"(?:measures|regulations?|rules|provisions|notice|opinions?|plan|guidelines?|law)\b[^?]{0,60}?\s(apply|take effect)\b",
                   re.I),
        re.compile(r"(什么时候|何时|哪天|哪一天|几号|从哪天|从什么时候)(起|开始|起开始)?(施行|实施|执行|生效)|(施行|实施|生效)(时间|日期)"
                   r"|(施行|实施|执行|生效)(的)?(时间|日期)?(是)?(什么时候|何时|哪天)"
                   # Until when: the line that says when it takes effect says so ("…起执行，有效期至2026年12月31日").
                   rf"|(?:{_DOC_ZH}).{{0,8}}(到期|失效|过期|有效期|有效多久|管多久|截止)"),
    ),
    # Why the document was made: its own opening formula ("为了规范…，制定本条例", "为…，现就…提出如下意见").
    "purpose": (
        re.compile(rf"\b(why|what for)\b.*\b(issued?|put out|adopted|made|introduced|published|released|drafted|written)\b"
                   rf".*{_THESE_EN}|\b(why|what for)\b.*{_THESE_EN}.*\b(issued?|put out|adopted|made|introduced|published|released)\b"
                   rf"|\b(purpose|aim|goal|objective)s? of {_THESE_EN}", re.I),
        re.compile(rf"(?:{_DOC_ZH}).{{0,8}}(目的|宗旨)|(制定|出台|印发|发布)(的|这份\w{{0,4}}的)?(目的|原因|背景)"
                   rf"|为什么(要)?(制定|出台|印发|发布)(这|该|本)"),
    ),
    # Which earlier rules it repeals: its closing article says ("…同时废止").
    "repealed": (
        re.compile(r"\b(?:which|what) (?:[\w'-]+\s+){0,3}?(?:rules|regulations?|measures|provisions|notices?)\b"
                   r".*\b(?:repealed|replaced|superseded|abolished|annulled)\b"
                   rf"|(?:{_THESE_EN}|\bit\b).{{0,40}}\b(?:repeal|repeals|repealed|replace|replaces|replaced|supersede\w*|abolish\w*)\b",
                   re.I),
        re.compile(r"(废止|废除|取代|替代|代替)了?(哪|什么|哪些)|(哪|什么|哪些)[^，。？]{0,12}(被|同时)?(废止|废除|取代|不再执行)"),
    ),
    "basis": (
        re.compile(r"\b(made|issued|adopted|enacted|formulated|drafted) (under|pursuant to|in accordance with|based on)\b"
                   r"|\blegal basis\b|\bbased on (which|what) (laws?|regulations?|documents?|rules|policies)\b"
                   # "Which Guangdong provincial document is this guide based on?": the kind after a few words.
                   r"|\b(which|what)( [\w'’-]+){0,3}? (laws?|regulations?|documents?|rules|policies|notices?|measures)\b.*\bbased on\b"
                   r"|\bwhich law\b.*\b(under|basis|based)\b", re.I),
        re.compile(r"(根据|依据|依照)(什么|哪部|哪个|哪些)(法|法律|规定|文件)|法律依据|制定依据|上位法"),
    ),
    "column": (
        re.compile(rf"\b(column|series|rubric)\b.*(?:{_DOC_EN})|(?:{_DOC_EN}).*\b(column|series|rubric)\b", re.I),
        # The page's column, not a form's ("花名册要填哪些栏目"): of the document, or "which column".
        re.compile(rf"(?:{_DOC_ZH}).{{0,8}}(栏目|专栏)|(哪个|什么|哪一个)(栏目|专栏)|系列报道"),
    ),
}

# The header fields each asked-for field is found in (the agency is in the byline and the dateline).
_HELD_IN = {"agency": ("source", "reporter", "dateline", "issuer"), "source": ("source", "dateline", "issuer")}

# The article named as the source of a policy fact ("according to the interview, which year…"),
# not as what is asked about: taken out before the patterns are tried.
_AS_SOURCE = (
    re.compile(rf"\baccording to\s+(?:{_DOC_NOUN_EN})|^\W*(in|from|per)\s+(?:{_DOC_NOUN_EN})"
               rf"|(?:{_DOC_NOUN_EN})\s+(says?|said|mentions?|states?)\b", re.I),
    re.compile(r"(根据|按照|据)(这篇|本文|该文|文章|访谈|采访|报道)|(这篇|本文)?(文章|访谈|采访|报道)(中|里|里面|上)(说|提到|讲)?"
               r"|(文章|访谈|采访|报道)(说|提到|讲|称)"
               # "这份文件规定的补贴发放时间": the rule's time, not the document's date.
               r"|(这份|这个|该|本|此)?(文件|通知|办法|规定|意见|方案|细则|条例|规程|指南)(规定|要求|明确|提到|中|里)的?"),
)


def asked_fields(question: str) -> tuple[str, ...]:
    """The metadata fields the question asks for (title, subtitle, reporter, column, dateline)."""
    for p in _AS_SOURCE:
        question = p.sub(" ", question)
    asked = [name for name, patterns in _FIELDS.items() if any(p.search(question) for p in patterns)]
    if ("effective" in asked or "amended" in asked or "signed" in asked) and "dateline" in asked:
        asked.remove("dateline")  # "from what date is this plan in force?" asks when it applies
    # Fields asked for by name come before those a vaguer field ("who published it") may be held in.
    out = [name for name in asked if name not in _HELD_IN]
    out += [held for name in asked for held in _HELD_IN.get(name, ())]
    return tuple(dict.fromkeys(out))


_OVERVIEW = (
    re.compile(rf"^\W*(please )?(summari[sz]e|give me (a|an) (summary|overview|outline))( (of )?{_DOC_NOUN_EN})?\W*$"
               rf"|\b(main|key) (points|topics|themes|takeaways|messages)\b.*{_DOC_NOUN_EN}"
               rf"|{_DOC_NOUN_EN}.*\b(main|key) (points|topics|themes|takeaways|messages)\b"
               rf"|\bwhat (is|'s) {_DOC_NOUN_EN} about\W*$|\bwhat does {_DOC_NOUN_EN} (cover|discuss)\W*$"
               rf"|^\W*(summary|overview|outline|tl;?dr)\W*$", re.I),
    re.compile(r"(这篇|本文|该文|全文|文章|访谈|采访|报道|文件).{0,6}(主要)?(讲|说|谈|写|涉及)了?些?(什么|啥|哪些)(内容|问题)?\W*$"
               r"|^\W*(请)?(给我|帮我)?(概括|总结|归纳)(一下)?(这篇|这个|本)?(文|文章|访谈|采访|文件|全文)?的?(内容|要点)?\W*$"
               r"|(这篇|本文|全文|文章|访谈|文件).{0,4}(要点|重点|主要内容)(是什么|有哪些|是啥)?\W*$"),
)


def asks_overview(question: str) -> bool:
    """Whether the question asks what the article is about as a whole ("summarize this
    interview", "这篇访谈主要讲了什么？"), not about one of its topics."""
    return any(p.search(question) for p in _OVERVIEW)


# The kind a question calls its document by: "本条例", "这份通知", "this regulation", "the interview".
# English uses "regulation" and "rules" for any of the legal kinds, so these name the family; an
# interview and a Q&A are both conversations to a reader (a city portal's 访谈 parses as Q&A).
_LEGAL = frozenset({"regulations", "provisions", "measures", "rules", "procedure", "law"})
_TALK = frozenset({"interview", "Q&A"})
_KIND_EN = ((r"regulations?|rules|provisions|measures|procedures?|laws?", _LEGAL), (r"notice|circular", frozenset({"notice"})),
            (r"opinions?", frozenset({"opinion"})), (r"plan", frozenset({"plan"})),
            (r"guidelines?|guide", frozenset({"guidelines"})), (r"decision", frozenset({"decision"})),
            (r"announcement", frozenset({"announcement"})), (r"interview|q\s?&\s?a", _TALK))
# "这份处理意见", "本暂行办法": a kind's usual modifiers may stand between (实施意见, 指导意见, 管理办法…).
_KIND_ZH = (r"(?:这|该|本|此)(?:份|个|部|项|篇|次)?(?:实施|处理|指导|暂行|试行|管理|补充|具体){{0,2}}({words})"
            r"|(访谈|专访|采访|答记者问|问答|解读)")


@lru_cache(maxsize=1)
def _kinds_zh() -> tuple[dict[str, str], re.Pattern]:
    """parse.KINDS (Chinese word -> kind) and the pattern of a demonstrative before one, made once."""
    from .parse import KINDS

    zh = dict(KINDS) | {"法律": "law", "法": "law"}  # "本法": a law's title ends in 法 (parse._LAW)
    return zh, re.compile(_KIND_ZH.format(words="|".join(zh)))


def kinds_meant(question: str) -> frozenset[str]:
    """The kinds of document (parse.KINDS' names) the question refers to its document by, if any."""
    if not isinstance(question, str):
        return frozenset()
    zh, pattern = _kinds_zh()
    kinds: set[str] = set()
    for m in pattern.finditer(question):
        kinds |= {zh[m.group(1)]} if m.group(1) else _TALK
    for words, named in _KIND_EN:  # "the" is too loose before "plan" or "rules" ("the plan for 2026")
        the = "|the" if named & (_TALK | {"notice"}) else ""
        if re.search(rf"\b(?:this|these|that|those{the})\s+(?:[\w'-]+\s+){{0,3}}?(?:{words})\b", question, re.I):
            kinds |= named
    return frozenset(kinds)
