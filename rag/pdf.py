"""A PDF's text, a paragraph a line, read from where its lines stand on the page (pdfplumber).

A PDF has no paragraphs, only lines placed on pages: a policy text printed from Word wraps every
paragraph into lines of the page's width, opens it with a two-character indent, numbers its
pages ("— 3 —") and may repeat a running head on each. Read line by line, each paragraph would
be cut into a dozen, a page break would cut one in two, and an item's id would no longer follow
the document's own numbering. So the lines are joined back by their geometry, as a reader sees
them: a line continues the one above when that one runs to the right margin (or the first word
of this one would not have fitted there), and this one is not indented, set apart by a wider
gap, or in another size of type. A centred title wrapped over two lines is joined likewise.
Page numbers and running heads are dropped. Tables (ruled cells) are read a row a line, cells
split by tabs, as the other readers give them (rag.parse reads rows by their header); a cell
merged over several rows is repeated in each row, so every row reads whole. A page that is a
picture (a scan) is read by OCR (rag.ocr), its lines then joined the same way.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

from . import ocr
from .errors import ParseError
from .parse import ends_sentence, starts_new
from .text import cjk, joined

PAGE_NUMBER = re.compile(r"[-—–－]?\s*(第\s*)?\d{1,3}\s*页?\s*[-—–－]?|\d{1,3}\s*/\s*\d{1,3}|第\s*\d{1,3}\s*页.{0,8}"
                         r"|(page|p\.)\s*\d{1,3}(\s*(of|/)\s*\d{1,3})?", re.I)
EDGE = 0.12  # the top and bottom share of a page where page numbers and running heads stand
LIGATURES = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)}
log = logging.getLogger(__name__)
SPACE = 0.2  # a gap wider than this share of the type size between two characters is a space


@dataclass(frozen=True)
class Line:
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # the type size, 0 for a table's row
    text: str
    lead: float = 0.0  # the width of its first word: it did not fit at the end of the line above
    edge: bool = False  # in the page's top or bottom margin zone
    row: bool = False  # a table's row, cells split by tabs: never joined
    # A table's row cut by the page's end: its rest is the next page's first row, or its start
    # the previous page's last.
    open_below: bool = False
    open_above: bool = False


def pdf_text(raw: bytes, name: str) -> str:
    """The text of a PDF, a paragraph or a table's row a line; pages that are pictures (a scan)
    are read by OCR (rag.ocr) where Tesseract is installed. Raises ParseError naming the file."""
    lines, scans = _text_lines(raw, name)
    if scans:
        lines = sorted(lines + _scanned_lines(raw, scans, name), key=lambda line: line.page)  # stable
    if len(re.sub(r"\s", "", "".join(line.text for line in lines))) < 20:
        raise ParseError(f"{name}: the PDF has no text{' that OCR could read' if scans else ' layer'}.")
    return "\n".join(paragraphs(_rows_rejoined(_without_running(lines))))


def _text_lines(raw: bytes, name: str) -> tuple[list[Line], list[int]]:
    """The lines of the pages with a text layer, and the numbers of the pages without one that
    hold a picture (a scan)."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    lines, scans = [], []
    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            for page in pdf.pages:
                found = _page_lines(page)
                if (not found and page.images) or unmapped([line.text for line in found]):
                    scans.append(page.page_number)  # a picture, or text in a font with no map to Unicode
                    continue
                lines += found
    except Exception as e:  # pdfminer raises many types for a damaged file; pdfplumber wraps them
        if any(isinstance(x, PDFPasswordIncorrect) for x in (e, *e.args)):
            raise ParseError(f"{name}: the PDF needs a password to open; save an unprotected copy.") from e
        raise ParseError(f"{name}: cannot read the PDF ({type(e).__name__}: {e}).") from e
    return lines, scans


def unmapped(texts: list[str]) -> bool:
    """Whether a page's text is mostly glyphs its font maps to no character ("(cid:1905)"): it
    is read as a picture is, by OCR of the rendered page."""
    text = "".join(texts)
    return bool(text) and sum(map(len, _CID.findall(text))) > 0.5 * len(text)


