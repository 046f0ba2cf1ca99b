"""Compose an extractive answer: the document's own sentences, each with its citation.

Only the fixed phrases below are written around the quoted sentences, so an answer never
says anything the document does not.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Sequence

import numpy as np

from .bridge import title_gloss
from .document import (Answer, Checklist, Citation, Document, Hit, Lang, Paragraph, bare_title, closed_heading,
                       numbered, topic_of)
from .figures import figures_en
from .meta import names_document
from .qtype import expected_type, rules
from .retrieve import Reason
from .text import HAN_CHAR, en_tokens, split_sentences, zh_tokens

# How an answer names its source, by the document's kind (parse._kind).
_KIND_EN = {"interview": "the interview", "Q&A": "the Q&A", "article": "the article", "notice": "the notice",
            "opinion": "the opinion", "measures": "the measures", "regulations": "the regulations",
            "provisions": "the provisions", "rules": "the rules", "decision": "the decision", "plan": "the plan",
            "announcement": "the announcement", "guidelines": "the guidelines",
            "procedure": "the procedure", "law": "the law",
            "reply": "the reply", "letter": "the letter"}
_KIND_ZH = {"interview": "访谈原文", "Q&A": "该问答", "article": "原文", "notice": "该通知", "opinion": "该意见",
            "measures": "该办法", "regulations": "该条例", "provisions": "该规定", "rules": "该细则", "decision": "该决定",
            "plan": "该方案", "announcement": "该公告", "guidelines": "该指南",
            "procedure": "该规程", "law": "该法", "reply": "该批复", "letter": "该复函"}
LEAD = {"en": "According to {kind}:", "zh": "根据{kind}："}
# An English question on a document without an English edition: said plainly, never silently Chinese.
# The note comes first, the quote next, its key terms glossed last: the answer is not pushed
# down by a line of glosses.
NO_EDITION = "This document has no English edition, so the answer quotes the Chinese original."
GLOSSES = "Key terms (dictionary glosses): {terms}."
FIGURES = "Figures in the quote: {figures}."


def lead_in(lang: Lang, kind: str = "interview") -> str:
    """'According to the notice:' / '根据该通知：', by the document's kind."""
    names = _KIND_EN if lang == "en" else _KIND_ZH
    return LEAD[lang].format(kind=names.get(kind, names["article"]))
NOT_COVERED = {
    "en": "{why}, so I cannot answer it from the source. It covers: {topics}.",
    "zh": "{why}，无法依据原文回答。文件涉及的内容有：{topics}。",
}
# Why, by the reason of the decision (rag.retrieve.answerability): where an answer-type rule
# decided, what the question asks for that the paragraphs nearest to it do not give; the plain
# reason otherwise.
_NEAREST = {"en": "The document does not cover this question: the paragraphs nearest to it ",
            "zh": "文件没有涉及这个问题：与之最接近的段落"}
