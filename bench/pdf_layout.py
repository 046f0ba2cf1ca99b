"""PDFs of the fixture documents, read back: how much of each parses as its text does.

Prints each fixture (tests/fixtures/docs/*.zh.txt) to PDF with Chromium in three layouts, then
compares the document rag.read_document makes of the PDF with the one it makes of the text:
the share of the text's paragraphs found in the PDF's with the same id and text (spaces aside),
and whether the title is the same. Lines with tabs are printed as a ruled table.

    .venv/bin/python bench/pdf_layout.py [KEY ...]

Layouts: "official" (16 pt, 2-character indents, justified, page numbers "— 1 —"), "web" (11 pt,
no indent, a gap between paragraphs, ragged right), "ragged" (indents, ragged right, a running
head and "第 1 页" on each page). Needs Debian's chromium and fonts-wqy-zenhei. Prints, never asserts.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from rag.parse import read_document
from rag.text import squash

DOCS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "docs"
PAGE = """@page { size: A4; margin: 37mm 26mm 35mm 28mm; %(margins)s }
body { font-family: 'WenQuanYi Zen Hei'; font-size: %(size)s; line-height: %(leading)s; }
p { margin: 0 0 %(gap)s; text-indent: %(indent)s; text-align: %(align)s; }
p.title { text-align: center; text-indent: 0; font-size: 22pt; line-height: 36pt; margin-bottom: 18pt; }
table { border-collapse: collapse; font-size: 12pt; line-height: 16pt; margin: 6pt 0; }
td { border: 1px solid black; padding: 2pt 4pt; }"""
NUMBERS = '@bottom-center { content: "— " counter(page) " —"; font-size: 14pt; }'
HEAD = ('@top-center { content: "人力资源社会保障部公报"; font-size: 10pt; } '
        '@bottom-right { content: "第 " counter(page) " 页"; font-size: 10pt; }')
LAYOUTS = {
    "official": dict(margins=NUMBERS, size="16pt", leading="28pt", gap="0", indent="2em", align="justify"),
    "web": dict(margins=NUMBERS, size="11pt", leading="17pt", gap="10pt", indent="0", align="left"),
    "ragged": dict(margins=HEAD, size="16pt", leading="28pt", gap="0", indent="2em", align="left"),
}


def page_html(text: str, layout: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    body, table = [f'<p class="title">{html.escape(lines[0])}</p>'], []
    for line in lines[1:] + [""]:
        if "\t" in line:
            table.append(line)
            continue
        if table:
            rows = ("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row.split("\t")) + "</tr>" for row in table)
            body.append("<table>" + "".join(rows) + "</table>")
            table = []
        if line:
            body.append(f"<p>{html.escape(line)}</p>")
    return f"<!doctype html><meta charset=utf-8><style>{PAGE % LAYOUTS[layout]}</style>" + "\n".join(body)


def print_pdf(page: Path, out: Path) -> None:
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={out}", str(page)], check=True, capture_output=True, timeout=120)


def agreement(text_path: Path, pdf_path: Path) -> tuple[float, bool]:
    a, b = read_document(text_path), read_document(pdf_path)
    want = {(p.id, squash(p.text)) for p in a.paragraphs}
    got = {(p.id, squash(p.text)) for p in b.paragraphs}
    return len(want & got) / len(want), a.metadata.title == b.metadata.title


def main(keys: list[str]) -> None:
    if not shutil.which("chromium"):
        sys.exit("bench/pdf_layout.py needs chromium (bash scripts/setup --test installs it)")
    keys = keys or sorted(p.name.split(".")[0] for p in DOCS.glob("*.zh.txt"))
    print("| layout | documents | paragraphs read as in the text (mean) | documents read exactly | titles kept |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for layout in LAYOUTS:
            scores = []
            for key in keys:
                page, pdf = Path(tmp) / f"{key}.{layout}.html", Path(tmp) / f"{key}.{layout}.pdf"
                page.write_text(page_html((DOCS / f"{key}.zh.txt").read_text(encoding="utf-8"), layout), encoding="utf-8")
                print_pdf(page, pdf)
                scores.append(agreement(DOCS / f"{key}.zh.txt", pdf))
            share = sum(s for s, _ in scores) / len(scores)
            print(f"| {layout} | {len(scores)} | {share:.3f} | {sum(s == 1 for s, _ in scores)} "
                  f"| {sum(t for _, t in scores)} |")


if __name__ == "__main__":
    main(sys.argv[1:])