_CID = re.compile(r"\(cid:\d+\)")


def _scanned_lines(raw: bytes, pages: list[int], name: str) -> list[Line]:
    """The lines OCR reads on the scanned pages (numbered from 1)."""
    if not ocr.available():
        raise ParseError(f"{name}: {len(pages)} page(s) are scanned pictures with no text layer. Install Tesseract "
                         "(Debian: apt install tesseract-ocr tesseract-ocr-chi-sim) to read them by OCR, "
                         "or give a copy with its text.")
    if len(pages) > ocr.MAX_PAGES:
        raise ParseError(f"{name}: {len(pages)} scanned pages is over the {ocr.MAX_PAGES}-page limit for OCR.")
    log.warning("%s: reading %d scanned page(s) by OCR, a few seconds each; a misread character is quoted "
                "as read", name, len(pages))
    out = []
    for number in pages:
        words, height = ocr.page_words(raw, number - 1, name)
        for line in words:
            top, bottom, text = min(w.top for w in line), max(w.bottom for w in line), ocr.line_text(line)
            row = line[0].cell  # a table's row: never joined
            out.append(Line(number, line[0].x0, max(w.x1 for w in line), top, bottom, 0 if row else ocr.type_size(line),
                            text, lead=ocr.lead(line), edge=top < EDGE * height or bottom > (1 - EDGE) * height, row=row))
    return _steady(out)


def _steady(lines: list[Line]) -> list[Line]:
    """OCR's lines with the body's type size where theirs is within 15% of it: a scan's boxes
    vary by a few points from line to line, where a text layer gives one size."""
    sizes = [line.size for line in lines if line.size]
    if not sizes:
        return lines
    body = statistics.median(sizes)
    return [replace(line, size=body) if line.size and abs(line.size - body) < 0.15 * body else line for line in lines]


def _page_lines(page) -> list[Line]:
    """A page's lines and its tables' rows, top to bottom. A character drawn again over itself
    (a font made bold by drawing it twice or more: "草草草草根根根根") is read once."""
    page = page.dedupe_chars()
    tables, below, above = _tables(page)
    out = []
    for found in page.extract_text_lines(return_chars=True, strip=True):
        chars = _glyphs(c for c in found["chars"] if not any(_inside(c, t.bbox) for t in tables))
        if chars:
            size = statistics.median(c["size"] for c in chars)
            top, bottom = chars[0]["top"], max(c["bottom"] for c in chars)
            out.append(Line(page.page_number, chars[0]["x0"], chars[-1]["x1"], top, bottom, size, _spaced(chars),
                            lead=_lead(chars), edge=top < EDGE * page.height or bottom > (1 - EDGE) * page.height))
    for t in tables:
        x0, top, x1, bottom = t.bbox
        rows = [Line(page.page_number, x0, x1, top, bottom, 0, text, row=True) for text in table_rows(t)]
        if rows and below is not None and abs(bottom - below) < 2:
            rows[-1] = replace(rows[-1], open_below=True)
        if rows and above is not None and abs(top - above) < 2:
            rows[0] = replace(rows[0], open_above=True)
        out += rows
    return sorted(out, key=lambda line: line.top)  # stable: a table's rows keep their order


def _tables(page) -> tuple[list, float | None, float | None]:
    """The page's ruled tables of two columns or more, and where a table the page's end cuts
    stops (its column rules running past its last rule across, or starting above its first):
    it is closed there, so that the cut row reads as a row, to be joined with its rest."""
    v = [e for e in page.edges if e["orientation"] == "v" and e["bottom"] - e["top"] > 2]
    h = [e for e in page.edges if e["orientation"] == "h" and e["x1"] - e["x0"] > 2]  # not a thin rule's ends
    below = above = None
    if v and h:
        low, high = max(e["bottom"] for e in v), min(e["top"] for e in v)
        below = low if low > max(e["top"] for e in h) + 2 else None
        above = high if high < min(e["top"] for e in h) - 2 else None
    settings = {"explicit_horizontal_lines": [y for y in (below, above) if y is not None]}
    tables = [t for t in page.find_tables(settings) if max((len(r.cells) for r in t.rows), default=0) >= 2]
    return tables, below, above