WHY_NOT_COVERED = {
    Reason.OUT_OF_SCOPE: {"en": "The document does not cover this question", "zh": "文件没有涉及这个问题"},
    Reason.FIGURE: {"en": _NEAREST["en"] + "give no such figure", "zh": _NEAREST["zh"] + "没有给出所问的数字"},
    Reason.PEOPLE: {"en": _NEAREST["en"] + "do not speak of foreign nationals or of residents of Hong Kong, Macao "
                          "and Taiwan", "zh": _NEAREST["zh"] + "没有谈及外籍人员或港澳台居民"},
    Reason.PLACES: {"en": _NEAREST["en"] + "name no provinces or cities", "zh": _NEAREST["zh"] + "没有列出省份或城市"},
    Reason.LOCAL: {"en": "The document does not cover this question: it never names the place asked about, and such "
                         "figures are set locally", "zh": "文件没有涉及这个问题：文件没有提到所问的地区，而这类标准由各地自行确定"},
    Reason.BRANCH: {"en": "The document does not cover this question: it never speaks of the kind of insurance, benefit, "
                          "leave or tax asked about", "zh": "文件没有涉及这个问题：文件没有提到所问的险种、待遇、假期或税收"},
    Reason.NOT_STATED: {"en": _NEAREST["en"] + "do not state what it asks (checked by the local model)",
                        "zh": _NEAREST["zh"] + "没有说明所问的内容（经本地模型核对）"},
}
_PREFIX = re.compile(r"^(答|问|A|Q)\s*[：:]\s*")
_TURNS = {"zh": ("问：", "答："), "en": ("Q: ", "A: ")}  # a question turn quoted before its reply
_SPEAKER = re.compile(r"^[^：:。？！?!\s]{1,8}\s*[：:]\s*")  # "提问：", "王静：", "Q:"
# The lead sentence of a numbered measure ("一是进一步扩大社会保险覆盖面。", "First, further
# expand social insurance coverage.") names it; the sentences after it say what it is.
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]是|(?:First|Second|Third|Fourth|Fifth|Sixth),)")
MAX_SENTENCES = 4
WINDOW = 0.12  # a sentence is quoted when its score comes within this of the best one's
# A sentence loses this times its paragraph's retrieval score below the top one: retrieval
# weighs far more evidence than one sentence's similarity, so the answer leads with the top
# paragraph. Chosen with bench/answer_sentences.py over all five evaluation files: the share
# of answers whose sentences all come from a gold paragraph is 0.67 with none, 0.87 at 0.5 and
# 0.89 at 1.0; the first sentence's share rises from 0.90 to 0.93 at 0.5 and stays there.
GAP_WEIGHT = 1.0
FIGURE_WEIGHT = 0.1  # a sentence stating a figure of the type asked for
# A sentence whose clauses a semicolon separates is quoted whole up to this length: its first
# clause alone ("满1年不满2年的，期限为2个月；") can say the opposite of the rule it opens. A longer
# one (a list run into one sentence) is quoted by the clause that answers.
MAX_WHOLE = {"zh": 150, "en": 450}
# The top paragraph is quoted whole up to this length, when a sentence of it is chosen: its
# sentences are short enough to read together, and the one that answers ("…不得超过1个月。",
# "补贴所需资金从…列支。") often follows the one that shares the question's words. Chosen over
# 120, 200 and 300 with the "quotes gold" column of bench/documents.py: 200 gained on ten
# documents and lost on none; 300 gained on three more at a longer answer (median 220 → 229
# characters at 200, 248 at 300).
SHORT_PARAGRAPH = {"zh": 200, "en": 600}
SHORT_SENTENCES = 3  # and of this many sentences at most: an interview's answer of five stays focused


OVERVIEW_LEAD = {"en": "{Kind} is in {n} parts:", "zh": "{kind}分为{n}个部分："}


def overview(question: str, lang: Lang, doc: Document) -> Answer:
    """What the article is about as a whole: its section titles, each citing the paragraph
    where the section's answer begins."""
    lines, citations = [], []
    for sec in doc.sections:
        paras = [p for p in doc.paragraphs if p.section == sec.number]
        first = next((p for p in paras if p.role != "question"), paras[0] if paras else None)
        if first is None:
            continue
        title = sec.title_en if lang == "en" and sec.title_en else sec.title
        lines.append(f"{len(lines) + 1}. {title}[{first.id}]")
        lead = split_sentences(first.text_in(lang))[:1]
        citations.append(Citation(id=first.id, section=first.title_in(lang), text=first.text, score=None,
                                  translation=first.en if lang == "en" and first.en else "", used=tuple(lead)))
    if not lines:
        return abstain(question, lang, doc)
    kind = doc.metadata.kind or "article"
    name = (_KIND_EN if lang == "en" else _KIND_ZH).get(kind, "原文" if lang == "zh" else "the article")
    parts = OVERVIEW_LEAD[lang].format(n=len(lines), Kind=name[:1].upper() + name[1:], kind=name.removeprefix("该").removesuffix("原文") or "全文")
    text = lead_in(lang, kind) + "\n" + parts + "\n" + "\n".join(lines)
    return Answer(question, lang, text, False, tuple(citations))


MAX_ARTICLE_PARAGRAPHS = 12  # an article longer than this is quoted up to here; its citation opens the rest


# A document's number asked for, said first: the line holding it is a whole title.
NUMBER_LINE = {"en": "Document number: {number}", "zh": "文号：{number}"}


def verbatim(question: str, lang: Lang, doc: Document, paragraphs: Sequence[Paragraph], gloss=None,
             number: bool = False) -> Answer:
    """Paragraphs quoted whole, in the document's order, each cited; the citations in the order
    given (the closest to the question first). For a question naming one of the document's
    articles ("What does Article 24 say?"), and one asking for a field of its header (its
    issuers, on as many signature lines as there are issuers). `number`: the question asks for
    the document's number, said first where a quoted line holds it. `gloss` as for compose."""
    cited = tuple(paragraphs[:MAX_ARTICLE_PARAGRAPHS])
    shown = tuple(sorted(cited, key=lambda p: doc.paragraphs.index(p)))
    lines = [f"{_PREFIX.sub('', p.text_in(lang))}[{p.id}]" for p in shown]
    held = next((p for p in cited if doc.metadata.number and doc.metadata.number in p.text), None) if number else None
    if held is not None and held.text.strip() != doc.metadata.number:
        lines.insert(0, NUMBER_LINE[lang].format(number=doc.metadata.number) + f"[{held.id}]")
    text = lead_in(lang, doc.metadata.kind or "article") + "\n" + "\n".join(lines)
    if lang == "en" and not any(p.en for p in shown):
        text = untranslated_answer(text, [p.text for p in shown], gloss)
    citations = tuple(Citation(id=p.id, section=p.title_in(lang), text=p.text, score=None,
                               translation=p.en if lang == "en" and p.en else "", machine=p.en_machine,
                               used=(p.text_in(lang),)) for p in cited)
    return Answer(question, lang, text, False, citations)


