"""Scanned pages read by OCR: Tesseract's words as the lines rag.pdf joins into paragraphs.

Many policy texts are published as scans: a PDF whose pages are pictures, with no text layer.
Each such page is rendered with pdfium (pypdfium2, which pdfplumber already uses), read by the
Tesseract command (Debian's tesseract-ocr with its simplified-Chinese data, tesseract-ocr-chi-sim),
and its words grouped into the lines Tesseract found, with their boxes in points, as rag.pdf
reads a page with a text layer: the same geometry then joins them into paragraphs.

What OCR gets wrong stays wrong: a misread character is quoted as read. A page is read at
RESOLUTION dots per inch with one thread (Tesseract's default of one per core is about ten
times slower on two cores), about 2 s a page on 2 cores.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import statistics
import subprocess
import threading
from dataclasses import dataclass, replace

from .errors import ParseError
from .text import cjk

RESOLUTION = 300  # dots per inch: Tesseract reads Chinese best at 300
MAX_PIXELS = 40_000_000  # a page bigger than A3 at 300 dpi is rendered smaller
MAX_PAGES = 60  # scanned pages read in one document: about two minutes
PAGE_SECONDS = 120  # one page's limit
LANGS = "chi_sim"  # its model reads the Latin letters and digits of a Chinese text too
DOUBTFUL = 30.0  # a lone symbol read with less confidence than this is a speck, not a character
# ASCII punctuation Tesseract gives beside Chinese characters, as a Chinese text prints it
WIDE = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"})
# A document number's year, which GB/T 9704 sets in hexagonal brackets (〔2031〕7号), often read
# as other brackets: 【2031] 7号, [2031]7 号
DOC_NUMBER = re.compile(r"[\[【〔(（]\s*((?:19|20)\d\d)\s*[\]】〕)）]\s*(\d{1,4})\s*号")
# 一, a single stroke, read as a dash or a quote mark where it numbers a section or an item:
# "-、事项信息", "（-）", which would shift every id after it
ONE = re.compile(r"^[-—–_~”“\"'‘’]\s*(?=、)|(?<=^[（(])\s*[-—–_~]\s*(?=[)）])")
# The wide space after an article's or chapter's number ("第一条　为了…") read as a quote mark,
# which hides the article from the parser: "第一条“为了…"
ARTICLE = re.compile(r"^(第[一二三四五六七八九十百千零〇两\d]+[章节条])\s*[“”\"'‘’]\s*")
# Likewise the space in a signature, between an office and a name: "部长”郑斯林"
SIGNATURE = re.compile(r"^(\S{0,3}(?:长|主任|总理|主席|书记))\s*[“”\"'‘’]\s*(?=[\u4e00-\u9fff]{2,4}$)")
_PDFIUM = threading.Lock()  # pdfium is not safe to call from two threads at once (two uploads)
NEAR_CJK = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s*([,:;()?!])|([,:;()?!])\s*(?=[\u3000-\u9fff\uff00-\uffef])")


@dataclass(frozen=True)
class Word:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    size: float = 0.0  # its line's type size: the line's box height less what the page's skew adds
    cell: bool = False  # it opens a cell of a table's row (the row's first word too)


def available() -> bool:
    """Whether the Tesseract command and its Chinese data are installed."""
    return _languages() >= set(LANGS.split("+"))


def _languages() -> set[str]:
    if not shutil.which("tesseract"):
        return set()
    try:
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {line.strip() for line in out.splitlines()[1:]}


def page_words(raw: bytes, index: int, name: str) -> tuple[list[list[Word]], float]:
    """The lines of words on page `index` of a PDF, in points from the page's top left, and the
    page's height in points. A table's ruling lines are taken out before OCR (Tesseract reads a
    ruled cell as a picture), and the words between them are read as the table's rows and cells.
    Raises ParseError naming the file."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    try:
        with _PDFIUM:
            pdf = pdfium.PdfDocument(raw)
            page = pdf[index]
            width, height = page.get_size()
            scale = min(RESOLUTION / 72, (MAX_PIXELS / max(width * height, 1)) ** 0.5)
            gray = np.array(page.render(scale=scale, grayscale=True).to_pil().convert("L"))
    except Exception as e:  # pdfium raises its own errors for a damaged page
        raise ParseError(f"{name}: cannot render page {index + 1} for OCR ({type(e).__name__}: {e}).") from e
    dots = scale * 72
    across, down = rules(gray < 160, int(dots), int(0.5 * dots), max(2, int(0.02 * dots)))
    gray[_grown(across | down, max(1, int(0.01 * dots)))] = 255  # with the grey of their edges
    picture = io.BytesIO()
    Image.fromarray(gray).save(picture, format="PPM")  # a PGM: written in no time, unlike a PNG
    lines = _lines(_tesseract(picture.getvalue(), name, index), scale)
    return tabled(lines, bands(across, down, scale)), height


