"""Typed, immutable data that flows between the stages of the pipeline."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from .text import HAN

# rag.parse's version: raise it when what the parser makes of a file changes (a saved parse,
# and an index built from one, are then made again). Here, beside what it versions, so that a
# start checking a saved parse does not load the parser.
PARSER_VERSION = "45"  # a table row a PDF page break cuts in two is one row
Role = Literal["header", "question", "answer", "text"]
Lang = Literal["zh", "en"]
# A record block's date line: "成文日期：…", "发布时间：…".
_DATE_LABEL = re.compile(r"^[\u4e00-\u9fff]{0,4}(?:日期|时间)\s*[：:]\s*\S")
# Record lines that hold no field of Metadata but answer a question about the document: where it
# comes from, whom to ask, when it takes effect.
_LABELLED = (("source", re.compile(r"^(?:信息|文章|稿件|新闻)?来源\s*[：:]")),
             ("contact", re.compile(r"^(?:联系方式|联系电话|咨询电话|咨询方式|联系人)\s*[：:]")),
             ("effective", re.compile(r"^(?:实施|施行|生效)日期\s*[：:]")))
_SPACED_LABEL = re.compile(r"^((?:[\u4e00-\u9fff][ \t\u3000]+){1,5}[\u4e00-\u9fff])(?=\s*[：:])")


def record_line(line: str, known=lambda label: True) -> str:
    """A record line as "label：value": its label unspaced ("索 引 号：" is "索引号："), and a law
    database's bracketed label ("【发 文 号】…") read as one where `known(label)`."""
    if (m := re.match(r"^\s*【([^】]{1,12})】\s*(?=\S)", line)) and known(label := re.sub(r"[ \t\u3000]", "", m.group(1))):
        line = label + "：" + line[m.end():]
    return _SPACED_LABEL.sub(lambda m: re.sub(r"[ \t\u3000]", "", m.group(1)), line, count=1)


# An item's level in a list: （一） above 1. above （1）.
_LEVELS = (re.compile(r"^\s*[（(]([一二三四五六七八九十]{1,3})[）)]"), re.compile(r"^\s*(\d{1,2})[.、．](?!\d)"),
           re.compile(r"^\s*[（(](\d{1,2})[）)]"))
# A subsection's heading, alone ("（一）单位参保离职人员") or run into its list's first item
# ("（一）必需材料 1.《企业职工基本养老保险待遇申报表》。"): a name, not a sentence.
_HEADING = re.compile(r"^\s*[（(][一二三四五六七八九十]{1,3}[）)]\s*[^\s。；;：:，,]{1,24}(?=$|\s+1[.、．](?!\d))")
CHECKLIST_ITEM_CHARS = 60  # a heading's list whose every item is this short is a checklist, quoted whole
# How a checklist's item ends: as a sentence or a clause does, or a form's name ("《…申报表》");
# not as a heading does ("2. 流程信息", with the steps under it).
_LINE_ENDS = ("。", "；", ";", ".", "》", "）", ")", "！", "？")


def _item(text: str) -> tuple[int, int]:
    """(level, number) of a numbered item ("（二）" → (1, 2), "3." → (2, 3)); (0, 0) otherwise."""
    from .text import cn_number

    for level, pattern in enumerate(_LEVELS, 1):
        if m := pattern.match(text):
            return level, cn_number(m.group(1)) or 0
    return 0, 0


@dataclass
class _OpenList:
    lead: "Paragraph"
    own: int  # the lead's own level (0: not numbered)
    items: int = 0  # its items' level, once one is seen
    last: int = 0  # the number of its latest item
    item: "Paragraph | None" = None  # its latest item (a note is on it)
    labels: set = field(default_factory=set)  # how its notes open ("填报须知")