# A message of several questions (rag.parts): each under its own line, in quotes, and a part the
# document does not cover said so in one line, citing nothing.
PART_LINE = "“{part}”"
PART_NOT_COVERED = {"en": "The document does not cover this part of the question.", "zh": "文件没有涉及这一问。"}


def in_parts(question: str, lang: Lang, parts: Sequence[str], answers: Sequence[Answer],
             sources: Sequence[str] = (), not_covered: dict[str, str] = PART_NOT_COVERED) -> Answer:
    """One answer of each part's own, in order; the citations each part's best first, then each
    one's second, and so on, a paragraph once (with the sentences quoted from it for any part).
    `sources`: a line naming each part's document, where the parts come from several."""
    texts = [not_covered[lang] if a.abstained else a.text for a in answers]
    # Said once, above the parts; of several documents, by each part for its own.
    noted = texts if sources else [t.removeprefix(NO_EDITION + "\n") for t in texts]
    named = [f"{s}\n" if s and not a.abstained else "" for s, a in zip(sources or [""] * len(answers), answers)]
    blocks = ([NO_EDITION] if noted != texts else []) + [
        PART_LINE.format(part=part) + "\n" + source + text for part, source, text in zip(parts, named, noted)]
    answered = [a for a in answers if not a.abstained]
    cited: dict[str, Citation] = {}
    for rank in range(max(len(a.citations) for a in answered)):
        for c in (a.citations[rank] for a in answered if rank < len(a.citations)):
            had = cited.get(c.id)
            cited[c.id] = replace(had, used=tuple(dict.fromkeys(had.used + c.used))) if had else c
    return Answer(question, lang, "\n\n".join(blocks), False, tuple(cited.values()),
                  support=max(a.support for a in answered),
                  mode="generated" if any(a.mode == "generated" for a in answered) else "extractive",
                  checks=tuple(c for a in answered for c in a.checks),
                  note=next((a.note for a in answered if a.note), ""),
                  searched_as="; ".join(a.searched_as for a in answered if a.searched_as))


TOPICS_SHOWN = 6  # section titles a refusal lists; a Q&A of sixteen questions is not listed whole
_MORE_TOPICS = {"en": "; and {n} more", "zh": "等，另有{n}项"}


UNMENTIONED = {"en": "The document does not mention {names}: what follows is the document's own text.",
               "zh": "文件中没有提到{names}，以下是该文件本身的内容。"}


def noting_unmentioned(answer: Answer, names: Sequence[str], english: Sequence[str] = ()) -> Answer:
    """An answer whose question names texts (in 《》, or laws in English) the document never
    mentions, opening with a line saying so: the quote is this document's rule, not the named
    text's."""
    if not (names or english) or answer.abstained or answer.message:
        return answer
    shown = [f"《{n}》" for n in names] + [n if re.search(r"['’]s\b", n) else f"the {n}" for n in english]
    line = UNMENTIONED[answer.language].format(names=("、" if answer.language == "zh" else " or ").join(shown))
    return replace(answer, text=line + "\n" + answer.text)


def not_covered(doc: Document, lang: Lang, reason: Reason = Reason.OUT_OF_SCOPE) -> str:
    sep = "; " if lang == "en" else "；"
    titled = [s for s in doc.sections if s.title or s.title_en]
    titles = [t for s in titled if (t := topic_name(s.title, s.title_en, lang))]
    if len(titles) * 2 < len(titled) and doc.metadata.title:
        titles = [f"《{doc.metadata.title}》"]  # numbered paragraphs more than headings: the document is the topic
    titles = list(dict.fromkeys(titles))  # two guides in one file: "办理条件" once
    more = len(titles) - TOPICS_SHOWN
    topics = sep.join(titles[:TOPICS_SHOWN]) + (_MORE_TOPICS[lang].format(n=more) if more > 0 else "")
    why = WHY_NOT_COVERED.get(reason, WHY_NOT_COVERED[Reason.OUT_OF_SCOPE])[lang]
    return NOT_COVERED[lang].format(why=why, topics=topics)


