"""Parse a document into sections and citable paragraphs.

Handles the interview format of the bundled policy (title, "——访…" subtitle, reporter,
column labels, headed sections of 问：/答： turns and numbered points, a closing dateline),
and plain text or Markdown with headings. A paragraph split by a page break (a line that
stops mid-sentence, a blank line, then the rest) is joined again.

Not handled: tables, lists nested inside paragraphs, footnotes. Such lines become text.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from .document import Document, Metadata, Paragraph, Section
from .errors import ParseError

PARSER_VERSION = "2"

_END = "。！？!?；;…."
_CLOSERS = "”’」』\"')）】"
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_QUESTION = re.compile(r"^(问|Q)\s*[：:]")
_ANSWER = re.compile(r"^(答|A)\s*[：:]")
_DATELINE = re.compile(r"^[（(]?新华社.{0,12}\d{1,2}月\d{1,2}日(电|讯)[）)]?$")
_REPORTER = re.compile(r"记者|^(By|Reporter)\b")


def read_document(path: str | Path) -> Document:
    """Read and parse a UTF-8 text or Markdown file. Raises ParseError naming the file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ParseError(f"{path}: cannot read the document ({e.strerror or e}).") from e
    return parse_bytes(raw, name=str(path))


def parse_bytes(raw: bytes, name: str = "<document>") -> Document:
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise ParseError(f"{name}:{line}: binary data (NUL byte); the document must be UTF-8 text.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise ParseError(f"{name}:{line}: not valid UTF-8 (byte {e.start}); save the document as UTF-8.") from e
    return parse_text(text, name=name)


def parse_text(text: str, name: str = "<document>") -> Document:
    """Parse document text. Pure: the same text always gives the same ids."""
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    bad = next((i for i, ch in enumerate(text) if _is_control(ch)), None)
    if bad is not None:
        line = text[:bad].count("\n") + 1
        raise ParseError(f"{name}:{line}: control character U+{ord(text[bad]):04X}; is this a text file?")
    blocks = _blocks(text)
    if not blocks:
        raise ParseError(f"{name}:1: the document is empty; expected paragraphs of text.")
    if any(_MD_HEADING.match(b) for _, b in blocks):
        meta, sections, paras = _markdown(blocks)
    else:
        meta, sections, paras = _plain(blocks)
    if not any(p.section > 0 for p in paras):
        raise ParseError(
            f"{name}:{blocks[-1][0]}: no paragraphs found; expected headed sections with paragraphs of text."
        )
    return Document(name=name, sha256=sha, metadata=meta, sections=tuple(sections), paragraphs=tuple(paras))


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" and ch not in "\n\t"


def _ends_sentence(line: str) -> bool:
    return line.rstrip(_CLOSERS).endswith(tuple(_END))


def _is_heading(line: str) -> bool:
    """A short line with no sentence punctuation: a title, a column label or a section heading."""
    return (
        len(line) <= 30
        and not _ends_sentence(line)
        and not line.endswith(("，", ",", "、", "：", ":"))
        and not re.search(r"[。！？!?；;]", line)
        and line.count("“") == line.count("”")
        and not _QUESTION.match(line)
        and not _ANSWER.match(line)
    )


def _blocks(text: str) -> list[tuple[int, str]]:
    """Non-empty lines as (line number, text), with page-break splits joined."""
    out: list[tuple[int, str]] = []
    pending = False  # the last block stopped mid-sentence
    for n, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        if pending and out and not _starts_new(line):
            ln, prev = out[-1]
            out[-1] = (ln, prev + line if _cjk(prev[-1]) or _cjk(line[0]) else prev + " " + line)
        else:
            out.append((n, line))
        last = out[-1][1]
        pending = not _ends_sentence(last) and not _is_heading(last) and not _MD_HEADING.match(last)
    return out


def _starts_new(line: str) -> bool:
    return bool(_QUESTION.match(line) or _ANSWER.match(line) or _MD_HEADING.match(line) or _DATELINE.match(line))


def _cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def _role(text: str, interview: bool) -> str:
    if _QUESTION.match(text):
        return "question"
    return "answer" if interview else "text"


def _plain(blocks: list[tuple[int, str]]):
    interview = any(_QUESTION.match(b) for _, b in blocks)
    # A section heading is a heading-like line followed by a body line; heading-like lines
    # before the first section are the header (title, column labels).
    kinds = []
    for i, (_, b) in enumerate(blocks):
        nxt = blocks[i + 1][1] if i + 1 < len(blocks) else ""
        heading = _is_heading(b) and not _DATELINE.match(b)
        kinds.append("heading" if heading and nxt and not _is_heading(nxt) else "body")
    first = next((i for i, k in enumerate(kinds) if k == "heading"), None)
    header_blocks = blocks[:first] if first is not None else []
    rest = blocks[first:] if first is not None else blocks
    rest_kinds = kinds[first:] if first is not None else kinds
    if first is None:
        # No headings: one untitled section of all blocks, the first line as title if short.
        header_blocks, rest = (blocks[:1], blocks[1:]) if len(blocks) > 1 and _is_heading(blocks[0][1]) else ([], blocks)
        rest_kinds = ["body"] * len(rest)
        rest = [(0, "")] + rest
        rest_kinds = ["heading"] + rest_kinds
    dateline = ""
    if rest and _DATELINE.match(rest[-1][1]):
        dateline_block = rest[-1]
        rest, rest_kinds = rest[:-1], rest_kinds[:-1]
        dateline = dateline_block[1]
    else:
        dateline_block = None
    meta, paras = _header(header_blocks, dateline)
    sections: list[Section] = []
    cur_title, cur_ids, cur_n = "", [], 0
    for (ln, b), kind in zip(rest, rest_kinds):
        if kind == "heading":
            if cur_n:
                sections.append(Section(cur_n, cur_title, tuple(cur_ids)))
            cur_n, cur_title, cur_ids = cur_n + 1, b, []
            continue
        pid = f"§{cur_n}.{len(cur_ids) + 1}"
        cur_ids.append(pid)
        paras.append(Paragraph(pid, cur_n, len(cur_ids), _role(b, interview), cur_title, b, ln))
    if cur_n:
        sections.append(Section(cur_n, cur_title, tuple(cur_ids)))
    if dateline_block:
        n = sum(1 for p in paras if p.section == 0) + 1
        paras.append(Paragraph(f"§0.{n}", 0, n, "header", "", dateline_block[1], dateline_block[0]))
    sections = [s for s in sections if s.paragraph_ids]
    return meta, sections, paras


def _header(blocks: list[tuple[int, str]], dateline: str):
    title = subtitle = reporter = ""
    columns = []
    paras = []
    for i, (ln, b) in enumerate(blocks, start=1):
        if not title and not b.startswith(("——", "—", "--")):
            title = b
        elif not subtitle and b.startswith(("——", "—", "--")):
            subtitle = b.lstrip("—- ")
        elif not reporter and _REPORTER.search(b):
            reporter = b
        else:
            columns.append(b)
        paras.append(Paragraph(f"§0.{i}", 0, i, "header", "", b, ln))
    meta = Metadata(title=title, subtitle=subtitle, reporter=reporter, columns=tuple(columns), dateline=dateline)
    return meta, paras


def _markdown(blocks: list[tuple[int, str]]):
    headings = [(_MD_HEADING.match(b), ln) for ln, b in blocks]
    levels = [len(m.group(1)) for m, _ in headings if m]
    top = min(levels)
    # A single top-level heading is the title; the next level down makes the sections.
    section_level = top + 1 if levels.count(top) == 1 and any(lv > top for lv in levels) else top
    converted: list[tuple[int, str]] = []
    header: list[tuple[int, str]] = []
    seen_section = False
    for ln, b in blocks:
        m = _MD_HEADING.match(b)
        if m and len(m.group(1)) <= section_level and len(m.group(1)) < section_level:
            header.append((ln, m.group(2)))
        elif m and len(m.group(1)) == section_level:
            seen_section = True
            converted.append((ln, "\x00H" + m.group(2)))
        elif not seen_section and not m:
            header.append((ln, b))
        else:
            converted.append((ln, m.group(2) if m else b))
    if not seen_section:
        converted = [(0, "\x00H")] + converted
    meta, paras = _header(header, "")
    interview = any(_QUESTION.match(b) for _, b in converted)
    sections: list[Section] = []
    cur_n, cur_title, cur_ids = 0, "", []
    for ln, b in converted:
        if b.startswith("\x00H"):
            if cur_n and cur_ids:
                sections.append(Section(cur_n, cur_title, tuple(cur_ids)))
            elif cur_n:
                cur_n -= 1
            cur_n, cur_title, cur_ids = cur_n + 1, b[2:], []
            continue
        pid = f"§{cur_n}.{len(cur_ids) + 1}"
        cur_ids.append(pid)
        paras.append(Paragraph(pid, cur_n, len(cur_ids), _role(b, interview), cur_title, b, ln))
    if cur_n and cur_ids:
        sections.append(Section(cur_n, cur_title, tuple(cur_ids)))
    return meta, sections, paras