def rules(dark, across: int, down: int, thick: int):
    """The pixels of straight ruling lines: horizontal runs of dark pixels `across` long, and
    vertical runs `down` long no wider than `thick` (a bold character's stroke is wider)."""
    import numpy as np

    horizontal = _runs(dark, 1, across)
    vertical = _runs(dark, 0, down)
    wide = np.zeros_like(vertical)
    wide[:, thick:] |= vertical[:, :-thick]
    wide[:, :-thick] |= vertical[:, thick:]
    return horizontal, vertical & ~wide


def _grown(mask, by: int):
    """The mask grown by `by` pixels every way."""
    out = mask.copy()
    for k in range(1, by + 1):
        out[k:] |= mask[:-k]
        out[:-k] |= mask[k:]
        out[:, k:] |= mask[:, :-k]
        out[:, :-k] |= mask[:, k:]
    return out


def _runs(dark, axis: int, length: int):
    """The pixels on a run of at least `length` dark pixels along `axis`: an erosion, then a
    dilation, by a line `length` long, each in doubling steps."""
    import numpy as np

    d = np.moveaxis(dark, axis, -1)
    if length > d.shape[-1]:
        return np.zeros_like(dark)
    starts, span = d, 1  # starts[i]: d[i : i + span] all dark
    while span < length:
        step = min(span, length - span)
        starts, span = starts[..., :-step] & starts[..., step:], span + step
    covered = np.zeros_like(d)
    covered[..., : starts.shape[-1]] = starts
    span = 1  # covered[j]: a run starts within span of j, at or before it
    while span < length:
        step = min(span, length - span)
        grown = covered.copy()
        grown[..., step:] |= covered[..., :-step]
        covered, span = grown, span + step
    return np.moveaxis(covered, -1, axis)


@dataclass(frozen=True)
class Band:
    """A table's row, in points: between two rules across, its cells split by the rules down."""

    top: float
    bottom: float
    x0: float
    x1: float
    walls: tuple[float, ...]

    def holds(self, word: Word) -> bool:
        x, y = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
        return self.top < y < self.bottom and self.x0 <= x <= self.x1


def bands(across, down, scale: float) -> list[Band]:
    """The rows of the page's ruled tables: each space between two rules across, one below the
    other and spanning the same width, that rules down split into two cells or more."""
    import numpy as np

    rows = np.flatnonzero(across.any(axis=1))
    spans = []  # (y, x0, x1) of each rule across, in pixels
    for group in np.split(rows, np.flatnonzero(np.diff(rows) > 1) + 1) if rows.size else []:
        xs = np.flatnonzero(across[group].any(axis=0))
        spans.append(((group[0] + group[-1]) / 2, xs[0], xs[-1]))
    pairs = [(ya, yb, min(a0, b0), max(a1, b1)) for (ya, a0, a1), (yb, b0, b1) in zip(spans, spans[1:])
             if min(a1, b1) - max(a0, b0) >= 0.5 * min(a1 - a0, b1 - b0)]  # one above the other
    # A rule stops short at a cell merged over several rows: each row takes its table's width.
    for i in range(1, len(pairs)):
        if pairs[i][0] == pairs[i - 1][1]:
            x0, x1 = min(pairs[i][2], pairs[i - 1][2]), max(pairs[i][3], pairs[i - 1][3])
            pairs[i] = (pairs[i][0], pairs[i][1], x0, x1)
    for i in range(len(pairs) - 2, -1, -1):
        if pairs[i][1] == pairs[i + 1][0]:
            pairs[i] = (pairs[i][0], pairs[i][1], pairs[i + 1][2], pairs[i + 1][3])
    out = []
    for ya, yb, x0, x1 in pairs:
        line = down[int((ya + yb) / 2), max(0, x0 - 10): x1 + 11]
        cols = np.flatnonzero(line)
        walls = [(g[0] + g[-1]) / 2 + max(0, x0 - 10) for g in np.split(cols, np.flatnonzero(np.diff(cols) > 1) + 1)] \
            if cols.size else []
        if len(walls) >= 3:  # its two sides and one rule between cells at least
            out.append(Band(ya / scale, yb / scale, x0 / scale, x1 / scale, tuple(w / scale for w in walls)))
    return out