def topic_name(title: str, title_en: str, lang: Lang) -> str:
    """A section named in a refusal: "processing time (办理时限)" where it has the field's
    English (section_name), else its title; "" where the title is no heading."""
    bare, gloss = section_name(title, title_en, lang)
    return f"{gloss} ({bare})" if gloss else bare


def section_name(title: str, title_en: str, lang: Lang) -> tuple[str, str]:
    """A section as a refusal or a follow-up names it: its title without its number (in English,
    its English edition's), and for an English reader of a Chinese title the field's English for
    it where there is one (rag.bridge.title_gloss), else ""; ("", "") where the title is no
    heading (rag.document.topic_of)."""
    if title and not topic_of(title):
        return "", ""
    if lang == "en" and title_en:
        return bare_title(title_en), ""
    bare = bare_title(title)
    return bare, title_gloss(bare) if lang == "en" else ""


def abstain(question: str, lang: Lang, doc: Document, reason: Reason = Reason.OUT_OF_SCOPE) -> Answer:
    """The "not covered" answer, saying why: the reason of retrieval's decision."""
    return Answer(question, lang, not_covered(doc, lang, reason), True, ())


@lru_cache(maxsize=8192)
def _sentence_tokens(sentence: str, lang: Lang) -> frozenset[str]:
    """Document sentences recur across questions: tokenize each once."""
    return frozenset(zh_tokens(sentence) if lang == "zh" else en_tokens(sentence))


def _overlap(question_tokens: set[str], sentence: str, lang: Lang) -> float:
    return len(question_tokens & _sentence_tokens(sentence, lang)) / max(1, len(question_tokens))


Candidate = tuple[int, int, str]  # (hit rank, sentence position in its paragraph, sentence)


def compose(question: str, lang: Lang, hits: tuple[Hit, ...], sentence_scores,
            expansions: tuple[str, ...] = (), kind: str = "interview", gloss=None, lead_of=None,
            items_of=None, checklist=None, question_of=None) -> Answer:
    """Pick the sentences that best answer `question` from the retrieved paragraphs.

    `sentence_scores(texts) -> np.ndarray` gives each candidate sentence's similarity to the
    question; it is passed in so this stays a pure function of its inputs. `expansions` are
    the document's words for the question's everyday ones; they count as question words.
    `kind` names the source in the lead ("According to the notice:"). `gloss(texts)` gives
    (Chinese term, English) pairs for an English answer quoting a document with no English
    edition. `lead_of(id)` gives a numbered item's lead paragraph (Document.lead_of): a quoted
    item ("（四）出境定居的；") comes after the sentence that says what its list is. `items_of(id)`
    gives a lead's items (Document.items_of): a quoted lead ("应当提交下列材料：") is followed by
    its list, each item cited after it, since the list is what it says. `checklist(id)` gives
    the list under a subsection's heading that a paragraph is part of, when its items are short
    lines (Document.checklist): what to bring is answered by the whole list, one item a line.
    `question_of(id)` gives an answer turn's question (Document.question_of): a reply quoted
    from its verdict ("答：不能。…") comes after the question it answers, which says to what.
    """
    tok = zh_tokens if lang == "zh" else en_tokens
    qtok = set(tok(question)) | {t for e in expansions for t in tok(e)}
    candidates = _candidates(hits, lang, headers=hits[0].paragraph.role == "header" or names_document(question))
    if not candidates:
        return Answer(question, lang, "", True, ())
    sims = np.asarray(sentence_scores([c[2] for c in candidates]), dtype=np.float32)
    top = hits[0].score
    asked = expected_type(question)  # "最长能休多久" is answered by the sentence stating a period
    scores = np.array(
        [sims[i] + 0.3 * _overlap(qtok, c[2], lang) - 0.03 * c[0] - GAP_WEIGHT * (top - hits[c[0]].score)
         + (FIGURE_WEIGHT if asked and rules(c[2], asked, question) else 0.0)
         for i, c in enumerate(candidates)]
    )
    chosen = _with_headed(_with_top(_choose(candidates, scores), candidates, scores), candidates)
    chosen = _in_reading_order(_without_gaps(_whole_if_short(chosen, candidates), candidates))
    leads = _verdicts_asked(chosen, hits, question_of) | _leads(chosen, hits, lead_of)  # a list's lead wins
    lists = _lists(chosen, hits, lang, items_of, leads)
    checklists = _checklists(chosen, hits, checklist)
    text, used = _quoted(chosen, hits, lang, kind, gloss, leads, lists, checklists)
    # The retrieved paragraphs, closest first, then those quoted for the document's structure:
    # a lead's items, an item's lead, a checklist's items.
    cited = {h.paragraph.id: h for h in hits}
    structure = [q for items in lists.values() for q in items] + list(leads.values())
    shown = [q for c in checklists.values() for q in c.paragraphs + tuple(n for _, n in c.notes) if q.id in used]
    for p in structure + shown:
        cited.setdefault(p.id, Hit(p, hits[-1].score))
    scored = frozenset(h.paragraph.id for h in hits)
    return Answer(question, lang, text, False, _citations(tuple(cited.values()), lang, used, scored))


