"""Readers: one per file format, each turning a file into plain text with its line structure.

Readers know formats and nothing of genres: the parser (rag.parse) reads the text they give.
Each file is checked first: its size, and that its bytes are what its name says (a .pdf that
is not a PDF is refused, not guessed at). The readers are well-kept libraries: python-docx,
pypdf and BeautifulSoup.

Tables of .docx and .html files are read in their place, a row a line, cells split by tabs.
Not handled: scanned PDFs (no text layer: refused with a message), tables in PDFs (pypdf gives
their cells as lines), legacy .doc and .wps files.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from .errors import ParseError

MAX_BYTES = 20 * 1024 * 1024  # a policy text is far smaller; a bigger file is not one
TEXT_SUFFIXES = (".txt", ".md", ".markdown", "")
SUFFIXES = (".txt", ".md", ".markdown", ".docx", ".pdf", ".html", ".htm")


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
    if suffix == ".docx":
        return _docx(raw, path)
    if suffix == ".pdf":
        return _pdf(raw, path)
    if suffix in (".html", ".htm"):
        return _html(raw, path)
    return decode(raw, str(path))


def decode(raw: bytes, name: str) -> str:
    """UTF-8 text (a BOM allowed), or a ParseError saying where it is not."""
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise ParseError(f"{name}:{line}: binary data (NUL byte); the document must be UTF-8 text.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise ParseError(f"{name}:{line}: not valid UTF-8 (byte {e.start}); save the document as UTF-8.") from e


def _docx(raw: bytes, path: Path) -> str:
    if not raw.startswith(b"PK"):
        raise ParseError(f"{path}: not a .docx file (no ZIP signature); save it as Word .docx.")
    import docx
    from docx.table import Table

    try:
        d = docx.Document(io.BytesIO(raw))
    except Exception as e:  # python-docx raises several types for a damaged package
        raise ParseError(f"{path}: cannot open the Word document ({type(e).__name__}: {e}).") from e
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
            lines.append(block.text)
    return "\n".join(lines)


def _row(cells) -> str:
    """A table's row as one line, its cells split by tabs (rag.parse reads them by the header);
    line breaks inside a cell become spaces, so the row stays one line."""
    return "\t".join(" ".join(c.split()) for c in cells)


def _pdf(raw: bytes, path: Path) -> str:
    if not raw.lstrip()[:5] == b"%PDF-":
        raise ParseError(f"{path}: not a PDF file (no %PDF header).")
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise ParseError(f"{path}: the PDF is encrypted; save an unprotected copy.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ParseError:
        raise
    except Exception as e:  # pypdf raises many types for a damaged file
        raise ParseError(f"{path}: cannot read the PDF ({type(e).__name__}: {e}).") from e
    text = "\n".join(pages)
    if len(re.sub(r"\s", "", text)) < 20:
        raise ParseError(f"{path}: the PDF has no text layer (a scan?); run OCR on it first.")
    # Page footers such as "- 3 -" are not text of the document.
    return "\n".join(line for line in text.splitlines() if not re.fullmatch(r"\s*[-—–]?\s*\d{1,3}\s*[-—–]?\s*", line))


def _html(raw: bytes, path: Path) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(raw, "html.parser")
    for tag in soup(["script", "style", "nav", "header", "footer", "noscript", "form", "iframe"]):
        tag.decompose()
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


_BLOCKS = ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "blockquote", "pre", "table",
           "title", "dd", "dt"]
