"""Readers: one per file format, each turning a file into plain text with its line structure.

Readers know formats and nothing of genres: the parser (rag.parse) reads the text they give.
Each file is checked first: its size, and that its bytes are what its name says (a .pdf that
is not a PDF is refused, not guessed at). The readers are well-kept libraries: python-docx
(and LibreOffice before it for a Word 97–2003 .doc or a WPS .wps: rag.legacy),
pdfplumber (a PDF's lines joined back into paragraphs by where they stand: rag.pdf), and for a
web page trafilatura (its main content, without the site's menus, breadcrumbs and footer) and
BeautifulSoup.

Tables are read in their place, a row a line, cells split by tabs.
A scanned PDF's pages are read by OCR (rag.ocr, where Tesseract is installed; refused with a
message where it is not). Not handled: tables without ruled cells in PDFs (read as lines), a
scanned table's cells merged over several rows (read in one).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from .errors import ParseError
from .text import squash

MAX_BYTES = 20 * 1024 * 1024  # a policy text is far smaller; a bigger file is not one
TEXT_SUFFIXES = (".txt", ".md", ".markdown", "")
SUFFIXES = (".txt", ".md", ".markdown", ".docx", ".doc", ".wps", ".pdf", ".html", ".htm")


def read_text(path: str | Path) -> str:
    """The file's text, one paragraph a line. Raises ParseError naming the file and what to do."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES and suffix:
        raise ParseError(f"{path}: unsupported file type {suffix!r}; use one of {', '.join(SUFFIXES)}.")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ParseError(f"{path}: {size / 1e6:.1f} MB is over the {MAX_BYTES // 2**20} MiB limit for a document.")
        raw = path.read_bytes()
    except OSError as e:
        raise ParseError(f"{path}: cannot read the document ({e.strerror or e}).") from e
    # A format's reader gives its text without the control characters a file may carry in it
    # unseen (a PDF's font without a map to Unicode, a stray one in a page or a Word file).
    if reader := _READERS.get(suffix):
        return _CONTROL.sub("", reader(raw, path))
    text = decode(raw, str(path))
    if suffix in (".md", ".markdown"):  # a comment is not shown ("<!-- INFO END -->"); its lines stay, empty
        text = _MD_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return text


_MD_COMMENT = re.compile(r"<!--.*?-->", re.S)
# The control characters rag.parse refuses in a text file (all but tab and line ends).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def decode(raw: bytes, name: str) -> str:
    """The text of a file: UTF-8 (a BOM allowed); UTF-16 with its BOM (Windows' "Unicode"); or,
    where it is not UTF-8, GB18030 (GBK and GB2312 are subsets), in which many Chinese
    government texts are still saved. Otherwise a ParseError saying where it breaks."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as e:
            raise ParseError(f"{name}: not valid UTF-16 (byte {e.start}); save the document as UTF-8.") from e
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise ParseError(f"{name}:{line}: binary data (NUL byte); the document must be UTF-8 text.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        chinese = _gb18030(raw)
        if chinese is not None:
            return chinese
        line = raw[: e.start].count(b"\n") + 1
        raise ParseError(f"{name}:{line}: not valid UTF-8 (byte {e.start}) nor GB18030; save the document as UTF-8.") from e


def _gb18030(raw: bytes) -> str | None:
    """The text as GB18030, where it decodes and reads as Chinese: most of its non-ASCII
    characters are common Chinese characters and punctuation. Bytes of another encoding
    (Latin-1, Big5) rarely decode at all, and then not into that."""
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return None
    wide = [ch for ch in text if ord(ch) > 0x7F]
    common = sum(1 for ch in wide if "\u4e00" <= ch <= "\u9fa5" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef")
    return text if wide and common >= 0.9 * len(wide) else None


def _docx(raw: bytes, path: Path) -> str:
    if not raw.startswith(b"PK"):
        raise ParseError(f"{path}: not a .docx file (no ZIP signature); save it as Word .docx.")
    import docx
    from docx.table import Table

    try:
        d = docx.Document(io.BytesIO(raw))
    except Exception as e:  # python-docx raises several types for a damaged package
        raise ParseError(f"{path}: cannot open the Word document ({type(e).__name__}: {e}).") from e
    from .word import Numbering

    numbering = Numbering(d)
    lines: list[str] = []
    for block in d.iter_inner_content():  # paragraphs and tables, in the document's order
        if isinstance(block, Table):
            for row in block.rows:
                # A merged cell is the same cell at each position it spans: kept once.
                cells = list({id(c._tc): c for c in row.cells}.values())
                if any(sum(1 for p in c.paragraphs if p.text.strip()) > 1 for c in cells):
                    lines += [p.text for c in cells for p in c.paragraphs]  # a layout table: its paragraphs
                else:
                    lines.append(_row(c.text for c in cells))
        else:
            lines.append(_numbered(numbering.label(block), block.text))
    return "\n".join(lines)


def _word(raw: bytes, path: Path) -> str:
    """A .doc or .wps: a Word 97–2003 or WPS binary, or an RTF, converted by LibreOffice
    (rag.legacy); or what many sites serve under that name, a .docx or a web page saved for Word."""
    if raw.startswith(b"PK"):
        return _docx(raw, path)
    head = raw[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<!doctype html") or b"<html" in head:
        return _html(raw, path)
    from .legacy import to_docx

    return _docx(to_docx(raw, path), path)


def _numbered(label: str, text: str) -> str:
    """A paragraph's text after its automatic number: "一、" + "总体要求"; "1." + " " + "Scope"."""
    if not label or not text.strip():
        return text
    return label + text if label[-1] in "、）)．.:：" and (not text[:1].isascii()) else label + " " + text.lstrip()