MAX_ITEMS = 16  # a lead's items (and their sub-items) quoted after it; a longer list is cut, with "…"


# A lead whose items all hold at once ("同时符合下列条件的", "应当具备以下条件："): quoting some of
# them would read as if those were all. Not one of the cases each apart ("有下列情形之一的").
_ALL_HOLD = re.compile(r"同时|条件")


def _lists(chosen: list[Candidate], hits: tuple[Hit, ...], lang: Lang, items_of,
           leads: dict[int, Paragraph]) -> dict[str, tuple[Paragraph, ...]]:
    """{lead id: its items}, for each list quoted whole: the list of a chosen sentence that ends
    a lead, and that of a lead quoted before its item (`leads`) when its items all hold at once
    or two of them were chosen."""
    out: dict[str, tuple[Paragraph, ...]] = {}
    if not items_of:
        return out
    for rank, _, s in chosen:
        p = hits[rank].paragraph
        if p.id not in out and s == _last_sentence(p, lang) and (items := items_of(p.id)):
            out[p.id] = _nested(items, items_of)
    picked = {hits[rank].paragraph.id for rank, _, _ in chosen}
    for lead in leads.values():
        items = items_of(lead.id)
        all_hold = _ALL_HOLD.search(lead.text) and "之一" not in lead.text
        if lead.id not in out and items and (all_hold or sum(q.id in picked for q in items) >= 2):
            out[lead.id] = _nested(items, items_of)
    return out


def _nested(items: tuple[Paragraph, ...], items_of) -> tuple[Paragraph, ...]:
    """A list's items with the sub-items of those that lead their own ("（二）非因本人意愿中断
    就业的，包括以下情形：" and its 1.–5.), in the document's order: an item ending in "：" with
    nothing after it reads as cut short."""
    out: list[Paragraph] = []
    for item in items:
        out.append(item)
        out.extend(q for q in _nested(items_of(item.id), items_of) if q not in out)
    return tuple(out)


def _item_lines(items: tuple[Paragraph, ...], lang: Lang, used: dict[str, list[str]]) -> list[str]:
    """A list's items not quoted yet, one a line, each cited; a long list cut with "…"."""
    lines = []
    for item in items[:MAX_ITEMS]:
        if item.id not in used:
            said = item.text_in(lang)
            used[item.id] = [said]
            lines.append(f"\n{said}[{item.id}]")
    return lines + (["…"] if len(items) > MAX_ITEMS else [])


def _checklists(chosen: list[Candidate], hits: tuple[Hit, ...], checklist) -> dict[int, Checklist]:
    """{rank of the first chosen sentence in a checklist (an item's or a note's): the checklist}."""
    out: dict[int, Checklist] = {}
    seen: set[str] = set()
    for rank, _, _ in chosen:
        found = checklist(hits[rank].paragraph.id) if checklist else None
        if found is not None and found.paragraphs[0].id not in seen:
            seen.add(found.paragraphs[0].id)
            out[rank] = found
    return out


def _checklist_lines(found: Checklist, lang: Lang, used: dict[str, list[str]], first: bool,
                     picked: set[str]) -> list[str]:
    """A checklist as the answer's lines: its heading (on a line of its own unless it opens the
    answer), then each item with its citation, and under an item the notes on it that were
    picked (a note's "此表" is that item's form). In an English edition the heading is in its
    first paragraph's rendering."""
    english = lang == "en" and all(p.en for p in found.paragraphs)
    lines = [] if english else [found.heading if first else "\n" + found.heading]
    for p, text in zip(found.paragraphs, found.texts):
        for q, said in [(p, p.en if english else text)] + [(n, n.text_in(lang)) for on, n in found.notes
                                                             if on == p.id and n.id in picked]:
            used[q.id] = [said]
            lines.append(f"\n{said}[{q.id}]")
    return lines


def _last_sentence(p: Paragraph, lang: Lang) -> str:
    """The sentence of a list's lead that introduces the list ("…有下列情形之一的，可以提取…："). """
    text = p.text_in(lang)
    return (split_sentences(text) or [text])[-1]


