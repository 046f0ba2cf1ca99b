"""Questions about the document itself (who, when, headline, what it is based on): the rows
that hold the field asked for. A question naming one of the document's articles ("第十七条",
"Article 17") is answered from that article's paragraphs, and one naming a section by its title
in quotes ("关于“办理时限”有哪些内容？") from that section's.

The header lines hold most fields (parse labels each with its field). An official document
states two of them in its body, by its own formulas (BODY_FIELDS). A field the document
states only inside another line (the issuer in the title) is found by its value.
"""

from __future__ import annotations

import functools
import re

import numpy as np

from ..document import Document, bare_title
from ..meta import asked_fields
from ..text import EN_STOP, HAN, HAN_CHAR, bare_name, cn_number, en_tokens, zh_tokens

# Fields an official document states in its body, by its own formulas: "本条例自2023年12月1日起施行",
# "根据《中华人民共和国社会保险法》，制定本条例".
BODY_FIELDS = {
    # "自2025年9 月10日起施行", and until when: "有效期至2018年9月30日".
    "effective": re.compile(r"自[^。；，,]{0,24}?(起|之日起)(施行|实施|执行|生效)|(施行|实施|生效)日期|有效期(至|到|截至)"
                           r"|(本|该)(规定|办法|条例|通知|意见|细则|方案|决定|规程|指南)有效期"),  # not a permit's "有效期为1年"
    # "《…暂行规定》同时废止", "原…不再执行".
    "repealed": re.compile(r"(同时|予以)?废止|停止执行|不再执行"),
    # "…制定本办法", or a preamble opening on the texts it applies ("根据《…》精神，现就…告知如下").
    # The texts may be several, listed with their numbers: "根据《…》（国发[2006]5号）、省…《…》精神，…，制定本办法".
    "basis": re.compile(r"(根据|依据|依照)《[^》]{2,40}》[^。]{0,40}(制定|制订)|^(根据|依据|依照|按照)《[^》]{2,80}》.*(现就|如下)"
                        r"|(根据|依据|依照)《[^。]{2,300}?(制定|制订)本"),
    "purpose": re.compile(r"^(?:第[一二三四五六七八九十百\d]+条\s*)?为了?[^。]{2,160}?(制定本|特制定|制定如下|现就|提出如下|通知如下)"),
}

_AMENDED = re.compile(r"修正|修订|修改")
# A law is named without its country: "社会保险法" is "中华人民共和国社会保险法".
_NATIONAL = re.compile(r"^中华人民共和国")
_ASKS_SITE = re.compile(r"\b(?:website|web ?site|site|portal)\b|网站|官网|网页", re.I)
_SITE = re.compile(r"网站|官网|网$|www\.|https?://")
_DATE_ALONE = re.compile(r"^[（(]?\s*(?:[\d○〇OＯ零一二三四五六七八九]{4}\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日"
                         r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})\s*[）)]?$")


# A document named in English by its proper name: "the Social Insurance Law", "China's Minimum
# Wage Provisions", "the Wuhan notice".
_EN_NAME = re.compile(r"\b(?:the\s+|(?-i:[A-Z][\w-]*)['’]s\s+)?((?:(?-i:[A-Z][\w'’-]*)\s+){1,6}?"
                      r"(law|regulations?|measures|provisions|rules|opinions?|notice|circular|plan|guidelines?|decision))\b", re.I)


def in_english(title: str, query: str) -> str:
    """The query with this document's English name, where it names it so, as "this law", "this
    notice": "When was the Social Insurance Law adopted?" of 中华人民共和国社会保险法 asks when this
    law was; of another law, it does not. A name is the document's when every word of it is the
    English (CC-CEDICT's, the field's) of a word of the title."""
    for m in _EN_NAME.finditer(query):
        if is_named(title, m.group(1)):
            query = query.replace(m.group(0), f"this {m.group(2).lower()}")
    return query