def _row(cells) -> str:
    """A table's row as one line, its cells split by tabs (rag.parse reads them by the header);
    line breaks inside a cell become spaces, so the row stays one line. A row of a record block,
    labels each before its value ("发文机关： | 国务院 | 成文日期： | 2018年11月16日"), is its
    fields, one a line ("发文机关：国务院"), as a text file writes them."""
    cells = [" ".join(c.split()) for c in cells]
    pairs = list(zip(cells[0::2], cells[1::2]))
    if len(cells) % 2 == 0 and any(label for label, _ in pairs) and all(
            _LABEL_CELL.match(label) or not (label or value) for label, value in pairs):
        return "\n".join(label + value for label, value in pairs if label)
    return "\t".join(cells)


_LABEL = r"[\u4e00-\u9fff][\u4e00-\u9fff \u3000]{0,10}[：:]"  # "发文机关：", "标　　题："
_LABEL_CELL, _FIELD_LINE = re.compile(f"^{_LABEL}$"), re.compile(f"^{_LABEL}")


def _pdf(raw: bytes, path: Path) -> str:
    if not raw.lstrip()[:5] == b"%PDF-":
        raise ParseError(f"{path}: not a PDF file (no %PDF header).")
    from .pdf import pdf_text

    return pdf_text(raw, str(path))


def _html(raw: bytes, path: Path) -> str:
    from bs4 import BeautifulSoup, UnicodeDammit

    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError(f"{path}: not a web page (it holds binary data); save the page again as HTML or text.")

    # Decoded once, by the page's own charset where it is right (UnicodeDammit), and given so to
    # trafilatura too: left to guess from the bytes, it read some GB2312 pages as UTF-8.
    markup = UnicodeDammit(raw, is_html=True).unicode_markup or ""
    markup = _CONTROL.sub("", markup)  # a stray control character in a page shows as nothing
    page = BeautifulSoup(markup, "html.parser")
    _drop_chrome(page)
    whole = _text_of(page)
    # trafilatura's own choice locates the text; where it finds none, its choice favouring recall
    # (which also takes in much around the text: the menus of a page like gov.cn's).
    for recall in (False, True):
        if (found := _main_content(markup, recall)) is None:
            continue
        main, title = found
        chosen = _text_of(main)
        box = _holding(page.body or page, _lines(chosen))
        own = box.get_text() if box is not None else chosen
        if len(squash(own)) < MAIN_SHARE * len(squash(whole)):
            continue
        records = _records(page, box) if box is not None else []
        front = _front(whole, own, title)  # title first, its record block next, then the page's date lines
        return "\n".join(front[:1] + records + front[1:] + [own])
    return whole


def _drop_chrome(page) -> None:
    """Scripts, menus and footers out of the page; not an article's own header (its title), nor
    a form wrapping the whole page, as some sites' pages are."""
    for tag in page(["script", "style", "noscript", "iframe", "nav", "footer"]):
        tag.decompose()
    for tag in page("header"):
        if not tag.find_parent(["article", "main"]):
            tag.decompose()
    for tag in page("form"):
        if len(squash(tag.get_text())) < FORM_TEXT:
            tag.decompose()


FORM_TEXT = 200  # a search box or a login form holds less text than this; a page in a form, more


def _lines(text: str) -> list[str]:
    """The lines of prose in `text` (a sentence's punctuation, or 30 characters and more), by
    which the text is located: menus and tool bars are short lines without it. All its lines
    where it has none."""
    lines = [k for line in text.splitlines() if len(k := squash(line)) >= 2]
    prose = [k for k in lines if len(k) >= 30 or re.search(r"[。，；！？,;]", k)]
    return prose or lines


# The element read as the main content holds at least this share of the characters of the prose
# trafilatura chose: its choice locates the text, and the page's own element is read whole, so
# a table or list it leaves out inside the text is kept.
HOLDS = 0.9


def _holding(node, lines: list[str]):
    """The deepest element of the page holding HOLDS of `lines` (by characters); None where even
    the whole page does not (trafilatura's text is not the page's)."""
    total = sum(map(len, lines)) or 1

    def held(el) -> float:
        text = squash(el.get_text())
        return 0.0 if len(text) < HOLDS * total else sum(len(k) for k in lines if k in text) / total

    if held(node) < HOLDS:
        return None
    while child := next((c for c in node.find_all(True, recursive=False) if held(c) >= HOLDS), None):
        node = child
    return node