def _leads(chosen: list[Candidate], hits: tuple[Hit, ...], lead_of) -> dict[int, Paragraph]:
    """The lead paragraph of each chosen item whose lead is not quoted already, by hit rank."""
    quoted = {hits[rank].paragraph.id for rank, _, _ in chosen}
    out: dict[int, Paragraph] = {}
    for rank in dict.fromkeys(rank for rank, _, _ in chosen):
        lead = lead_of(hits[rank].paragraph.id) if lead_of else None
        if lead is not None and lead.id not in quoted and lead.id not in {p.id for p in out.values()}:
            out[rank] = lead
    return out


MAX_GAP = 2  # sentences between two quoted ones of a paragraph, quoted too; a longer gap is marked "…"
# A reply's verdict, opening its paragraph: "答：没有。", "可以。", "不需要。", "No."
_VERDICT = re.compile(r"(?:[^：:。？！?!\s]{1,8}\s*[：:]\s*)?(?:是的?|不是|对|可以|不可以|不能|能|会|不会|有的?|没有|需要|不需要|不用|"
                      r"无需|必须|不必|否|不|Yes|No)[^\w]{0,2}", re.I)


SHORT_REPLY = {"zh": 60, "en": 180}  # a reply this short is a turn of a conversation: it needs its question


def _verdicts_asked(chosen: list[Candidate], hits: tuple[Hit, ...], question_of) -> dict[int, Paragraph]:
    """The question turn of each chosen reply quoted from its verdict ("没有。", "不能。"), or short
    ("王静：可以跟你一起迁过来。…"), by hit rank: such a reply alone reads as the answer to the user's
    question, whatever it was asked."""
    quoted = {hits[rank].paragraph.id for rank, _, _ in chosen}
    out: dict[int, Paragraph] = {}
    for rank, j, s in chosen:
        text = hits[rank].paragraph.text
        short = len(text) <= SHORT_REPLY[_script(text)] and not numbered(text)  # a list's item is no turn
        if j == 0 and question_of and (_VERDICT.fullmatch(s.strip()) or short):
            q = question_of(hits[rank].paragraph.id)
            if q is not None and q.id not in quoted:
                out[rank] = q
    return out


def _candidates(hits: tuple[Hit, ...], lang: Lang, headers: bool = True) -> list[Candidate]:
    """The sentences that may answer: not a reporter's question when an answer was retrieved,
    nor a header line unless `headers` (the question is about the document), nor the heading
    of a measure other than the top paragraph's."""
    out: list[Candidate] = []
    for rank, h in enumerate(hits):
        p = h.paragraph
        if p.role == "question" and any(x.paragraph.role != "question" for x in hits):
            continue  # a question turn restates, it does not answer
        if p.role == "header" and not headers:
            continue  # a title line, a date line: no answer to a question about the body
        for j, s in enumerate(_units(p.text_in(lang))):
            if rank > 0 and _HEADING.match(s):
                continue  # another paragraph's heading matches by its generic words alone
            out.append((rank, j, s))
    return out


def _units(text: str) -> list[str]:
    """The paragraph's sentences, each whole if short, else by its semicolon clauses."""
    script = _script(text)
    out: list[str] = []
    clauses: list[str] = []
    for clause in split_sentences(text):
        clauses.append(clause)
        if clause[-1] not in "；;":
            whole = ("" if script == "zh" else " ").join(clauses)
            out += [whole] if len(whole) <= MAX_WHOLE[script] else clauses
            clauses = []
    return out + clauses


def _script(text: str) -> Lang:
    """The language a quoted text is in (an English question quotes Chinese where there is no
    edition): lengths are limited by it."""
    return "zh" if HAN_CHAR.search(text) else "en"


def _choose(candidates: list[Candidate], scores: np.ndarray) -> list[Candidate]:
    """Up to MAX_SENTENCES sentences scoring near the best, a measure's heading with what follows it."""
    best = float(scores.max())
    order = [i for i in np.argsort(-scores, kind="stable") if scores[i] >= best - WINDOW][:MAX_SENTENCES]
    chosen: list[Candidate] = []
    for i in order:
        rank, j, s = candidates[i]
        if candidates[i] in chosen:
            continue
        chosen.append(candidates[i])
        if _HEADING.match(s) and not any(candidates[k][0] == rank and candidates[k][1] > j for k in order):
            # A measure's heading alone says little: what follows it in the paragraph answers,
            # unless a sentence after it is chosen on its own merits: then the rest is not needed.
            rest = [c for c in candidates if c[0] == rank and c[1] > j and c not in chosen]
            chosen.extend(rest[: max(0, MAX_SENTENCES - len(chosen))])
        if len(chosen) >= MAX_SENTENCES:
            break
    return chosen


