"""One way of showing answers and citations, as plain text (CLI) and as escaped HTML (web)."""

from __future__ import annotations

import html
import re
import textwrap
import unicodedata
from urllib.parse import quote as quote_url

from .document import Answer, Paragraph
from .text import HAN_CHAR

_MARK = re.compile(r"\[((?:[a-z0-9][a-z0-9-]{0,23} )?§\d+\.\d+)\]")


# What a line may not break inside (a figure, a word: "3.5%", "〔2017〕") or start with (closing
# punctuation, which hangs at the end of the line before instead).
_UNBROKEN = re.compile(r"[（《「『“‘〔【(]*(?:[A-Za-z0-9][A-Za-z0-9.,%％/:~\-–]*[〕）)]?|.)", re.S)
_CLOSING = frozenset("，。、；：？！）》」』”’％%〕】…,.;:?!)")


def _columns(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _wrap(text: str, width: int, indent: str) -> list[str]:
    """Wrap to a terminal width; Chinese characters take two columns. Chinese text breaks
    between characters, never inside a figure nor before closing punctuation."""
    if not HAN_CHAR.search(text):
        return textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent) or [indent]
    lines, line = [], ""
    for piece in _UNBROKEN.findall(text.replace("\n", " ")):
        if line and _columns(indent + line + piece) > width and piece[0] not in _CLOSING:
            lines.append(indent + line.rstrip())
            line = piece.lstrip()
        else:
            line += piece
    return lines + [indent + line.rstrip()] if line.strip() else lines or [indent]


def searched_as(a: Answer) -> str:
    """The line saying an English question was searched in Chinese too, and as what ('' if not)."""
    return f"Also searched in Chinese as “{a.searched_as}” (machine translation)." if a.searched_as else ""


def answer_text(a: Answer, width: int = 88, origin: str = "") -> str:
    """The answer for a terminal: its text, the documents it quotes (`origin`, in a library), then
    its numbered sources, each paragraph whole."""
    out = [marks_once(a.text), ""] + ([origin, ""] if origin else []) + ([searched_as(a), ""] if a.searched_as else [])
    if a.citations:
        out.append("Sources:" if a.language == "en" else "来源：")
        for n, c in enumerate(a.citations, start=1):
            out.append(f"[{n}] {c.id}  {c.section}" + ("  (machine translation)" if c.machine and c.translation else ""))
            for body in (c.translation, c.text) if c.translation else (c.text,):
                out.extend(_wrap(body, width, "    "))
    return "\n".join(out).rstrip() + "\n"


def marks_once(text: str) -> str:
    """A run of sentences from one paragraph with its citation once, after the last, as the web
    page shows it: "可以参加。[§3.1]按年缴费。[§3.1]" -> "可以参加。按年缴费。[§3.1]"."""
    marks = list(_MARK.finditer(text))
    out, pos = [], 0
    for m, after in zip(marks, marks[1:] + [None]):
        out.append(text[pos : m.start()])
        if not (after and after.group(1) == m.group(1) and "\n" not in text[m.end() : after.start()]):
            out.append(m.group(0))
        pos = m.end()
    return "".join(out) + text[pos:]


def paragraph_text(p: Paragraph, width: int = 88) -> str:
    lines = [f"{p.id}  ({p.role})"]
    for body in (p.text, p.en) if p.en else (p.text,):
        lines.extend(_wrap(body, width, "    "))
    return "\n".join(lines)


def cite_text(section_title: str, target: Paragraph, context: tuple[Paragraph, ...]) -> str:
    out = [f"{target.id} — {section_title}", ""]
    for p in context:
        mark = ">>" if p.id == target.id else "  "
        out.append(mark + " " + paragraph_text(p).replace("\n", "\n   "))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# -- HTML ------------------------------------------------------------------------------------
def esc(text: str) -> str:
    """Escaped for HTML; a table row's cells (split by tabs) shown apart, as HTML would run them
    together."""
    return html.escape(text or "", quote=True).replace("\t", " │ ")


def cite_link(pid: str) -> str:
    """A link that opens the paragraph in the lookup view (handled by the page's script)."""
    return f'<a class="cite" href="?cite={esc(cite_ref(pid))}" data-cite="{esc(pid)}">[{esc(pid)}]</a>'


def cite_ref(pid: str) -> str:
    """The id as a URL value: '§4.4' -> '4.4', 'notice §4.4' -> 'notice:4.4'."""
    key, _, local = pid.rpartition(" ")
    return f"{key}:{local[1:]}" if key else pid.lstrip("§")