def _records(page, box) -> list[str]:
    """The fields of a record block before the main content, outside it ("发文机关：国务院",
    "成文日期：…", as _row reads a table of labels and values): a government page sets the
    document's issuer, date and number apart from its text."""
    fields: list[str] = []
    for table in page.find_all("table"):
        if box in table.parents or table in box.parents or table is box:
            continue
        if box.sourceline and table.sourceline and table.sourceline > box.sourceline:
            continue
        lines = [line.strip() for line in table.get_text().splitlines() if line.strip()]
        if lines and all(_FIELD_LINE.match(line) for line in lines):
            fields += [line for line in lines if not _LABEL_CELL.match(line)]  # a label with no value is no field
    return fields


def _text_of(soup) -> str:
    """A page's text, a block a line, a table's row a line with its cells split by tabs."""
    for br in soup.find_all("br"):
        br.replace_with("\n")
    # A block ends a line; inline tags (<b>, <a>, <span>) stay inside theirs.
    for row in soup.find_all("tr"):
        cells = row.find_all(["td", "th"], recursive=False)
        # A row of a layout table (a page laid out in cells of paragraphs) is not a data row.
        if cells and not any(cell.find(_BLOCKS) for cell in cells):
            row.replace_with(_row(cell.get_text(" ") for cell in cells) + "\n")
    for tag in soup.find_all(_BLOCKS):
        tag.insert_after("\n")
    body = soup.find("article") or soup.body or soup
    return body.get_text()


def _front(whole: str, own: str, title: str) -> list[str]:
    """The lines to put before the main content `own`: its title where `own` does not open with
    it, and the page's date and source lines after the title ("发布时间：… 来源：…"), which a
    page sets apart from the text. The title is the nearest line above the text that ends in a
    document's kind (…的通知), else one that is a part of the page's <title>; else that part
    itself, without date lines (a <title> is often the site's name alone)."""
    from .parse import names_kind

    page = [line.strip() for line in whole.splitlines() if line.strip()]
    body = [line.strip() for line in own.splitlines() if line.strip()]
    # A page's <title> often ends with its site's name ("…的通知_某市人社网"): its longest part.
    title = max(re.split(r"\s*[_|｜]\s*|\s+[-–—]\s+", title.strip()), key=len)
    parts = {k for part in re.split(r"[_|｜\-–—]+", title) if len(k := squash(part)) >= 4}
    if not body or (_title_like(body[0]) and (names_kind(body[0]) or squash(body[0]) in parts)):
        return []
    start = next((i for i, line in enumerate(page) if squash(line) == squash(body[0])), 0)
    above = page[max(0, start - ABOVE) : start]
    for test in (names_kind, lambda line: squash(line) in parts):
        if found := [i for i, line in enumerate(above) if _title_like(line) and test(line)]:
            return [above[found[-1]]] + _stamps(above[found[-1] + 1 :])
    return [title] if title else []


ABOVE = 15  # lines above the main content where its title and date lines are looked for


def _title_like(line: str) -> bool:
    return 4 <= len(squash(line)) <= 100 and not re.search(r"[。！？!?；;]", line) and not _FIELD_LINE.match(line)


def _stamps(lines: list[str]) -> list[str]:
    """The date and source lines among `lines` ("来源：市人社局", "2016-04-14"), a label alone
    on its line joined to the value on the next ("日期：" / "2016-04-14")."""
    out: list[str] = []
    for line in lines:
        if out and _LABEL_CELL.match(out[-1]) and not _LABEL_CELL.match(line):
            out[-1] += line
        elif _FIELD_LINE.match(line) or _STAMP_DATE.search(line):
            out.append(line)
    return [line for line in out if not _LABEL_CELL.match(line)][:HEADER_LINES]


_STAMP_DATE = re.compile(r"(?:19|20)\d\d\s*[-年./]\s*\d{1,2}")
HEADER_LINES = 6


# The main content is read where it holds at least this share of the page's text; less, and it
# is taken to have missed the document (a page that is all one table), so the whole page is read.
MAIN_SHARE = 0.2
MIN_BLOCKS = 3


def _main_content(markup: str, recall: bool):
    """Where the page's main content is (trafilatura), as a BeautifulSoup tree, and the page's
    title; None where none is found in MIN_BLOCKS blocks or more. A government page's menus
    ("首页 政府信息公开…"), breadcrumbs and footer ("ICP备…", "网站地图") are left out."""
    import trafilatura
    from bs4 import BeautifulSoup

    try:
        html = trafilatura.extract(markup, output_format="html", include_tables=True, favor_recall=recall,
                                   include_comments=False, include_images=False, include_links=False)
        title = (trafilatura.extract_metadata(markup).title or "") if html else ""
    except Exception:  # a page it cannot read is read whole, as before
        return None
    main = BeautifulSoup(html or "", "html.parser")
    # A short page is given back flattened into one block (trafilatura's fallback): read it whole.
    if len(main.find_all(_BLOCKS)) < MIN_BLOCKS:
        return None
    return main, title


_BLOCKS = ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "blockquote", "pre", "table",
           "title", "dd", "dt"]


_READERS = {".docx": _docx, ".doc": _word, ".wps": _word, ".pdf": _pdf, ".html": _html, ".htm": _html}