def _with_top(chosen: list[Candidate], candidates: list[Candidate], scores: np.ndarray) -> list[Candidate]:
    """The answer quotes the paragraph retrieval ranked first, which its citations list first:
    where no sentence of it was chosen, its best sentence leads (a list's item, "（六）在上下班
    途中，受到…交通事故…的；", is less like the question than another article's sentence)."""
    top = [i for i, c in enumerate(candidates) if c[0] == 0]
    if not top or any(c[0] == 0 for c in chosen):
        return chosen
    best = max(top, key=lambda i: scores[i])
    return [candidates[best]] + chosen[: MAX_SENTENCES - 1]


def _with_headed(chosen: list[Candidate], candidates: list[Candidate]) -> list[Candidate]:
    """A short numbered phrase closed by "。" is quoted with the sentence after it in its paragraph:
    a heading glued over the paragraph ("（六）统一基金管理。") answers nothing alone, and a short
    item's next sentence ("（三）本通知自印发之日起实施。" before what it repeals) is of a piece with it."""
    out = list(chosen)
    for c in chosen:
        rank, j, s = c
        after = next((d for d in candidates if d[0] == rank and d[1] == j + 1), None)
        if closed_heading(s) and after is not None and after not in out:
            out.insert(out.index(c) + 1, after)
    return out


def _whole_if_short(chosen: list[Candidate], candidates: list[Candidate]) -> list[Candidate]:
    """All of the top paragraph's sentences first, when one of them is chosen and together they
    are short (SHORT_PARAGRAPH, SHORT_SENTENCES), then the other paragraphs' chosen sentences as
    room allows."""
    top = [c for c in candidates if c[0] == 0]
    text = "".join(c[2] for c in top)
    if (not any(c[0] == 0 for c in chosen) or len(top) > SHORT_SENTENCES
            or len(text) > SHORT_PARAGRAPH[_script(text)]):
        return chosen
    rest = [c for c in chosen if c[0] != 0]
    return top + rest[: max(0, MAX_SENTENCES - len(top))]


def _without_gaps(chosen: list[Candidate], candidates: list[Candidate]) -> list[Candidate]:
    """Each paragraph's quote without a short gap ("…年限。每满一年积3分。另外…" does not lose
    its middle sentence), and with the short sentence that opens it when that is a verdict
    ("答：没有。" before "但上级有政策调整时…")."""
    out = list(chosen)
    for rank in dict.fromkeys(c[0] for c in chosen):
        sentences = {c[1]: c for c in candidates if c[0] == rank}
        own = sorted(c[1] for c in chosen if c[0] == rank)
        if own[0] > 0 and 0 in sentences and _VERDICT.fullmatch(sentences[0][2].strip()):
            own.insert(0, 0)
        wanted = set(own) | {j for a, b in zip(own, own[1:]) if b - a - 1 <= MAX_GAP for j in range(a + 1, b)}
        out += [sentences[j] for j in sorted(wanted) if j in sentences and sentences[j] not in out]
    return out


def _in_reading_order(chosen: list[Candidate]) -> list[Candidate]:
    """Read as the document reads: each paragraph's sentences together and in their order,
    paragraphs in the order their best sentence was chosen."""
    first_pick: dict[int, int] = {}
    for n, (rank, _, _) in enumerate(chosen):
        first_pick.setdefault(rank, n)
    return sorted(chosen, key=lambda c: (first_pick[c[0]], c[1]))


_ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]是|(?:First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Finally|Lastly),\s*)")


def _unnumbered(sentence: str) -> str:
    """A measure's sentence without its place in a list ("三是", "Third,"), when it has more."""
    rest = _ENUMERATOR.sub("", sentence, count=1)
    if rest == sentence or len(rest) < 4:
        return sentence
    return rest[:1].upper() + rest[1:]