def _rows_rejoined(lines: list[Line]) -> list[Line]:
    """A table's row cut by a page break read as one row: the last row of a page, open below,
    and the first row of the next, open above, of as many cells, joined cell by cell."""
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if (line.open_above and prev is not None and prev.open_below and prev.page == line.page - 1
                and prev.text.count("\t") == line.text.count("\t")):
            cells = [joined(a, b) for a, b in zip(prev.text.split("\t"), line.text.split("\t"))]
            out[-1] = replace(prev, text="\t".join(cells), open_below=line.open_below)
            continue
        out.append(line)
    return out


def _glyphs(chars) -> list[dict]:
    """The printed characters, once each (pdfplumber lists a ligature once per letter it
    expands to), with ligatures as their letters ("ﬁ" → "fi")."""
    out: list[dict] = []
    for char in chars:
        if char["text"].strip() and not (out and out[-1]["x0"] == char["x0"] and out[-1]["top"] == char["top"]):
            out.append(dict(char, text=LIGATURES.get(char["text"], char["text"])))
    return out


def _inside(char: dict, box: tuple) -> bool:
    x0, top, x1, bottom = box
    return x0 <= (char["x0"] + char["x1"]) / 2 <= x1 and top <= (char["top"] + char["bottom"]) / 2 <= bottom


def _spaced(chars: list[dict]) -> str:
    """A line's characters, with a space where a gap stands between two of them."""
    out = chars[0]["text"]
    for before, char in zip(chars, chars[1:]):
        out += (" " if char["x0"] - before["x1"] > SPACE * char["size"] else "") + char["text"]
    return out


# Where a line never breaks in Chinese typesetting: after an opening bracket or quote, and before
# closing punctuation ("（四）、" wraps whole to the next line).
NO_END = "（《“‘〈【「『〔(["
NO_START = "）》”’〉】」』〕、，。；：！？)]．.,;:!?%％"


def _lead(chars: list[dict]) -> float:
    """The width of a line's first unbreakable run: a word, a number, a web address; or one
    CJK character, after which a line can break, with the brackets and punctuation it keeps
    ("（四）、")."""
    end = chars[0]
    for char in chars[1:]:
        breaks = cjk(end["text"]) or cjk(char["text"]) or char["x0"] - end["x1"] > SPACE * char["size"]
        if breaks and end["text"] not in NO_END and char["text"] not in NO_START:
            break
        end = char
    return end["x1"] - chars[0]["x0"]


def table_rows(table) -> list[str]:
    """A table's rows, cells split by tabs, a cell's wrapped lines joined. A cell merged over
    several rows (pdfplumber gives None below it) is repeated in each; one merged over several
    columns is kept once."""
    grid = [list(r.cells) for r in table.rows]
    text = table.extract()
    out = []
    for i, cells in enumerate(grid):
        top = min((c[1] for c in cells if c is not None), default=0)
        row = []
        for j, cell in enumerate(cells):
            if cell is not None:
                row.append(_cell(text[i][j]))
                continue
            above = next((k for k in range(i - 1, -1, -1) if grid[k][j] is not None), None)
            if above is not None and grid[above][j][3] > top + 1:  # it reaches down into this row
                row.append(_cell(text[above][j]))
        if any(row):
            out.append("\t".join(row))
    return out


def _cell(text: str | None) -> str:
    out = ""
    for part in (text or "").split("\n"):
        out = joined(out, " ".join(part.split()))
    return out