def english_names(query: str) -> list[str]:
    """The documents' English names the query holds ("Social Insurance Law"), whosever they are."""
    return [m.group(1) for m in _EN_NAME.finditer(query)]


# A title's genre, as English names one ("the Social Insurance Law", "the Wuhan Maternity
# Insurance Measures"): the dictionary lacks most (劳动法 is no entry; 办法 is "method").
_GENRES = (("细则", "rules"), ("条例", "regulations"), ("办法", "measures"), ("规定", "provisions"),
           ("意见", "opinions"), ("通知", "notice"), ("方案", "plan"), ("法", "law"))
# The words that qualify a title, as English names render them (暂行 is "provisional" only).
_QUALIFIERS = (("暂行", "interim provisional tentative"), ("试行", "trial pilot"),
               ("实施", "implementing implementation"))


@functools.lru_cache(maxsize=1024)
def _title_english(title: str) -> frozenset[str]:
    from ..bridge import english_glosses, field_terms

    bare = re.sub(r"[（(][^（()）]*[）)]$", "", title.strip())  # "实施办法（试行）"
    genre = next((en_tokens(en) for zh, en in _GENRES if bare.endswith(zh)), [])
    genre += [t for zh, en in _QUALIFIERS if zh in title for t in en_tokens(en)]
    # The field's terms the title holds, though the words cut differently: 劳动合同 "employment
    # contract" in 劳动合同法, cut 劳动 | 合同法.
    terms = [t for zh, renderings in field_terms().items() if len(zh) >= 3 and zh in title
             for en in renderings for t in en_tokens(en)]
    return frozenset([*genre, *terms, *(t for toks in english_glosses(zh_tokens(title)).values() for t in toks)])


def is_named(title: str, name: str) -> bool:
    """Whether the English `name` is the document titled `title`: every word of it the English of
    a word of the title (CC-CEDICT's, the field's)."""
    words = en_tokens(name)
    return len(words) >= 2 and set(words) <= _title_english(title)


# "关于印发降低社会保险费率综合方案的通知": the text a notice issues, named without 《》.
_ISSUED = re.compile(r"关于(?:印发|转发|发布|公布)([^《》]{4,80}?)的通知")
_QUOTED_TITLE = re.compile(r"《([^《》]{2,80})》")


def own_names(doc: Document) -> set[str]:
    """What the document is called: its title and subtitle, the titles of the texts rules part it
    into, and the text those quote or a notice issues ("关于印发《X》的通知" and "关于印发X的通知" call
    it X too). Not its column lines: a Q&A's column may quote the rules it explains."""
    m = doc.metadata
    names = {n for n in (m.title, m.subtitle, *(doc.part_of(s.number) for s in doc.sections)) if n}
    return names | {q for n in names for q in _QUOTED_TITLE.findall(n)} | {i for n in names for i in _ISSUED.findall(n)}


def _of_another(doc: Document, query: str) -> bool:
    """Whether the query names only other texts in 《》: "《劳动合同法》是什么时候通过的？" asked of the
    Social Insurance Law asks for another law's date, which this one's header does not give. A
    name is this document's where one holds the other (own_names, or a column line; "《社会保险法》"
    of 中华人民共和国社会保险法), spaces and punctuation aside."""
    quoted = [q for q in map(bare_name, _QUOTED_TITLE.findall(query)) if q]
    if not quoted:
        return False
    names = _bare_own_names(doc)
    return not any(_holds(names, q) for q in quoted)


def unmentioned(doc: Document, query: str) -> list[str]:
    """The texts the query names in 《》 that the document neither is nor mentions anywhere
    ("《劳动合同法》" asked of annual-leave measures that never name it): what is quoted in answer
    is this document's rule, not that text's. Spaces and punctuation aside, as _of_another."""
    quoted = _QUOTED_TITLE.findall(query)
    if not quoted:
        return []
    known = _bare_own_names(doc) + [n for p in doc.paragraphs for n in map(bare_name, _QUOTED_TITLE.findall(p.text)) if n]
    body = bare_name("".join(p.text for p in doc.paragraphs))
    return [q for q in dict.fromkeys(quoted) if (b := bare_name(q)) and b not in body and not _holds(known, b)]