def _quoted(chosen: list[Candidate], hits: tuple[Hit, ...], lang: Lang, kind: str,
            gloss, leads: dict[int, Paragraph] | None = None,
            lists: dict[str, tuple[Paragraph, ...]] | None = None,
            checklists: dict[int, Checklist] | None = None) -> tuple[str, dict[str, list[str]]]:
    """The answer's text (lead, then each sentence with its citation), and the sentences used
    from each paragraph. An English answer quoting Chinese says why, with glossed key terms.
    An item's list lead (`leads`, by hit rank) is quoted before the item's first sentence; a
    lead's items (`lists`, by lead id) after the lead; a checklist (`checklists`, by hit rank)
    whole, where its first chosen sentence was."""
    used: dict[str, list[str]] = {}
    parts = []
    pending = dict(checklists or {})
    listed = {q.id for c in pending.values() for q in c.paragraphs + tuple(n for _, n in c.notes)}
    picked = {hits[rank].paragraph.id for rank, _, _ in chosen}
    for n, (rank, j, s) in enumerate(chosen):
        pid = hits[rank].paragraph.id
        if rank in pending:
            parts += _checklist_lines(pending.pop(rank), lang, used, not parts, picked)
            continue
        if pid in listed:
            continue  # quoted with its checklist or its list
        replies = ""
        if (lead := (leads or {}).get(rank)) is not None and lead.id not in used:
            if lead.role == "question":  # the question a reply answers, whole, as the document asks it
                said = lead.text_in(lang)
                asked, replies = _TURNS[_script(said)]
                parts.append(f"{asked}{bare_title(_SPEAKER.sub('', said))}[{lead.id}]")
                replies = "" if _SPEAKER.match(s) and not _PREFIX.match(s) else replies  # "王静：…" says who
            else:  # the sentence of a list's lead that says what its list is
                said = _last_sentence(lead, lang)
                parts.append(f"{_PREFIX.sub('', said)}[{lead.id}]")
            used[lead.id] = [said]
            if lead.id in (lists or {}):  # the whole list, this item in its place
                parts += _item_lines(lists[lead.id], lang, used)
                listed |= {q.id for q in lists[lead.id]}
                continue
        shown = _PREFIX.sub("", s)
        if n and chosen[n - 1][0] == rank and chosen[n - 1][1] < j - 1 and pid in used:
            shown = "…" + shown  # a longer gap in the paragraph's quote, marked
        used.setdefault(pid, []).append(s)
        if n == 0:  # "三是加强…" / "Third, strengthen…" cannot open an answer: the list is not there
            shown = _unnumbered(shown)
        parts.append(f"{replies}{shown}[{pid}]")
        if s == _last_sentence(hits[rank].paragraph, lang) and pid in (lists or {}):
            parts += _item_lines(lists[pid], lang, used)  # a list reads one item a line
            listed |= {q.id for q in lists[pid]}
    untranslated = lang == "en" and not any(h.paragraph.en for h in hits)
    sep = "" if untranslated or lang == "zh" else " "
    text = lead_in(lang, kind) + "\n" + _joined(parts, sep, by_paragraph=not sep)
    if untranslated:
        text = untranslated_answer(text, [c[2] for c in chosen], gloss)
    return text, used


def _joined(parts: list[str], sep: str, by_paragraph: bool = False) -> str:
    """The answer's parts run together, except that a list's lines ("\n…") each keep a line of
    their own and what follows a list starts a new paragraph; `by_paragraph`, a part quoting
    another paragraph than the part before starts a new paragraph too, or a line where it opens
    with its number (a Chinese quote, where "…可以参加。九、参保人…" would read as one paragraph)."""
    out = ""
    for i, part in enumerate(parts):
        before = parts[i - 1] if i else ""
        if not i or part.startswith("\n"):
            glue = ""
        elif (before.startswith("\n") or before == "…") and part != "…":
            glue = "\n\n"  # after a list
        elif by_paragraph and "…" not in (part, before) and _MARKED.search(part)[1] != _MARKED.search(before)[1]:
            glue = "\n" if numbered(part) or before.startswith(tuple(q for q, _ in _TURNS.values())) else "\n\n"
        else:
            glue = sep
        out += glue + part
    return out


_MARKED = re.compile(r"\[([^\]]*)\]$|$")  # the paragraph a part quotes, by its closing citation mark


def untranslated_answer(text: str, quoted: list[str], gloss) -> str:
    """An English answer quoting a document with no English edition: first that it quotes the
    Chinese, then the quote, then the figures it states in English (dates, sums, periods), then
    the key terms of what it quotes, glossed."""
    figures = figures_en(quoted)
    terms = gloss(quoted) if gloss else ()
    stated = "\n" + FIGURES.format(figures="; ".join(figures)) if figures else ""
    glosses = "\n" + GLOSSES.format(terms="; ".join(f"{zh} ({en})" for zh, en in terms)) if terms else ""
    return NO_EDITION + "\n" + text + stated + glosses


def _citations(hits: tuple[Hit, ...], lang: Lang, used: dict[str, list[str]],
               scored: frozenset[str] | None = None) -> tuple[Citation, ...]:
    """A citation per hit; those not in `scored` (ids) are cited for the document's structure."""
    return tuple(
        Citation(
            id=h.paragraph.id,
            section=h.paragraph.title_in(lang),
            text=h.paragraph.text,
            score=h.score if scored is None or h.paragraph.id in scored else None,
            translation=h.paragraph.en if lang == "en" and h.paragraph.en else "", machine=h.paragraph.en_machine,
            used=tuple(used.get(h.paragraph.id, ())),
        )
        for i, h in enumerate(hits)
    )