def _without_running(lines: list[Line]) -> list[Line]:
    """The lines less page numbers and running heads (a line in the margin zone repeated, its
    digits aside, at the same height on half the pages or more)."""
    pages = len({line.page for line in lines})
    key = lambda line: (round(line.top / 4), re.sub(r"\d+", "#", line.text))  # noqa: E731
    seen = Counter(key(line) for line in lines if line.edge)
    return [line for line in lines if not line.edge or not (
        PAGE_NUMBER.fullmatch(line.text) or (pages >= 3 and seen[key(line)] >= max(3, pages // 2)))]


@dataclass(frozen=True)
class Column:
    """Where the text stands: its type size, left edge, paragraph indent, right edge (the
    farthest a line reaches) and where a full line usually ends (short of the edge in ragged
    text)."""

    em: float
    left: float
    indent: float | None
    edge: float
    full: float
    slack: float = 0.0  # how far lines at the margin stray from it: none in a text layer, a little in a scan

    @staticmethod
    def of(lines: list[Line]) -> "Column":
        em = statistics.median(line.size for line in lines)
        starts = Counter(round(line.x0) for line in lines)
        common = max(2, len(lines) // 20)  # a margin is where many lines start
        left = min((x for x, k in starts.items() if k >= common), default=min(starts))
        indent = next((x for x, k in starts.most_common() if x > left + 0.5 * em and k >= common), None)
        edge = max(line.x1 for line in lines)
        ends = Counter(round(line.x1) for line in lines if line.x1 - left > 0.6 * (edge - left))
        at_margin = sorted(line.x0 - left for line in lines if 0 <= line.x0 - left < 0.5 * em)
        slack = at_margin[int(0.9 * (len(at_margin) - 1))] if at_margin else 0.0
        return Column(em, left, indent, edge, max(ends, key=lambda x: (ends[x], x), default=round(edge)), slack)

    def indented(self, line: Line) -> bool:
        return line.x0 - self.left >= 0.9 * self.em

    def centred(self, line: Line) -> bool:
        """Centred: as far from both edges; not a paragraph's first line that happens to end as
        far from the right as its indent (unless it is in a title's larger type)."""
        margin = line.x0 - self.left
        at_indent = self.indent is not None and abs(line.x0 - self.indent) <= 0.2 * self.em
        return (margin >= max(0.2 * self.em, 2 * self.slack) and abs(margin - (self.edge - line.x1)) < 0.5 * self.em
                and (not at_indent or line.size > 1.1 * self.em))

    def filled(self, line: Line, after: Line) -> bool:
        """Whether `line` ran to the margin, or the first word of `after` would not fit there."""
        return line.x1 >= self.full - 2 * self.em or line.x1 + after.lead > self.full


def paragraphs(lines: list[Line]) -> list[str]:
    """The lines joined into paragraphs; tables' rows stay a line each."""
    text = [line for line in lines if not line.row]
    if not text:
        return [line.text for line in lines]
    column = Column.of(text)
    out: list[str] = []
    prev: Line | None = None
    centred = False  # whether the paragraph being built is a centred block (a title)
    for line in lines:
        if line.row or prev is None or not _continues(column, prev, line, centred):
            out.append(line.text)
            centred = not line.row and column.centred(line)
        else:
            out[-1] = joined(out[-1], line.text)
            centred = centred or column.centred(line)
        prev = None if line.row else line
    return out


def _label(column: Column, line: Line) -> bool:
    """A short line with no punctuation at all, well short of the column's width: a label such
    as a service guide's "办理程序", never the rest of a sentence, which ends with its stop."""
    return (len(line.text) <= 16 and not re.search(r"[。；;，,：:！？!?、）)」”]", line.text)
            and line.x1 - line.x0 < 0.5 * (column.edge - column.left))


def _continues(column: Column, prev: Line, line: Line, centred: bool) -> bool:
    """Whether `line` goes on with the paragraph that `prev` ends."""
    same_type = abs(line.size - prev.size) < 0.1 * column.em
    close = line.page != prev.page or line.top - prev.bottom < 1.2 * line.size  # no paragraph gap
    if not same_type or not close:
        return False
    if line.page != prev.page and _label(column, line):  # "办理程序" atop a page: a heading, not the rest
        return False
    if centred:  # a wrapped title: its first line nearly as wide as the column
        return column.centred(line) and prev.x1 - prev.x0 >= 0.6 * (column.edge - column.left)
    if not column.filled(prev, line):
        return False
    if column.centred(line):  # a title's last line, centred under a full one
        return prev.size > 1.1 * column.em
    # A numbered item or an article after a finished sentence opens a paragraph, indented or not.
    return not column.indented(line) and not (starts_new(line.text) and ends_sentence(prev.text))
