"""One way of showing answers and citations, as plain text (CLI) and as escaped HTML (web)."""

from __future__ import annotations

import html
import re
import textwrap

from .document import Answer, Paragraph

_MARK = re.compile(r"\[(§\d+\.\d+)\]")


def answer_text(a: Answer, width: int = 88) -> str:
    out = [a.text, ""]
    if a.citations:
        out.append("Sources:" if a.language == "en" else "来源：")
        for n, c in enumerate(a.citations, start=1):
            out.append(f"[{n}] {c.id}  {c.section}  (score {c.score:.3f})")
            for body in (c.translation, c.text) if c.translation else (c.text,):
                out.extend(textwrap.wrap(body, width=width, initial_indent="    ", subsequent_indent="    ") or ["    "])
    return "\n".join(out).rstrip() + "\n"


def paragraph_text(p: Paragraph, width: int = 88) -> str:
    lines = [f"{p.id}  ({p.role})"]
    for body in (p.text, p.en) if p.en else (p.text,):
        lines.extend(textwrap.wrap(body, width=width, initial_indent="    ", subsequent_indent="    "))
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
    return html.escape(text or "", quote=True)


def cite_link(pid: str) -> str:
    """A link that opens the paragraph in the lookup view (handled by the page's script)."""
    return f'<a class="cite" href="?cite={esc(pid[1:])}" data-cite="{esc(pid)}">[{esc(pid)}]</a>'


def answer_html(a: Answer) -> str:
    """The answer text, escaped, with its citation markers turned into lookup links."""
    parts = []
    pos = 0
    for m in _MARK.finditer(a.text):
        parts.append(esc(a.text[pos : m.start()]))
        parts.append(cite_link(m.group(1)))
        pos = m.end()
    parts.append(esc(a.text[pos:]))
    return "".join(parts).replace("\n", "<br>")


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
    if not a.citations:
        return ""
    label = {"en": ("Sources", "score", "Chinese original"), "zh": ("来源", "相关度", "原文")}[a.language]
    items = []
    for c in a.citations:
        body = highlight(c.translation, c.used) if c.translation else highlight(c.text, c.used)
        original = (f'<div class="orig"><span class="lbl">{label[2]}:</span> {esc(c.text)}</div>'
                    if c.translation else "")
        items.append(
            f'<li class="source">{cite_link(c.id)} <span class="sec">{esc(c.section)}</span> '
            f'<span class="score">{label[1]} {c.score:.3f}</span><div class="para">{body}</div>{original}</li>'
        )
    return f'<div class="sources"><b>{label[0]}</b><ol>{"".join(items)}</ol></div>'

