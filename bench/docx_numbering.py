"""Word files numbered by Word: how much of each fixture parses as its text does.

Writes each fixture (tests/fixtures/docs/*.zh.txt) as a .docx in which the headings "一、" and
the items "（一）" are not typed but numbered by Word's automatic lists (a Chinese list of two
levels; items restart where the text restarts them), as many offices write them, then compares
the document rag.read_document makes of it with the one it makes of the text: the share of the
text's paragraphs found with the same id and text, and of its section titles.

    .venv/bin/python bench/docx_numbering.py [--doc] [KEY ...]

With --doc, each .docx is saved again by LibreOffice as a Word 97–2003 .doc, and that is what
is read (through rag.legacy, LibreOffice converting it back): how much of a .doc survives.

Prints, never asserts.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from rag.parse import read_document
from rag.text import squash

DOCS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "docs"
CN = "一二三四五六七八九十"
HEADING = re.compile(rf"^[{CN}]{{1,3}}、")
ITEM = re.compile(rf"^（([{CN}]{{1,3}})）")
LIST = ('<w:abstractNum {ns} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '</w:abstractNum>')


def numbered_docx(text: str, path: Path) -> None:
    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(LIST.format(ns=nsdecls("w"))))
    ids = iter(range(91, 10_000))
    headings, items = _new_list(numbering, next(ids)), None
    for line in (line.strip() for line in text.splitlines()):
        if not line:
            continue
        heading, item = HEADING.match(line), ITEM.match(line)
        if item and item.group(1) == "一":  # the text restarts its items: a new list of items
            items = _new_list(numbering, next(ids))
        numbered = heading or (item if items else None)
        p = d.add_paragraph(line[numbered.end():] if numbered else line)
        if numbered:
            num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0 if heading else 1
            num_pr.get_or_add_numId().val = headings if heading else items
    d.save(path)


def _new_list(numbering, num_id: int) -> int:
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="90"/></w:num>'))
    return num_id


def agreement(text_path: Path, docx_path: Path) -> tuple[float, float]:
    a, b = read_document(text_path), read_document(docx_path)
    want = {(p.id, squash(p.text)) for p in a.paragraphs}
    got = {(p.id, squash(p.text)) for p in b.paragraphs}
    sections = {s.title for s in a.sections}
    return len(want & got) / len(want), len(sections & {s.title for s in b.sections}) / max(1, len(sections))


def as_doc(path: Path) -> Path:
    """The .docx saved by LibreOffice as a Word 97–2003 .doc beside it."""
    import subprocess

    from rag.legacy import soffice

    command = soffice()
    if command is None:
        sys.exit("--doc needs LibreOffice (apt-get install libreoffice-writer-nogui)")
    subprocess.run([command, "--headless", f"-env:UserInstallation={(path.parent / 'profile').as_uri()}",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(path.parent), str(path)],
                   check=True, capture_output=True, timeout=120)
    return path.with_suffix(".doc")


def main(keys: list[str]) -> None:
    legacy = "--doc" in keys
    keys = [k for k in keys if k != "--doc"] or sorted(p.name.split(".")[0] for p in DOCS.glob("*.zh.txt"))
    scores = []
    with tempfile.TemporaryDirectory() as tmp:
        for key in keys:
            text = (DOCS / f"{key}.zh.txt").read_text(encoding="utf-8")
            if not any(HEADING.match(line) or ITEM.match(line) for line in text.splitlines()):
                continue  # nothing Word would number
            path = Path(tmp) / f"{key}.docx"
            numbered_docx(text, path)
            scores.append(agreement(DOCS / f"{key}.zh.txt", as_doc(path) if legacy else path))
    share = sum(s for s, _ in scores) / len(scores)
    titles = sum(t for _, t in scores) / len(scores)
    print(f"read as {'.doc (LibreOffice)' if legacy else '.docx'}")
    print("| documents with 一、 or （一） | paragraphs read as in the text (mean) | documents read exactly | section titles kept |")
    print("|---|---|---|---|")
    print(f"| {len(scores)} | {share:.3f} | {sum(s == 1 for s, _ in scores)} | {titles:.3f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
