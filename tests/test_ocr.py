"""A scanned PDF (pages that are pictures, no text layer) is read by OCR into the same paragraphs,
ids and table rows as its text. The scans are made here from tests/fixtures/pdf/notice.pdf:
each page a grey picture, turned a little, blurred and saved as JPEG, as a scanner gives it."""

from __future__ import annotations

import difflib
import io
from pathlib import Path

import numpy as np
import pytest

from rag import ocr, pdf
from rag.errors import ParseError
from rag.ingest import read_text
from rag.parse import parse_text, read_document

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"
needs_tesseract = pytest.mark.skipif(not ocr.available(), reason="needs tesseract-ocr and tesseract-ocr-chi-sim")


def _scan(source: Path, out: Path, pages: range | None = None) -> Path:
    """A scan of `source`'s pages (all, or `pages`, counted from 0): JPEG pictures in a PDF."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    pictures = []
    document = pdfium.PdfDocument(str(source))
    for i in pages if pages is not None else range(len(document)):
        image = document[i].render(scale=200 / 72, grayscale=True).to_pil().convert("L")
        image = image.rotate(0.4, fillcolor=255, resample=Image.BICUBIC).filter(ImageFilter.GaussianBlur(0.6))
        jpeg = io.BytesIO()
        image.save(jpeg, "JPEG", quality=70)
        pictures.append(Image.open(jpeg))
    pictures[0].save(out, "PDF", resolution=200, save_all=True, append_images=pictures[1:])
    return out


@needs_tesseract
def test_a_scanned_notice_reads_as_its_text_with_its_ids_and_table(tmp_path):
    text = parse_text((FIXTURES / "notice.txt").read_text(encoding="utf-8"))
    scan = read_document(_scan(FIXTURES / "notice.pdf", tmp_path / "notice.pdf"))
    assert [p.id for p in scan.paragraphs] == [p.id for p in text.paragraphs]
    assert [p.role for p in scan.paragraphs] == [p.role for p in text.paragraphs]
    for got, want in zip(scan.paragraphs, text.paragraphs):  # OCR misreads a character here and there
        if "\t" not in want.text:
            assert difflib.SequenceMatcher(None, got.text, want.text).ratio() > 0.85, (got.text, want.text)
    rows = [p.text for p in scan.paragraphs if "\t" in p.text]
    assert [r.split("\t")[:2] for r in rows[1:]] == [["初级工", "1000"], ["中级工", "1500"], ["高级工", "2000"]]
    # A picture does not say that a cell is merged over three rows: it is read in the one it faces.
    assert sum("按证书核发时间认定" in r for r in rows) == 1
    assert scan.metadata.date == text.metadata.date


@needs_tesseract
def test_a_pdf_with_one_scanned_page_reads_it_in_its_place(tmp_path):
    import pypdfium2 as pdfium

    scanned = pdfium.PdfDocument(str(_scan(FIXTURES / "notice.pdf", tmp_path / "scan.pdf", range(1, 2))))
    mixed = pdfium.PdfDocument(str(FIXTURES / "notice.pdf"))
    mixed.del_page(1)
    mixed.import_pages(scanned, index=1)
    mixed.save(str(tmp_path / "mixed.pdf"))
    texts = read_text(tmp_path / "mixed.pdf").splitlines()
    opens = [next(i for i, t in enumerate(texts) if t.startswith(head)) for head in ("（三）", "（四）", "（六）", "四、")]
    assert opens == sorted(opens)  # page 2, read by OCR, stands between pages 1 and 3


def test_without_tesseract_a_scan_is_refused_saying_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(ParseError, match="scanned pictures.*tesseract-ocr-chi-sim"):
        read_text(_scan(FIXTURES / "notice.pdf", tmp_path / "notice.pdf", range(0, 1)))


def test_a_scan_of_too_many_pages_is_refused_before_any_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: True)
    monkeypatch.setattr(ocr, "MAX_PAGES", 2)
    monkeypatch.setattr(ocr, "page_words", lambda *a: pytest.fail("a page was read"))
    with pytest.raises(ParseError, match="3 scanned pages is over the 2-page limit"):
        read_text(_scan(FIXTURES / "notice.pdf", tmp_path / "notice.pdf"))


def test_ruling_lines_are_found_and_a_bold_stroke_is_not():
    dark = np.zeros((200, 400), dtype=bool)
    dark[50:53, 20:380] = True  # a table's rule across
    dark[60:180, 100:103] = True  # a rule down, 3 pixels wide
    dark[60:180, 200:214] = True  # a bold character's stroke, 14 wide
    dark[150:154, 300:340] = True  # a character's short stroke across
    across, down = pdf_rules = ocr.rules(dark, across=100, down=80, thick=6)
    assert across[51, 20] and across[51, 379] and not across[152, 320]
    assert down[100, 101] and not down[100, 207]
    assert not (across & ~dark).any() and not (down & ~dark).any()
    assert len(pdf_rules) == 2


def test_a_lines_words_are_joined_as_chinese_and_latin_are_written():
    words = [ocr.Word(0, 10, 0, 10, w) for w in ("补贴", "标准", "(", "元", ")", ":", "3.5", "%")]
    assert ocr.line_text(words) == "补贴标准（元）：3.5%"
    assert ocr.line_text([ocr.Word(0, 10, 0, 10, w) for w in ("测人社发", "【2031]", "7", "号")]) == "测人社发〔2031〕7号"
    for dash in ("-", "”"):
        assert ocr.line_text([ocr.Word(0, 10, 0, 10, w) for w in (dash + "、", "事项", "信息")]) == "一、事项信息"
    assert ocr.line_text([ocr.Word(0, 10, 0, 10, w) for w in ("(-)", "申办", "条件")]) == "（一）申办条件"
    assert ocr.line_text([ocr.Word(0, 10, 0, 10, w) for w in ("-", "3", "-")]) == "- 3 -"  # a page number stays
    assert ocr.line_text([ocr.Word(0, 10, 0, 10, w) for w in ("第二", "条", "”本", "规定")]) == "第二条\u3000本规定"
    assert ocr.line_text([ocr.Word(0, 10, 0, 10, w) for w in ("按照", "“", "以收定支", "”")]) == "按照“以收定支”"
    assert ocr.line_text([ocr.Word(0, 10, 0, 10, w) for w in ("部长", "”", "郑斯林")]) == "部长\u3000郑斯林"
    assert ocr.line_text([ocr.Word(0, 10, 0, 10, w) for w in ("Social", "Insurance", "Law")]) == "Social Insurance Law"
    cells = [ocr.Word(0, 10, 0, 10, "初级工"), ocr.Word(50, 60, 0, 10, "1000", cell=True)]
    assert ocr.line_text(cells) == "初级工\t1000"


def test_tesseract_output_becomes_lines_without_specks_and_with_steady_sizes():
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [header, "4\t1\t1\t1\t1\t0\t100\t100\t1000\t70\t-1\t"]
    rows += [f"5\t1\t1\t1\t1\t{i}\t{100 + 100 * i}\t{100 + 2 * i}\t60\t60\t95\t字" for i in range(10)]
    rows.append("5\t1\t1\t1\t1\t11\t1150\t120\t20\t20\t12\t@")  # a speck read as a symbol
    (line,) = ocr._lines("\n".join(rows), scale=1.0)
    assert ocr.line_text(line) == "字" * 10
    assert ocr.type_size(line) == pytest.approx(70 - 0.02 * 1000, abs=0.5)  # the skew taken out


def test_an_ocr_line_set_off_from_the_margin_by_a_scans_jitter_is_not_centred():
    lines = [pdf.Line(1, 84 + (i % 3) * 2, 514, 100 + 28 * i, 116 + 28 * i, 16, "字" * 25) for i in range(12)]
    column = pdf.Column.of(lines)
    assert column.slack >= 2 and not any(column.centred(line) for line in lines)


@needs_tesseract
def test_a_scanned_pdf_added_to_the_library_is_read_by_ocr_once(tmp_path, fake_embedder, monkeypatch):
    from rag.config import Config
    from rag.library import Library

    config = Config(index_dir=tmp_path / "index")
    scan = _scan(FIXTURES / "notice.pdf", tmp_path / "skills.pdf")
    pages = []
    read = ocr.page_words
    monkeypatch.setattr(ocr, "page_words", lambda raw, i, name: pages.append(i) or read(raw, i, name))
    entry = Library(config.index_path).add(scan, config, fake_embedder)
    assert entry.key == "skills" and entry.date == "2031-03-01" and entry.paragraphs > 10
    assert sorted(pages) == [0, 1, 2]  # each page read by OCR once, though the file is read twice