# A law or regulations named in English ("the Labour Contract Law"), and the Chinese names of
# those a text may mention bare or in 《》 ("依照劳动合同法", "《工伤保险条例》"): the two genres
# the dictionary renders so (法 "law", 条例 "regulations"; 办法 is no "measures" there).
_EN_LAW = re.compile(r"\b(?:law|regulations?)$", re.I)
_ZH_LAW = re.compile(rf"[{HAN}]{{2,24}}?(?:法|条例)")


def unmentioned_english(doc: Document, query: str) -> list[str]:
    """The laws and regulations the query names in English that the document neither is nor
    mentions ("the Labour Contract Law" asked of annual-leave measures), as the query names
    them. A name may be mentioned where one of the document's names of laws (its title, those in
    《》, bare ones such as "依照劳动合同法") gives every word of it in English (CC-CEDICT's, the
    field's: "Employment Contract Law" is 劳动合同法 too), the country aside, or all but one of
    three or more ("Care Allowance Regulations" of 护理补贴条例, whose 护理 is "to nurse"); or
    where the whole text has every word somewhere. The line is for names surely absent."""
    asked = [n for n in map(_plain_name, english_names(query))
             if _EN_LAW.search(n) and n.split()[-1][0].isupper()]  # "the Labour Law", not "a law"
    if not asked:
        return []
    names = {*own_names(doc), *(m for p in doc.paragraphs for m in _ZH_LAW.findall(p.text))}
    out = []
    for name in dict.fromkeys(asked):
        words = set(en_tokens(name)) - _COUNTRY
        held = max((len(words & _title_english(n)) for n in names), default=0)
        if len(words) >= 2 and held < len(words) - (len(words) >= 3) and not words <= _english_of(doc):
            out.append(name)
    return out


def _english_of(doc: Document) -> frozenset[str]:
    """Every word the English of the document's words holds (the gloss): a name each of whose
    words the document has somewhere may be mentioned in a way no name above shows."""
    return _text_english("\n".join(p.text for p in doc.paragraphs))


@functools.lru_cache(maxsize=16)  # whole texts: a few, not a title's thousand
def _text_english(text: str) -> frozenset[str]:
    return _title_english.__wrapped__(text)


# "China's Social Insurance Law", "the PRC Labour Law": a text that cites 《社会保险法》 names it.
_COUNTRY = frozenset(en_tokens("China PRC Chinese People's Republic national"))


def _plain_name(name: str) -> str:
    """An English name without the sentence's first words or its issuer before it ("Under the
    Social Insurance Law", "the State Council's Interim Regulation" → "Social Insurance Law",
    "Interim Regulation"): a Chinese title does not name who issued it."""
    words = name.split()
    owner = max((i for i, w in enumerate(words[:-2]) if re.search(r"['’]s$", w)), default=-1)
    words = words[owner + 1:]
    while len(words) > 2 and words[0].lower() in EN_STOP:
        words = words[1:]
    return " ".join(words)


def _bare_own_names(doc: Document) -> list[str]:
    """own_names and the column lines, spaces and punctuation aside: what a name in 《》 is told by."""
    return [n for n in map(bare_name, (*own_names(doc), *doc.metadata.columns)) if n]


def _holds(names: list[str], name: str) -> bool:
    """Whether `name` is one of `names`: one holds the other ("社会保险法" of 中华人民共和国社会保险法)."""
    return any(name in n or n in name for n in names)


def field_rows(doc: Document, query: str) -> np.ndarray:
    """Rows of the paragraphs holding the metadata fields the query asks for, the field asked
    for first leading, a line the page repeats once; none when it asks for none."""
    rows = _field_rows(doc, query)
    texts = ["".join(doc.paragraphs[i].text.split()) for i in rows]
    return np.array([i for n, i in enumerate(rows) if texts[n] not in texts[:n]], dtype=np.int64)