def source_order(a: Answer) -> list:
    """The citations in the order the answer first cites them, then the others: source [1] is
    the paragraph the answer's first sentence comes from."""
    first = {pid: n for n, pid in enumerate(dict.fromkeys(_MARK.findall(a.text)))}
    return sorted(a.citations, key=lambda c: first.get(c.id, len(first)))


def marker(c, n: int, lang: str) -> str:
    """A numbered citation marker: a lookup link whose hover (the title) or keyboard focus (the
    page's style) shows a preview: the id, the section, the quoted sentence and, for an English
    answer, the Chinese original."""
    quote = c.used[0] if c.used else (c.translation or c.text)
    lines = [f"{c.id} · {c.section}", quote[:240]]
    if c.translation:
        lines.append(c.text[:120] + ("…" if len(c.text) > 120 else ""))
    # The preview is the link's title: the chat's sanitizer keeps title and href, nothing else.
    title = esc("\n".join(lines)).replace("\n", "&#10;")  # kept apart from the answer's own line breaks
    # Every sentence the answer quotes from the paragraph rides in the link (hl=…), so the
    # source panel can mark them all; a shared ?cite= address leaves them out.
    marks = "".join(f"&amp;hl={quote_url(s[:600])}" for s in c.used[:4])
    return (f'<a class="cite" href="?cite={esc(cite_ref(c.id))}{marks}" title="{title}">'
            f'[{n}]</a>')


# The answer's opening line names its source ("According to the notice:", "根据该通知："): the
# web view shows the source under the answer instead, so the first line is the answer itself
# (in an answer of several documents, each one's block is headed by its title).
_LEAD_LINE = re.compile(r"(?m)^(According to [^\n:]{1,40}:|根据[^\n：]{1,12}：)\n")


def answer_sentences(a: Answer, web: bool = False, fold: int = 0) -> list[str]:
    """The answer as escaped HTML pieces, one per sentence (or line), each with its numbered
    marker. A run of sentences from one paragraph carries its marker once, after the last, or
    after the last before `fold` (where the shown sentences end and the folded ones begin)."""
    text = _LEAD_LINE.sub("", a.text) if web else a.text
    number = {c.id: n for n, c in enumerate(source_order(a), start=1)}
    by_id = {c.id: c for c in a.citations}
    marks = list(_MARK.finditer(text))
    pieces, pos = [], 0
    for i, m in enumerate(marks):
        piece = esc(text[pos : m.start()])
        pos = m.end()
        pid = m.group(1)
        if not (i + 1 < len(marks) and marks[i + 1].group(1) == pid and i + 1 != fold):
            piece += marker(by_id[pid], number[pid], a.language) if pid in by_id else cite_link(pid)
        pieces.append(piece.replace("\n", "<br>"))
    if text[pos:].strip() or not pieces:
        pieces.append(esc(text[pos:]).replace("\n", "<br>"))
    return pieces


def answer_html(a: Answer) -> str:
    """The answer text, escaped, with numbered markers for its citations."""
    return "".join(answer_sentences(a))


def highlight(text: str, used: tuple[str, ...]) -> str:
    """Escaped text with the quoted sentences wrapped in <mark>."""
    spans = sorted({(text.find(s), len(s)) for s in used if s and text.find(s) >= 0})
    out, pos = [], 0
    for start, n in spans:
        if start < pos:
            continue
        out.append(esc(text[pos:start]))
        out.append("<mark>" + esc(text[start : start + n]) + "</mark>")
        pos = start + n
    out.append(esc(text[pos:]))
    return "".join(out)


def sources_html(a: Answer) -> str:
    """The sources, folded: one line each (number, id, section, the quoted sentence); the whole
    paragraph is one click away in the lookup view. No scores."""
    if not a.citations:
        return ""
    label = {"en": ("sources", "source", "machine translation"), "zh": ("个出处", "个出处", "机器翻译")}[a.language]
    items = []
    for n, c in enumerate(source_order(a), start=1):
        quote = " … ".join(c.used) if c.used else (c.translation or c.text)
        machine = f' <span class="lbl machine">{label[2]}</span>' if c.machine and c.translation else ""
        items.append(f'<li class="source">{marker(c, n, a.language)} {cite_link(c.id)} '
                     f'<span class="sec">{esc(c.section)}</span>{machine} '
                     f'<span class="quote">{esc(quote[:300])}</span></li>')
    count = len(items)
    summary = f"{count} {label[0] if count != 1 else label[1]}" if a.language == "en" else f"{count}{label[0]}"
    return f'<details class="sources"><summary>{esc(summary)}</summary><ol>{"".join(items)}</ol></details>'


