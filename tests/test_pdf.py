"""A PDF is read as its text: lines joined back into paragraphs by where they stand, page numbers
and running heads dropped, tables a row a line. The fixtures in tests/fixtures/pdf/ are invented
texts printed by Chromium (make.sh); each .txt beside one is what a reader should get from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.errors import ParseError
from rag.ingest import read_text
from rag.parse import parse_text, read_document
from rag.pdf import Line, _lead, _without_running, paragraphs, unmapped

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"


# table: a ruled table whose row a page break cuts in two, its halves not ruled shut: one row.
@pytest.mark.parametrize("name", ["notice", "notes", "table"])
def test_a_printed_pdf_reads_as_the_text_it_was_printed_from(name):
    expected = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8").rstrip("\n")
    assert read_text(FIXTURES / f"{name}.pdf") == expected


def test_a_printed_notice_parses_as_its_text_does():
    pdf = read_document(FIXTURES / "notice.pdf")
    text = parse_text((FIXTURES / "notice.txt").read_text(encoding="utf-8"))
    assert pdf.metadata == text.metadata
    assert [(p.id, p.role, p.text) for p in pdf.paragraphs] == [(p.id, p.role, p.text) for p in text.paragraphs]


def test_what_the_page_breaks_hide_is_read_whole():
    doc = read_document(FIXTURES / "notice.pdf")
    texts = [p.text for p in doc.paragraphs]
    assert doc.metadata.title == "关于做好二〇三一年度职业技能提升补贴申领工作有关事项的通知"  # a title over two lines
    assert not any("—" in t for t in texts)  # the page numbers "— 1 —"
    # The item that runs from page 1 onto page 2 is one paragraph, its id its own.
    crossing = next(p for p in doc.paragraphs if p.text.startswith("（三）网上申请"))
    assert crossing.text.endswith("社会保障卡银行账户。")
    # A cell merged over three rows reads in each of them.
    assert sum("按证书核发时间认定" in t for t in texts) == 3


def _line(text, x0=50.0, x1=500.0, top=0.0, size=10.0, page=1, **kw) -> Line:
    return Line(page, x0, x1, top, top + size, size, text, **kw)


def test_a_line_too_short_for_the_next_word_still_runs_on():
    # Ragged text: the address did not fit at the end of the first line, so it is on the next.
    lines = [_line("Apply online at the service portal (address:", x1=400, top=0),
             _line("https://example.org/apply/training/allowance) within a year.", x1=460, top=14, lead=280),
             _line("Another paragraph starts after a gap.", x1=300, top=40)]
    assert paragraphs(lines) == [
        "Apply online at the service portal (address: https://example.org/apply/training/allowance) within a year.",
        "Another paragraph starts after a gap."]


def test_a_label_atop_a_page_is_not_the_rest_of_the_paragraph_the_page_before_ends():
    lines = [_line("办理条件", x1=90, top=600),
             _line("在广州市参加了城乡居民养老保险的参保人员，按规定已办理城镇职工养老保险关系转移", x1=500, top=614),
             _line("办理程序", x1=90, top=60, page=2),
             _line("1.参保人员携带相关资料到区社保经办机构提出申请。", x1=400, top=74, page=2),
             _line("接续手续的，可以申请。", x1=160, top=88, page=2)]
    out = paragraphs(lines)
    assert "办理程序" in out and not any(p.endswith("转移办理程序") for p in out)
    # A sentence's rest atop the next page runs on, short or not.
    assert paragraphs([_line("参保人员按规定办理关系转移", x1=500, top=614), _line("接续手续。", x1=110, top=60, page=2)]) == [
        "参保人员按规定办理关系转移接续手续。"]


def _chars(text: str, x0: float = 50.0, width: float = 10.0) -> list[dict]:
    return [dict(text=c, x0=x0 + i * width, x1=x0 + (i + 1) * width, size=width) for i, c in enumerate(text)]


@pytest.mark.parametrize("text, run", [("（四）、（五）项规定", "（四）、"), ("职工已享受", "职"), ("《条例》第四条", "《条"),
                                       ("“三险”，一金", "“三"), ("2031年", "2031"), ("险”，一金", "险”，")])
def test_a_lines_first_run_keeps_what_chinese_never_breaks_from(text, run):
    # Chinese type never ends a line on an opening bracket nor starts one with closing
    # punctuation: "（四）、" wraps whole, so the line before it ran as far as it could.
    assert _lead(_chars(text)) == 10.0 * len(run)
    lines = [_line("第八条 职工已享受当年的年休假，年度内又出现条例第四条第（二）、（三）、", x1=470, top=0),
             _line("（四）、（五）项规定情形之一的，不享受下一年度的年休假。", x1=300, top=14, lead=_lead(_chars("（四）、"))),
             _line("第九条 用人单位根据生产、工作的具体情况，并考虑职工本人意愿，统筹安排年休假。", x1=500, top=40)]
    assert paragraphs(lines)[0].endswith("（三）、（四）、（五）项规定情形之一的，不享受下一年度的年休假。")


def test_a_numbered_item_after_a_finished_sentence_opens_a_paragraph_without_an_indent():
    lines = [_line("一、对象", x1=90, top=0),
             _line("（一）参加失业保险的职工，累计缴费满十二个月", x1=500, top=14),
             _line("的，可以申请补贴。", x1=140, top=28),
             _line("（二）领取失业保险金期间取得证书的失业人员可以申请。", x1=500, top=42),
             _line("（三）同一证书只能申请一次。", x1=200, top=56)]
    assert paragraphs(lines)[1:] == ["（一）参加失业保险的职工，累计缴费满十二个月的，可以申请补贴。",
                                     "（二）领取失业保险金期间取得证书的失业人员可以申请。", "（三）同一证书只能申请一次。"]


def test_running_heads_and_page_numbers_are_dropped_and_nothing_else():
    lines = []
    for page in range(1, 5):
        lines += [_line("人力资源社会保障部公报", top=10, page=page, edge=True),
                  _line(f"正文第{page}页的内容。", top=100, page=page),
                  _line(f"— {page} —", top=800, page=page, edge=True)]
    lines.append(_line("附件：申请表", top=820, page=4, edge=True))  # once, in the margin: kept
    assert [line.text for line in _without_running(lines)] == [f"正文第{n}页的内容。" for n in range(1, 5)] + ["附件：申请表"]


def test_a_damaged_or_locked_pdf_gets_a_clear_error(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    with pytest.raises(ParseError, match="cannot read the PDF|no text layer"):
        read_document(broken)
    with pytest.raises(ParseError, match="needs a password"):
        read_document(FIXTURES / "notes-password.pdf")


def test_a_pdf_protected_only_from_editing_is_read():
    expected = (FIXTURES / "notes.txt").read_text(encoding="utf-8").rstrip("\n")
    assert read_text(FIXTURES / "notes-nocopy.pdf") == expected


def test_a_page_of_glyphs_mapped_to_no_character_is_read_as_a_picture():
    assert unmapped(["(cid:1905)(cid:2248)(cid:1601)", "(cid:3201)"])  # pdfminer's text of such a font
    assert not unmapped(["第一条 为了规范补贴，制定本办法。", "(cid:12)"]) and not unmapped([])
