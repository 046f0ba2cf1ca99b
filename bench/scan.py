"""Scanned PDFs of the fixture documents, read back by OCR: how much of each reads as its text does.

Prints each fixture (tests/fixtures/docs/*.zh.txt) to PDF with Chromium in the "official" layout
of bench/pdf_layout.py, then makes it a scan: each page a grey picture at 200 dpi, turned by
0.4°, blurred a little and saved as JPEG (quality 70), with no text layer. rag.read_document
reads it by OCR (rag/ocr.py); the document it makes is compared with the one made of the text:

- ids: the share of the text's paragraph ids found in the scan's;
- characters: per text paragraph, the similarity (difflib's ratio) of its text to the scan's
  paragraph with the same id (0 where there is none), the mean over paragraphs;
- exact: the share of the text's paragraphs found with the same id and text (spaces aside).

Speed: seconds per page to read the scan (rendering, OCR and parsing), median over documents,
against the floor of the Tesseract command alone on the same pages, in the same run.

    .venv/bin/python bench/scan.py [KEY ...]

Needs Debian's chromium, fonts-wqy-zenhei, tesseract-ocr and tesseract-ocr-chi-sim. Prints,
never asserts.
"""

from __future__ import annotations

import difflib
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pdf_layout import DOCS, page_html, print_pdf

from rag.ocr import LANGS, RESOLUTION
from rag.parse import read_document
from rag.text import squash

DPI = 200


def scanned(pdf: Path, out: Path) -> int:
    """`pdf` made a scan at `out`; returns its number of pages."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    pages = []
    for page in pdfium.PdfDocument(str(pdf)):
        image = page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
        image = image.rotate(0.4, fillcolor=255, resample=Image.BICUBIC).filter(ImageFilter.GaussianBlur(0.6))
        jpeg = io.BytesIO()
        image.save(jpeg, "JPEG", quality=70)
        pages.append(Image.open(jpeg))
    pages[0].save(out, "PDF", resolution=DPI, save_all=True, append_images=pages[1:])
    return len(pages)


def floor(scan: Path) -> float:
    """Seconds for the Tesseract command alone to read the scan's pages, rendered as rag.ocr
    renders them (rendering not timed)."""
    import pypdfium2 as pdfium

    pngs = []
    for page in pdfium.PdfDocument(str(scan)):
        png = io.BytesIO()
        page.render(scale=RESOLUTION / 72, grayscale=True).to_pil().convert("L").save(png, "PNG")
        pngs.append(png.getvalue())
    start = time.perf_counter()
    for png in pngs:
        subprocess.run(["tesseract", "stdin", "stdout", "-l", LANGS, "--psm", "3", "tsv"], input=png,
                       capture_output=True, check=True, env=dict(os.environ, OMP_THREAD_LIMIT="1"))
    return time.perf_counter() - start


def compare(text_path: Path, scan: Path) -> tuple[float, float, float, float]:
    """ids, characters, exact (as the module says) and seconds to read the scan."""
    start = time.perf_counter()
    b = read_document(scan)
    seconds = time.perf_counter() - start
    a = read_document(text_path)
    got = {p.id: squash(p.text) for p in b.paragraphs}
    want = [(p.id, squash(p.text)) for p in a.paragraphs]
    ids = sum(i in got for i, _ in want) / len(want)
    chars = statistics.mean(difflib.SequenceMatcher(None, t, got.get(i, ""), autojunk=False).ratio() for i, t in want)
    exact = sum(got.get(i) == t for i, t in want) / len(want)
    return ids, chars, exact, seconds


def main(keys: list[str]) -> None:
    if not (shutil.which("chromium") and shutil.which("tesseract")):
        sys.exit("bench/scan.py needs chromium and tesseract (bash scripts/setup --test installs them)")
    keys = keys or sorted(p.name.split(".")[0] for p in DOCS.glob("*.zh.txt"))
    rows, per_page, floors = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for key in keys:
            page, pdf, scan = (Path(tmp) / f"{key}.{kind}" for kind in ("html", "pdf", "scan.pdf"))
            page.write_text(page_html((DOCS / f"{key}.zh.txt").read_text(encoding="utf-8"), "official"), encoding="utf-8")
            print_pdf(page, pdf)
            pages = scanned(pdf, scan)
            ids, chars, exact, seconds = compare(DOCS / f"{key}.zh.txt", scan)
            rows.append((ids, chars, exact))
            per_page.append(seconds / pages)
            floors.append(floor(scan) / pages)
            print(f"{key}: {pages} pages, ids {ids:.2f}, characters {chars:.3f}, exact {exact:.2f}, "
                  f"{per_page[-1]:.2f} s a page (tesseract alone {floors[-1]:.2f})", flush=True)
    mean = lambda k: statistics.mean(r[k] for r in rows)  # noqa: E731
    print("\n| documents | paragraph ids as in the text | characters read right | paragraphs read exactly "
          "| s a page, median | Tesseract alone, median | ratio |")
    print("|---|---|---|---|---|---|---|")
    med, base = statistics.median(per_page), statistics.median(floors)
    print(f"| {len(rows)} | {mean(0):.3f} | {mean(1):.3f} | {mean(2):.3f} | {med:.2f} | {base:.2f} | {med / base:.2f}× |")


if __name__ == "__main__":
    main(sys.argv[1:])