def _field_rows(doc: Document, query: str) -> np.ndarray:
    if _of_another(doc, query):
        return np.array([], dtype=np.int64)
    for title in dict.fromkeys((doc.metadata.title, _NATIONAL.sub("", doc.metadata.title))):
        if len(title) >= 4 and title in query and f"《{title}》" not in query and "《" not in query:
            query = query.replace(title, f"《{title}》")  # named by its bare title, as in 《》
    fields = asked_fields(in_english(doc.metadata.title, query))
    if not fields:
        return np.array([], dtype=np.int64)
    paras = doc.paragraphs
    if "amended" in fields:  # the header's note of each amendment
        return np.array([i for i, p in enumerate(paras) if p.role == "header" and _AMENDED.search(p.text)],
                        dtype=np.int64)
    if "signed" in fields:  # the dates alone on their line, the document's own (its dateline) first
        dates = [i for i, p in enumerate(paras) if p.role == "header" and _DATE_ALONE.match(p.text.strip())]
        return np.array(sorted(dates, key=lambda i: doc.field_of(paras[i]) != "dateline"), dtype=np.int64)
    if body := [f for f in fields if f in BODY_FIELDS]:  # a record's "实施日期：" line, then the body's formula
        return np.array([i for i, p in enumerate(paras) if p.role == "header" and doc.field_of(p) in body]
                        + [i for i, p in enumerate(paras)
                           if p.role != "header" and any(BODY_FIELDS[f].search(p.text) for f in body)], dtype=np.int64)
    held = {i: doc.field_of(p) for i, p in enumerate(paras) if p.role == "header"}
    rows: list[int] = []
    for f in fields:
        found = [i for i, h in held.items() if h == f]
        if not found and isinstance(v := getattr(doc.metadata, f, ""), str) and v:
            found = [i for i in held if v in paras[i].text]  # a line holding two fields ("…国务院令第375号公布")
        if not found and f == "issuer":  # named by none: its number's prefix ("武劳社〔2006〕93号") or title may
            found = [i for i, h in held.items() if h == "number"] or [i for i, h in held.items() if h == "title"][:1]
        rows += [i for i in found if i not in rows]
    if _ASKS_SITE.search(query):  # "which website": the line naming a site first, not the newspaper it cites
        rows.sort(key=lambda i: not _SITE.search(paras[i].text))
    return np.array(rows, dtype=np.int64)


# An article named in a question, unless another text's ("劳动合同法第十四条", "Article 14 of the
# Labour Contract Law"): only this document's articles are answered from it.
_ARTICLE_ZH = re.compile(r"(法|条例|办法|规定|细则|》)?\s*第([一二三四五六七八九十百零〇两\d]{1,6})条")
_ARTICLE_EN = re.compile(r"\b(?:article|art\.)\s*(\d{1,3})\b(?!\s+of\s+(?:the\s+)?(?:(?!this\b)[A-Z][\w'-]*\s+)+(?:Law|Act)\b)",
                         re.I)


_ARTICLE_OF = re.compile(r"\b(?:article|art\.)\s*\d{1,3}\s+of\b", re.I)  # "Article 10 of the … Law"


def _own(text: str, m: re.Match, title: str) -> bool:
    """Whether an _ARTICLE_ZH match in `text` is this document's article: bare ("第十二条"), of
    "本规定" or "该办法", or of the document's title; not "劳动合同法第十四条"."""
    before = text[: m.start(2)].rstrip("第 ")
    return (not m.group(1) or before.endswith(("本" + m.group(1), "该" + m.group(1)))
            or bool(title and before.rstrip("》").endswith(title)))


def named_article(doc: Document, query: str) -> int | None:
    """The number of the article the query names, if it is one of this document's."""
    for m in _ARTICLE_ZH.finditer(query):
        if _own(query, m, doc.metadata.title):
            return cn_number(m.group(2))
    m = _ARTICLE_EN.search(query)
    return int(m.group(1)) if m else None