def tabled(lines: list[list[Word]], rows: list[Band]) -> list[list[Word]]:
    """The lines with the words inside a table's row taken out of them and made that row, a
    line whose words are its cells' in order (a cell's lines one after the other), the first
    word of each cell marked as opening it."""
    if not rows:
        return lines
    cells: dict[int, dict[int, list[tuple[int, Word]]]] = {}
    out = []
    for n, line in enumerate(lines):
        rest = []
        for word in line:
            band = next((i for i, b in enumerate(rows) if b.holds(word)), None)
            if band is None:
                rest.append(word)
            else:
                column = sum(w < (word.x0 + word.x1) / 2 for w in rows[band].walls)
                cells.setdefault(band, {}).setdefault(column, []).append((n, word))
        if rest:
            out.append(rest)
    for band, columns in cells.items():
        row = []
        for column in sorted(columns):
            words = [w for _, w in sorted(columns[column], key=lambda nw: (nw[0], nw[1].x0))]
            first = words[0].text.lstrip("”“\"'") or words[0].text  # a rule's speck read as a quote mark
            row += [replace(words[0], text=first, cell=True)] + words[1:]
        out.append(row)
    return sorted(out, key=lambda line: min(w.top for w in line))


def _tesseract(picture: bytes, name: str, index: int) -> str:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        done = subprocess.run(["tesseract", "stdin", "stdout", "-l", LANGS, "--psm", "3", "tsv"], input=picture,
                              capture_output=True, timeout=PAGE_SECONDS, env=env)
    except subprocess.TimeoutExpired as e:
        raise ParseError(f"{name}: OCR of page {index + 1} took over {PAGE_SECONDS} s.") from e
    except OSError as e:
        raise ParseError(f"{name}: cannot run tesseract for OCR ({e.strerror or e}).") from e
    if done.returncode:
        raise ParseError(f"{name}: OCR of page {index + 1} failed: {done.stderr.decode(errors='replace')[-200:]}")
    return done.stdout.decode("utf-8", errors="replace")


def _lines(tsv: str, scale: float) -> list[list[Word]]:
    """Tesseract's words (TSV level 5), grouped by the line it put them on, in reading order."""
    lines: dict[tuple[str, str, str], list[Word]] = {}
    boxes: dict[tuple[str, str, str], tuple[float, float]] = {}  # each line's box: height, width
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) >= 12 and cells[0] == "4":
            boxes[(cells[2], cells[3], cells[4])] = (int(cells[9]) / scale, int(cells[8]) / scale)
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        left, top, width, height = (int(c) / scale for c in cells[6:10])
        text, conf = cells[11].strip().strip("|"), float(cells[10])  # "|": what is left of a rule
        if not text:
            continue
        if conf < DOUBTFUL and len(text) == 1 and not text.isalnum():
            continue
        lines.setdefault((cells[2], cells[3], cells[4]), []).append(Word(left, left + width, top, top + height, text))
    slope = _skew(list(lines.values()))
    out = []
    for key, words in lines.items():
        tall, wide = boxes.get(key, (0.0, 0.0))
        size = max(tall - abs(slope) * wide, 0.0)  # a skewed line's box is taller than its type
        out.append(sorted((Word(w.x0, w.x1, w.top, w.bottom, w.text, size) for w in words), key=lambda w: w.x0))
    return out


def _skew(lines: list[list[Word]]) -> float:
    """How much the page's lines rise or fall per point across (a scan is rarely straight): the
    median slope of the long lines' word centres."""
    import numpy as np

    slopes = []
    for words in lines:
        if len(words) >= 8:
            x = np.array([(w.x0 + w.x1) / 2 for w in words])
            y = np.array([(w.top + w.bottom) / 2 for w in words])
            slopes.append(float(np.polyfit(x, y, 1)[0]))
    return float(np.median(slopes)) if slopes else 0.0


def line_text(words: list[Word]) -> str:
    """A line's words as text: no space between Chinese characters, one between Latin words, a
    tab between a table's cells, the ASCII punctuation Tesseract gives beside Chinese as
    full-width, a section's 一 read as a dash and an article's or a signature's space read as a
    quote mark put back, and a document number's year in its hexagonal brackets."""
    out = words[0].text
    for word in words[1:]:
        text = word.text.translate(WIDE) if cjk(out[-1]) and not word.cell else word.text
        apart = not cjk(out[-1]) and not cjk(text[0]) and text[0] not in "%,.;:!?)]" and out[-1] not in "(["
        out += ("\t" if word.cell else " " if apart else "") + text
    out = NEAR_CJK.sub(lambda m: (m.group(1) or m.group(2)).translate(WIDE), ONE.sub("一", out))
    out = SIGNATURE.sub("\\1\u3000", ARTICLE.sub("\\1\u3000", out))
    return DOC_NUMBER.sub(r"〔\1〕\2号", out)


def type_size(words: list[Word]) -> float:
    """The height of the line's box less the page's skew (a short line's characters alone vary
    too much), else the median height of its words."""
    return words[0].size or statistics.median(w.bottom - w.top for w in words)


def lead(words: list[Word]) -> float:
    """The width of a line's first unbreakable run: one Chinese character, or a word."""
    first = words[0]
    width = first.x1 - first.x0
    return width / len(first.text) if cjk(first.text[0]) else width