def _list_leads(paragraphs: tuple["Paragraph", ...]) -> tuple[dict[str, "Paragraph"], dict[str, "Paragraph"]]:
    """{item id: the paragraph leading its list}, and {note id: the item it is on}. A list is
    led by a paragraph ending in "：" ("应当提交下列材料：", numbered or not), or announcing the
    items after it where item 1 follows ("符合以下基本条件，…可以申请。"), or by a
    subsection's heading ("（一）必需材料"); its items are the numbered paragraphs of one level
    after it, in its section (and those items' own sub-items, unless an item leads them itself:
    "…包括以下情形："). A list ends at an item of
    its lead's level or above, or at an unnumbered paragraph, unless the numbering goes on right
    after that one, or it opens as an earlier note did: then it is a note on the item before
    ("填报须知：申报表必须由本人签名。")."""
    leads: dict[str, Paragraph] = {}
    notes: dict[str, Paragraph] = {}
    lists: list[_OpenList] = []  # nested: a numbered lead's own items are one level down
    for i, p in enumerate(paragraphs):
        if i and p.section != paragraphs[i - 1].section:
            lists = []
        level, number = _item(p.text)
        if level:
            while lists and ((lists[-1].own and level <= lists[-1].own) or (lists[-1].items and level < lists[-1].items)):
                lists.pop()
            if lists and lists[-1].items in (0, level):
                leads[p.id] = lists[-1].lead
                lists[-1].items, lists[-1].last, lists[-1].item = level, number, p
            elif lists:  # an item's own sub-items, under an item that leads no list of them
                leads[p.id] = lists[-1].lead
        elif _is_note(paragraphs, i, lists[-1] if lists else None):
            notes[p.id] = lists[-1].item or lists[-1].lead  # item 1 run into its heading
            lists[-1].labels |= {_label(p.text)} - {""}
            continue
        else:
            lists = []
        if p.text.rstrip().endswith(("：", ":")) or (_announces(p.text) and _item_one_next(paragraphs, i)):
            lists.append(_OpenList(p, level))
        elif level == 1 and (m := _HEADING.match(p.text)):
            first_item = m.end() < len(p.text.rstrip())  # the heading runs into item 1
            lists.append(_OpenList(p, level, 2 if first_item else 0, 1 if first_item else 0))
    return leads, notes


# A sentence announcing the items after it ("符合以下基本条件，…可以申请。"), even where it ends in
# "。"; 以下 bounding a figure ("1万元以下", "48周岁以下") or naming a short form ("以下简称") announces nothing.
_FOLLOWING = re.compile(r"下列|如下|以下(?!简称|称)")


def _announces(text: str) -> bool:
    from .text import FIGURE_BEFORE

    return bool(_FOLLOWING.search(re.sub(FIGURE_BEFORE + "以下", "", text)))


def _item_one_next(paragraphs: tuple["Paragraph", ...], i: int) -> bool:
    """Whether the paragraph after paragraph i, in its section, is an item numbered 1."""
    nxt = paragraphs[i + 1] if i + 1 < len(paragraphs) else None
    return nxt is not None and nxt.section == paragraphs[i].section and _item(nxt.text)[1] == 1


def _label(text: str) -> str:
    """What a paragraph opens with before "：" ("填报须知"), if that is short; else ""."""
    head, colon, _ = text.partition("：")
    return head.strip() if colon and 0 < len(head.strip()) <= 8 else ""


def _is_note(paragraphs: tuple["Paragraph", ...], i: int, open_list: _OpenList | None) -> bool:
    """Whether the unnumbered paragraph i sits between two items of the open list, or opens
    as its earlier notes did (the note on its last item)."""
    if open_list is None or not open_list.items:
        return False
    if _label(paragraphs[i].text) in open_list.labels:
        return True
    for q in paragraphs[i + 1 : i + 3]:
        level, number = _item(q.text)
        if q.section != paragraphs[i].section:
            return False
        if level:
            return level == open_list.items and number == open_list.last + 1
    return False


# A section title's place in the document's numbering: "六、", "第三章", "（二）", "2.1", "IV. ".
_TITLE_NUMBER = re.compile(r"^\s*(?:第[一二三四五六七八九十百零〇\d]+[章节条部分篇]|[一二三四五六七八九十]+[、．.]|"
                           r"[（(][一二三四五六七八九十\d]+[）)]|\d+(?:\.\d+)*(?:[.、．]|(?=\s))|[IVX]+\.(?=\s))\s*")


_SPACED_OUT = re.compile(rf"[{HAN}](?:[ \t\u3000]+[{HAN}])+")