def of_unmentioned_article(doc: Document, query: str) -> bool:
    """Whether the query asks for an article of a text in 《》, or of a law named in English, that
    the document never mentions ("《劳动合同法》第十条规定了什么？", "What does Article 10 of the
    Labour Contract Law say?" of annual-leave measures): none of its paragraphs states it."""
    another = any(not _own(query, m, doc.metadata.title) for m in _ARTICLE_ZH.finditer(query))
    return (another and bool(unmentioned(doc, query))
            or bool(_ARTICLE_OF.search(query)) and bool(unmentioned_english(doc, query)))


# What asks only what an article says, once the article itself is set aside: "第四条规定了什么？",
# "本条例第四条的内容是什么", "What does Article 4 say?", "Can you explain article 4?".
_WHAT_IT_SAYS = re.compile(
    r"第[一二三四五六七八九十百零〇两\d]{1,6}条|\b(?:article|art\.)\s*\d{1,3}\b|规定|内容|说|讲|写|啥|什么|具体|哪些|请问|理解|解释|意思"
    r"|(?:本|该|这|此)?(?:部|个|份|项)?(?:条例|办法|规定|意见|通知|细则|决定|法律|法)"
    r"|\b(?:say|says|said|state|states|provide|provides|content|contents|mean|means|cover|covers|tell|me|explain"
    r"|regulations?|rules|measures|provisions|law|document|notice)\b", re.I)


def asks_more_than_article(query: str) -> bool:
    """Whether a question naming an article asks more than what the article says: "按第四条规定
    参保的农民工享受哪些待遇？" is about migrant workers' benefits, and of a library's regulations
    only those on that topic answer it; "第四条规定了什么？" is asked of each."""
    from .coverage import content_words

    if not (_ARTICLE_ZH.search(query) or _ARTICLE_EN.search(query)):
        return False
    rest = _WHAT_IT_SAYS.sub(" ", query)
    return bool(content_words(rest, "zh" if HAN_CHAR.search(query) else "en"))


# "违反本规定第十二条", "violating Article 12": the question asks what follows a breach of the
# article, which the document's penalty articles say, citing it by number.
_BREACH = re.compile(r"(违反|违背|不遵守|不执行)\s*(本|该)?\S{0,6}?第[一二三四五六七八九十百零〇两\d]{1,6}条"
                     r"|\b(violat\w*|breach\w*|break\w*|in breach of)\s+(the\s+)?(article|art\.)\s*\d", re.I)


# "按第四条规定参保的农民工…", "workers insured under Article 4": the article names a case, and
# what holds for it may be said by another article citing it ("按照本意见第四条规定参保的…不建立…").
_UNDER = re.compile(r"(按照?|依照|依据|根据)\s*(本|该)?\S{0,6}?第[一二三四五六七八九十百零〇两\d]{1,6}条"
                    r"|\b(under|per|pursuant to|according to)\s+(the\s+)?(article|art\.)\s*\d", re.I)


def article_rows(doc: Document, query: str) -> np.ndarray:
    """Rows of the article the query names, where the document's ids are its articles (§17.x is
    第十七条, rag.parse); none otherwise. A question about a breach of the article is answered
    by the other paragraphs that cite it (the penalties), when there are any; one naming it as
    its case, by the article and then those citing it (about_rows)."""
    n = named_article(doc, query)
    if not n or not _is_article(doc, n):
        return np.array([], dtype=np.int64)
    own = [i for i, p in enumerate(doc.paragraphs) if p.section and p.id.startswith(f"§{n}.")]
    citing = [i for i, p in enumerate(doc.paragraphs)
              if not p.id.startswith(f"§{n}.") and n in cited_articles(p.text, doc.metadata.title)]
    if _BREACH.search(query) and citing:
        return np.array(citing, dtype=np.int64)
    return np.array(own + citing if _UNDER.search(query) else own, dtype=np.int64)