# -- lookup view (web) -----------------------------------------------------------------------
from typing import TYPE_CHECKING  # noqa: E402  (kept with the functions it serves)

if TYPE_CHECKING:
    from .document import Document

_LOOKUP_LABELS = {
    "en": {"header": "Header", "english": "English rendering", "original": "Chinese original",
           "machine": "English (machine translation)",
           "roles": {"header": "header", "question": "question", "answer": "answer", "text": "text"}},
    "zh": {"header": "报头", "english": "英文译文", "original": "原文", "machine": "英文（机器翻译）",
           "roles": {"header": "报头", "question": "问", "answer": "答", "text": "正文"}},
}


def _section_heading(section: int, title: str, title_en: str, lang: str) -> str:
    """'§2 全力确保就业大局稳定' with the English title under it when there is one."""
    labels = _LOOKUP_LABELS[lang]
    if section == 0:
        return f'<span class="num">§0</span> {esc(labels["header"])}'
    en = f'<span class="title-en">{esc(title_en)}</span>' if title_en else ""
    return f'<span class="num">§{section}</span> {esc(title)}{en}'


def paragraph_html(p: Paragraph, lang: str, target: bool = False, used: tuple[str, ...] = ()) -> str:
    """One paragraph: its id link, role, original text and English rendering, all escaped; the
    sentences an answer quoted (`used`) are marked."""
    labels = _LOOKUP_LABELS[lang]
    cls = "para-view target" if target else "para-view"
    english = labels["machine"] if p.en_machine else labels["english"]
    en = (f'<div class="en"><span class="lbl">{esc(english)}:</span> {highlight(p.en, used)}</div>'
          if p.en else "")
    # Only a reporter's question is labelled: "answer" and "text" say nothing to a reader.
    role = (f'<span class="role">{esc(labels["roles"][p.role])}</span>'
            if p.role in ("question", "header") else "")
    return (f'<div class="{cls}" id="para-{esc(cite_ref(p.id))}">{cite_link(p.id)} {role}'
            f'<div class="zh" lang="zh">{highlight(p.text, used)}</div>{en}</div>')


def cite_html(section_title: str, target: Paragraph, context: tuple[Paragraph, ...], lang: str = "en",
              used: tuple[str, ...] = ()) -> str:
    """The HTML twin of `cite_text`: the section heading, then the paragraph among its neighbours,
    with the sentences an answer quoted from it marked."""
    title = "" if target.section == 0 else section_title
    head = _section_heading(target.section, title, target.section_title_en, lang)
    body = "".join(paragraph_html(p, lang, target=p.id == target.id, used=used if p.id == target.id else ())
                   for p in context)
    return f'<div class="lookup"><h3 class="section">{head}</h3>{body}</div>'


def cite_json(section_title: str, target: Paragraph, context: tuple[Paragraph, ...]) -> dict:
    """The JSON twin of `cite_text`, the same object as `rag cite --json`."""
    return {
        "id": target.id, "section": section_title, "role": target.role, "text": target.text,
        **({"translation": target.en} if target.en else {}),
        **({"machine_translation": True} if target.en and target.en_machine else {}),
        "context": [{"id": q.id, "text": q.text} for q in context],
    }


def suggestions_html(message: str, suggestions: tuple[str, ...]) -> str:
    """An error message followed by lookup links to the suggested paragraphs."""
    links = " ".join(cite_link(s) for s in suggestions)
    return f'<div class="lookup-error"><p>{esc(message)}</p><p class="suggest">{links}</p></div>'


def toc_html(doc: Document, lang: str = "en", snippet: int = 36, key: str = "") -> str:
    """A table of contents of the whole document, header included: a lookup link per paragraph
    (its id keyed, "gzlink §7.3", for a document of a library other than the first)."""
    titles = {s.number: (s.title_en if lang == "en" and s.title_en else s.title) for s in doc.sections}
    numbers = sorted({p.section for p in doc.paragraphs})
    out = []
    for number in numbers:
        items = []
        for p in (q for q in doc.paragraphs if q.section == number):
            text = p.text_in(lang)  # type: ignore[arg-type]
            short = text if len(text) <= snippet else text[:snippet].rstrip() + "…"
            items.append(f'<li>{cite_link(f"{key} {p.id}" if key else p.id)} <span class="snippet">{esc(short)}</span></li>')
        head = _section_heading(number, titles.get(number, ""), "", lang)
        out.append(f'<li class="toc-section"><div class="toc-title">{head}</div><ul>{"".join(items)}</ul></li>')
    return f'<ul class="toc">{"".join(out)}</ul>'