def bare_title(title: str) -> str:
    """A section's title without its number: "六、办理时限" → "办理时限"; the title itself where
    nothing else is left. A heading spaced out one character apart ("总    则") is read closed up."""
    bare = _TITLE_NUMBER.sub("", title, count=1).strip() or title.strip()
    return "".join(bare.split()) if _SPACED_OUT.fullmatch(bare) else bare


def number_and_text(text: str) -> tuple[str, str]:
    """A paragraph's own number ("第十二条", "（二）", "3.") and the text after it. The number
    places the paragraph; its digits are no words of it: "12 years" is not "第十二条"."""
    m = _TITLE_NUMBER.match(text)
    if not m or not text[m.end():].strip() or text[m.end()].isdigit():  # "1.5倍" is no "1."
        return "", text
    return m.group().strip(), text[m.end():]


# A numbered phrase closed by "。": "（一）统一覆盖范围。", "1.申请对象。"; not an item's clause
# ("（二）应征服兵役的。"). On a line of its own it heads what follows (rag.parse).
_CLOSED = re.compile(r"^\s*(?:（[一二三四五六七八九十]{1,3}）|[一二三四五六七八九十]{1,3}、|\d{1,2}[.．、])\s*"
                     r"[^，。；：,;:！？!?、“”《》]{2,18}(?<!的)。$")


def closed_heading(text: str) -> bool:
    """The text is a short numbered phrase closed by "。", as a heading over a paragraph is written
    ("（六）统一基金管理。"): alone it says little of what follows it."""
    return bool(_CLOSED.match(text))


def numbered(text: str) -> bool:
    """The text opens with a number of the document's own ("九、", "（二）", "第三条", "2.")."""
    return bool(_TITLE_NUMBER.match(text))


def topic_of(title: str) -> str:
    """A section's title as a topic one can name (a refusal's list, a follow-up): without its
    number; "" where it is the opening of a numbered paragraph, not a heading: cut short ("…"),
    or a statement running on past a comma ("参加…的人员实行定额缴费，政府对参保人缴费给予适当补贴")."""
    bare = bare_title(title)
    if bare.endswith("…") or (len(bare) > 20 and "，" in bare and not bare.endswith(("？", "?"))):
        return ""
    return bare


def _is_header(cells: list[str]) -> bool:
    """A table's header row: three or more cells naming columns, short, none a figure or a sentence."""
    return len(cells) > 2 and all(0 < len(c.strip()) <= 16 and not re.search(r"\d|[。；;]", c) for c in cells)


@dataclass(frozen=True)
class Paragraph:
    """One citable paragraph. `id` is `§S.P`: section S (0 for the header), paragraph P; or,
    where the document numbers its own (rag.parse), article S's P-th paragraph, or item P of
    section S. `section` is always the section it sits in, `number` the id's P."""

    id: str
    section: int
    number: int
    role: Role
    section_title: str
    text: str
    line: int  # 1-based line of the source where the paragraph starts
    en: str = ""  # the English rendering, when the document has one
    section_title_en: str = ""
    # Questions this paragraph answers, as users ask them, from the aligned edition: indexed
    # beside the text so that everyday wording finds it. Never shown as the document's words.
    questions_zh: tuple[str, ...] = ()
    questions_en: tuple[str, ...] = ()
    en_machine: bool = False  # the English rendering is a machine translation (rag.translate)
    questions_machine: bool = False  # the questions were written by a model (rag.questions)
    # The heading one level below its section's that the paragraph sits under, as "（一）单位参保
    # 离职人员" in "二、事项情形" (not set on the heading's own paragraph): indexed with it, for a
    # guide that repeats its steps under each case.
    subsection: str = ""
    # The title of the text it belongs to, where rules part several texts (two service guides
    # in one file, rag.parse._texts): indexed and shown with it, as its section's title is.
    part: str = ""

    def text_in(self, lang: Lang) -> str:
        return self.en if lang == "en" and self.en else self.text

    @property
    def under(self) -> str:
        """What it is indexed under besides its words: its text's title and its subsection."""
        return " ".join(t for t in (self.part, self.subsection) if t)

    def title_in(self, lang: Lang) -> str:
        """The section's title, and the subsection's where the paragraph has one ("二、事项情形 ›
        （四）个体工商户户主"): which case of a guide a cited step belongs to; after its text's
        title where rules part several texts ("…之转出 › 办理条件")."""
        if lang == "en" and self.section_title_en:
            return self.section_title_en
        titles = (self.part if self.part != self.section_title else "", self.section_title, self.subsection)
        return " › ".join(t for t in titles if t)