# A question asking what follows a breach: the penalty, the fine, the liability.
_ASKS_PENALTY = re.compile(r"处罚|罚款|罚多少|被罚|怎么罚|法律责任|什么责任|后果|赔偿金|追究|处分|"
                           r"\b(?:penalt\w*|fine[sd]?|punish\w*|sanction\w*|consequences?|liabilit\w*|liable)\b", re.I)
# What a penalty article orders: "责令限期改正", "处2万元以上5万元以下的罚款", "支付赔偿金".
_PENALTY = re.compile(r"责令|罚款|赔偿金|滞纳金|处分|追究|处以|没收|吊销")


def penalty_rows(doc: Document, query: str, rows: np.ndarray) -> list[int]:
    """For a question asking for a penalty, the articles stating the penalty for breaching the
    articles of `rows` (the best candidates): a rule says what must be done ("第十二条…不得低于
    最低工资标准"), another what follows its breach ("违反本规定第十二条规定的，由…责令…支付赔偿
    金"), without repeating its words."""
    if not _ASKS_PENALTY.search(query):
        return []
    ruled = {n for i in rows if (n := _article_of(doc, doc.paragraphs[i].id)) is not None}
    return [i for i, p in enumerate(doc.paragraphs)
            if p.section and _PENALTY.search(p.text) and ruled & (cited_articles(p.text, doc.metadata.title)
                                                                   - {_article_of(doc, p.id)})]


def _article_of(doc: Document, pid: str) -> int | None:
    """The article a paragraph belongs to, where the document's ids are its articles (§12.5 is
    第十二条's fifth paragraph)."""
    n = int(pid[1:].split(".")[0])
    return n if n and _is_article(doc, n) else None


def _is_article(doc: Document, n: int) -> bool:
    """Whether section n is the document's 第n条: its ids follow its articles (rag.parse)."""
    first = doc.get(f"§{n}.1")
    if first is None or first.section == 0:
        return False
    from ..parse import article_number  # the parser is loaded only for a question about articles

    return article_number(first.text) == n


def without_title(doc: Document, query: str) -> str:
    """The query without the document's own title where it names it ("《上海市失业保险金申领发放实施
    办法》关于申领条件有哪些内容？" of those measures, or of the notice issuing them): the title's
    words match its header lines, not the paragraphs that answer."""
    title = doc.metadata.title
    if len(title) < 4:
        return query
    def own(m: re.Match) -> str:
        return "" if len(m.group(1)) >= 4 and m.group(1) in title else m.group()
    left = re.sub(r"《([^《》]{2,80})》", own, query)
    return left.strip() or query if left != query else query  # unchanged: not searched twice


# A title in quotes: “办理时限”, "Processing time", 「所需材料」 (not an apostrophe).
_QUOTED = re.compile(r"[“\"「『]([^“”\"「」『』]{2,80})[”\"」』]")


def section_rows(doc: Document, query: str) -> np.ndarray:
    """Rows of the section a question names by its title in quotes, with or without its number
    ("关于“办理时限”有哪些内容？", as the chat's follow-up questions ask), after its text's title
    where rules part several texts, or in the text the query names in 《》 (a library's follow-up
    "《…之转出》里关于“办理条件”…"); a title cut short with "…" names the section it begins. None
    where no quoted words are a section's title."""
    named = [bare_title(m.group(1)) for m in _QUOTED.finditer(query)]
    if not named:
        return np.array([], dtype=np.int64)
    parts: set[str] = set()  # the texts it names in 《》 ("《…之转出》里关于“办理条件”…"), where rules part several
    if texts := [n for n in map(bare_name, _QUOTED_TITLE.findall(query)) if n]:
        parts = {part for s in doc.sections if (part := doc.part_of(s.number)) and _holds(texts, bare_name(part))}
    for s in doc.sections:
        titles = {bare_title(t) for t in (s.title, s.title_en) if t}
        if parts and doc.part_of(s.number) not in parts:
            continue
        if s.number and any(_names(n, titles, doc.part_of(s.number)) for n in named):
            return np.array([i for i, p in enumerate(doc.paragraphs) if p.section == s.number], dtype=np.int64)
    return np.array([], dtype=np.int64)


# What a question asking only what a section says is made of, its title aside: the chat's
# follow-ups ("关于“办理条件”有哪些内容？", "What does 《…》 say about processing time (“办理时限”)?").
_ABOUT_SECTION = re.compile(r"\babout\s+[^“”(]*(?=\(“)|关于|里面?|中|当中|部分|一节|这一?[节部]分?"
                            r"|\b(?:about|in|on|section|part)\b", re.I)


def asks_what_section_says(query: str) -> bool:
    """Whether a question naming a section by its title in quotes asks only what the section
    says: nothing of its own is left once the title, the document's name in 《》 and the words of
    asking what a text says are set aside ("关于“办理条件”有哪些内容？"). "“办理时限”是多少天？"
    asks for one figure of it, which the section's paragraphs are ranked for."""
    from .coverage import content_words

    if not _QUOTED.search(query):
        return False
    rest = _WHAT_IT_SAYS.sub(" ", _QUOTED_TITLE.sub(" ", _QUOTED.sub(" ", _ABOUT_SECTION.sub(" ", query))))
    return not content_words(rest, "zh" if HAN_CHAR.search(rest) else "en")


def _names(name: str, titles: set[str], part: str) -> bool:
    """Whether a quoted name is a section's title, after the title of the text it is in where
    rules part several texts ("…之转出 › 办理条件": two guides' sections share their titles)."""
    if " › " in name:
        within, name = name.split(" › ", 1)
        if within.strip() != part:
            return False
        name = bare_title(name.strip())
    return name in titles or (name.endswith("…") and any(t.startswith(name[:-1].rstrip()) for t in titles))


def cited_articles(text: str, title: str = "") -> set[int]:
    """The numbers of this document's articles a paragraph cites ("违反本规定第十一条规定的"), its
    own heading and other texts' articles ("依照《劳动法》第九十一条") left out."""
    return {n for m in _ARTICLE_ZH.finditer(text)
            if m.start() > 0 and _own(text, m, title) and (n := cn_number(m.group(2))) is not None}


def about_rows(doc: Document, query: str) -> tuple[np.ndarray, np.ndarray]:
    """The rows a question about the document's own structure names (its fields, else an article,
    else a section by its title), and which of them lead: those of the field asked for by name,
    or of the article named, before the articles citing it (article_rows)."""
    if (rows := field_rows(doc, query)).size:
        return rows, first_field(doc, rows)
    if (rows := article_rows(doc, query)).size:
        n = named_article(doc, query)
        return rows, np.array([_article_of(doc, doc.paragraphs[i].id) == n for i in rows], dtype=bool)
    rows = section_rows(doc, query)
    return rows, first_field(doc, rows)


def first_field(doc: Document, rows: np.ndarray) -> np.ndarray:
    """For each row, whether it holds the same field as the first row (the field asked for by name)."""
    if not rows.size:
        return np.array([], dtype=bool)
    lead = doc.field_of(doc.paragraphs[rows[0]])
    return np.array([doc.field_of(doc.paragraphs[i]) == lead for i in rows])


def naming_rows(doc: Document) -> np.ndarray:
    """Whether each row is a header line that only names the document: its title, or a line with
    no label ("上海市失业保险金申领发放实施办法", an attachment's title; not "嘉宾：…"). Such a
    line is close to any question on its topic, but answers none but "what is it called"."""
    m = doc.metadata
    names = {m.title, *(c for c in (m.subtitle, *m.columns) if not re.search(r"[：:]", c))} - {""}
    return np.array([p.section == 0 and p.text.strip() in names for p in doc.paragraphs], dtype=bool)