@dataclass(frozen=True)
class Section:
    number: int
    title: str
    paragraph_ids: tuple[str, ...]
    title_en: str = ""


@dataclass(frozen=True)
class Metadata:
    title: str = ""
    subtitle: str = ""
    reporter: str = ""
    columns: tuple[str, ...] = ()
    dateline: str = ""  # the date line as written ("新华社北京1月20日电", "2020年2月25日")
    kind: str = ""  # interview, Q&A, article, or an official document's kind: notice, opinion, measures…
    issuer: str = ""
    date: str = ""  # YYYY-MM-DD, when the document gives a full date; YYYY-MM for a month alone
    number: str = ""  # the official document number (国办发〔2020〕6号)
    addressee: str = ""


@dataclass(frozen=True)
class Document:
    name: str
    sha256: str
    metadata: Metadata
    sections: tuple[Section, ...]
    paragraphs: tuple[Paragraph, ...]
    _by_id: dict[str, Paragraph] = field(default=None, repr=False, compare=False)  # type: ignore[assignment]
    # Each item's list lead, and each table row's header: found in one pass, so a document of many
    # items or rows costs time in proportion to its length, not to its square.
    _leads: dict[str, Paragraph] = field(default=None, repr=False, compare=False)  # type: ignore[assignment]
    _headers: dict[str, tuple[str, ...]] = field(default=None, repr=False, compare=False)  # type: ignore[assignment]
    _items: dict[str, tuple[Paragraph, ...]] = field(default=None, repr=False, compare=False)  # type: ignore[assignment]
    _notes: dict[str, Paragraph] = field(default=None, repr=False, compare=False)  # type: ignore[assignment]
    _parts: dict[int, str] = field(default=None, repr=False, compare=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {p.id: p for p in self.paragraphs})
        leads, notes = _list_leads(self.paragraphs)
        items: dict[str, list[Paragraph]] = {}
        for pid, lead in leads.items():
            items.setdefault(lead.id, []).append(self._by_id[pid])
        headers: dict[str, tuple[str, ...]] = {}
        header: tuple[str, ...] = ()
        section = None
        for p in self.paragraphs:
            if p.section != section:
                section, header = p.section, ()
            cells = tuple(p.text.split("\t"))
            if len(cells) < 2:
                header = ()
            elif not header and _is_header(list(cells)):
                header = cells
            elif header:
                headers[p.id] = header
        object.__setattr__(self, "_leads", leads)
        object.__setattr__(self, "_notes", notes)
        object.__setattr__(self, "_items", {k: tuple(v) for k, v in items.items()})
        object.__setattr__(self, "_headers", headers)
        object.__setattr__(self, "_parts", {p.section: p.part for p in self.paragraphs if p.part})

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for saving a parse beside the index); Document.from_dict reads it back."""
        return {"name": self.name, "sha256": self.sha256, "metadata": asdict(self.metadata),
                "sections": [asdict(s) for s in self.sections], "paragraphs": [asdict(p) for p in self.paragraphs]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Document":
        m = d["metadata"]
        return cls(d["name"], d["sha256"], Metadata(**{**m, "columns": tuple(m["columns"])}),
                   tuple(Section(**{**s, "paragraph_ids": tuple(s["paragraph_ids"])}) for s in d["sections"]),
                   tuple(Paragraph(**{**p, "questions_zh": tuple(p["questions_zh"]),
                                      "questions_en": tuple(p["questions_en"])}) for p in d["paragraphs"]))

    @property
    def has_english(self) -> bool:
        return any(p.en for p in self.paragraphs if p.section > 0)

    @property
    def has_questions(self) -> bool:
        """Whether paragraphs carry the questions they answer (a hand-made edition's, or written)."""
        return any(p.questions_zh or p.questions_en for p in self.paragraphs)

    def get(self, pid: str) -> Paragraph | None:
        return self._by_id.get(pid)

    def neighbours(self, pid: str, before: int = 1, after: int = 1) -> tuple[Paragraph, ...]:
        """The paragraph with up to `before`/`after` others of the same section around it."""
        p = self._by_id[pid]
        same = [q for q in self.paragraphs if q.section == p.section]
        i = same.index(p)
        return tuple(same[max(0, i - before) : i + after + 1])

    def field_of(self, p: Paragraph) -> str:
        """Which metadata field a header paragraph holds: title, subtitle, reporter, column,
        dateline, issuer, number or addressee, or a labelled line's source, contact or effective
        date ('' for body text before the first section)."""
        if p.section != 0 or p.role != "header":
            return ""
        m = self.metadata
        text = record_line(p.text.lstrip("—- "))
        bare = re.sub(r"[ \t\u3000]", "", text)  # "名　　称：… 索 引 号：…", a record's fields on one line
        for name, value in (("title", m.title), ("subtitle", m.subtitle), ("reporter", m.reporter),
                            ("dateline", m.dateline), ("number", m.number), ("addressee", m.addressee)):
            if value and (text == value or p.text == value or text.endswith("：" + value)
                          or (name in ("title", "number", "dateline") and "：" + re.sub(r"[ \t\u3000]", "", value) in bare)
                          or (name == "number" and bare.startswith("第") and value.endswith(bare))):  # "…令" / "第135号"
                return name
        if m.issuer and (text == m.issuer or text in m.issuer.split() or text.endswith(m.issuer)):
            return "issuer"
        if labelled := next((field for field, label in _LABELLED if label.match(text)), None):
            return labelled
        if _DATE_LABEL.match(text):
            return "dateline"  # a record block's second date ("成文日期" gave the dateline, "发布日期" this)
        return "column" if p.text in m.columns else ""

    def title_in(self, lang: Lang) -> str:
        """The document's title, in English where its header line has an English rendering."""
        title = self.metadata.title
        if lang == "en" and title:
            return next((p.en for p in self.paragraphs if p.section == 0 and p.en and p.text.strip() == title), title)
        return title

    def part_of(self, section: int) -> str:
        """The title of the text a section is in, where rules part several texts (rag.parse._texts);
        "" otherwise."""
        return self._parts.get(section, "")

    def lead_of(self, pid: str) -> Paragraph | None:
        """For a numbered item ("（二）未编制工资支付台账的；"), the paragraph that introduces its list
        ("有下列情形之一的，…处2万元以上5万元以下的罚款："): what the item says is said of it. None
        for a paragraph that is not an item, or whose list has no such lead."""
        return self._leads.get(pid)

    def question_of(self, pid: str) -> Paragraph | None:
        """For an answer turn ("答：没有。…"), the question turn it answers ("五、办理一次性缴费有截止时间
        吗？"): the last one before it in its section. None for any other paragraph."""
        p = self._by_id[pid]
        if p.role != "answer" or not p.section:
            return None
        i = self.paragraphs.index(p)
        return next((q for q in reversed(self.paragraphs[:i]) if q.section == p.section and q.role == "question"), None)

    def items_of(self, pid: str) -> tuple[Paragraph, ...]:
        """For a list's lead ("提出工伤认定申请应当提交下列材料：", "（一）必需材料 1.…"), the
        numbered items after it that it leads; () for any other paragraph."""
        return self._items.get(pid, ())

    def checklist(self, pid: str) -> Checklist | None:
        """The list under a subsection's heading whose every item is one short line (what to
        bring, who may apply) that a paragraph is an item of, or a note on an item of: such a
        list is one answer, quoted whole. None for any other paragraph."""
        pid = self._notes[pid].id if pid in self._notes else pid
        lead = self._by_id[pid] if pid in self._items else self._leads.get(pid)
        m = _HEADING.match(lead.text) if lead is not None else None
        if m is None:
            return None
        heading, rest = m.group(0).strip(), lead.text[m.end():].strip()
        paras = ((lead,) if rest else ()) + self._items[lead.id]
        texts = ((rest,) if rest else ()) + tuple(q.text.strip() for q in self._items[lead.id])
        if len(texts) < 2 or any(len(t) > CHECKLIST_ITEM_CHARS or not t.endswith(_LINE_ENDS) for t in texts):
            return None
        on = {q.id for q in paras}
        notes = tuple((item.id, self._by_id[n]) for n, item in self._notes.items() if item.id in on)
        return Checklist(heading, texts, paras, notes)

    def row_reading(self, pid: str) -> str:
        """A table's row (cells split by tabs, as rag.ingest reads tables) as it reads under its
        header: "病种：糖尿病；起付线：0；比例：60%" for the row "糖尿病 | 0 | 60%" under
        "病种 | 起付线 | 比例". Indexed beside the row, whose cells alone say little. '' for a
        paragraph that is not such a row, or whose table has no header of its width."""
        cells = self._by_id[pid].text.split("\t")
        header = self._headers.get(pid, ())
        if len(cells) < 3 or len(header) != len(cells):
            return ""
        return "；".join(f"{h.strip()}：{c.strip()}" for h, c in zip(header, cells) if c.strip())

    def body(self) -> tuple[Paragraph, ...]:
        """Paragraphs of the sections, without the header."""
        return tuple(p for p in self.paragraphs if p.section > 0)


@dataclass(frozen=True)
class Checklist:
    """A list under a subsection's heading, each item one short line (Document.checklist)."""

    heading: str  # "（一）必需材料"
    texts: tuple[str, ...]  # each item as quoted: "1.《企业职工基本养老保险待遇申报表》。"
    paragraphs: tuple[Paragraph, ...]  # each item's paragraph (item 1's holds the heading too)
    notes: tuple[tuple[str, Paragraph], ...] = ()  # (item id, a note on it: "填报须知：…")


@dataclass(frozen=True)
class Hit:
    """A retrieved paragraph with its fused score and the signals behind it."""

    paragraph: Paragraph
    score: float
    dense: float = 0.0
    lexical: float = 0.0


@dataclass(frozen=True)
class Citation:
    id: str
    section: str  # the section title, in the answer's language
    text: str  # the whole original paragraph
    score: float | None  # the retrieval score; None when cited for the document's structure
    translation: str = ""  # the English rendering, when the answer is in English
    used: tuple[str, ...] = ()  # sentences quoted in the answer (from `translation` if set)
    document: str = ""  # the library key of the document it is from
    machine: bool = False  # `translation` is a machine translation


@dataclass(frozen=True)
class Answer:
    question: str
    language: Lang
    text: str
    abstained: bool
    citations: tuple[Citation, ...]
    message: str = ""  # set when the question itself was rejected (empty, too long, ...)
    # How sure retrieval is that the document covers the question (0-1): which of several
    # documents answers. Not part of the JSON.
    support: float = 0.0
    mode: str = "extractive"  # or "generated": written by a generator, each sentence verified
    checks: tuple = ()  # rag.verify.Check for each generated sentence, kept or dropped
    note: str = ""  # why a generated answer fell back to the extractive one
    searched_as: str = ""  # an English question's Chinese rendering, searched too (rag.translate)
    # A refusal's: how close the document came (Engine.closeness of the paragraphs it found
    # nearest, -1 where none). A library weighs an answer of another document against it. Not in the JSON.
    nearness: float = -1.0
    # A library's refusal: the document that came nearest (its topics are offered next). Not in the JSON.
    nearest: str = ""

    @property
    def from_structure(self) -> bool:
        """Answered from the document's own structure (a header field, a named article), not
        ranked by retrieval: every citation unscored."""
        return bool(self.citations) and all(c.score is None for c in self.citations)

    def to_json(self) -> dict:
        out = {
            "question": self.question,
            "language": self.language,
            "answer": self.text,
            "abstained": self.abstained,
            "citations": [
                {"id": c.id, "section": c.section, "text": c.text, "score": None if c.score is None else round(c.score, 4)}
                | ({"translation": c.translation} if c.translation else {})
                | ({"document": c.document} if c.document else {})
                | ({"machine_translation": True} if c.machine and c.translation else {})
                for c in self.citations
            ],
        }
        out["mode"] = self.mode
        if self.checks:
            out["sentences"] = [{"text": c.sentence, "cites": list(c.cites), "supported": c.supported,
                                 "reason": c.reason.value} for c in self.checks]
        if self.searched_as:
            out["searched_as"] = self.searched_as
        if self.message:
            out["error"] = self.message
        return out
