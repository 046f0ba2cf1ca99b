"""Readers for .docx, .pdf and .html, and the checks every file passes before parsing."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from rag.errors import ParseError
from rag.parse import read_document

NOTICE_LINES = ["关于测试补贴的通知", "测试发〔2031〕3号", "一、补贴对象", "参加失业保险的职工。", "二、补贴标准",
                "每人800元。", "测试部", "2031年3月1日"]


def test_docx(tmp_path):
    import docx

    d = docx.Document()
    for line in NOTICE_LINES:
        d.add_paragraph(line)
    path = tmp_path / "notice.docx"
    d.save(path)
    doc = read_document(path)
    assert doc.metadata.number == "测试发〔2031〕3号" and [s.title for s in doc.sections] == ["一、补贴对象", "二、补贴标准"]


TABLE = [["病种", "起付线（元）", "报销比例"], ["糖尿病", "0", "60%"], ["高血压", "0", "60%"]]


def test_a_docx_table_is_read_in_its_place_a_row_a_line(tmp_path):
    import docx

    d = docx.Document()
    for line in NOTICE_LINES[:5]:
        d.add_paragraph(line)
    table = d.add_table(rows=3, cols=3)
    for i, row in enumerate(TABLE):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    for line in NOTICE_LINES[5:]:
        d.add_paragraph(line)
    d.save(tmp_path / "notice.docx")
    doc = read_document(tmp_path / "notice.docx")
    texts = [p.text for p in doc.paragraphs]
    assert texts.index("糖尿病\t0\t60%") < texts.index("每人800元。")  # in its place, not after the text
    row = next(p for p in doc.paragraphs if p.text.startswith("糖尿病"))
    assert doc.row_reading(row.id) == "病种：糖尿病；起付线（元）：0；报销比例：60%"


def test_a_docx_laid_out_in_a_table_keeps_its_paragraphs(tmp_path):
    import docx

    d = docx.Document()
    cell = d.add_table(rows=1, cols=1).cell(0, 0)
    cell.text = NOTICE_LINES[0]
    for line in NOTICE_LINES[1:]:
        cell.add_paragraph(line)
    d.save(tmp_path / "notice.docx")
    doc = read_document(tmp_path / "notice.docx")
    assert [s.title for s in doc.sections] == ["一、补贴对象", "二、补贴标准"]


def test_an_html_table_keeps_its_cells_apart(tmp_path):
    rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in TABLE)
    html = "<html><body>" + "".join(f"<p>{line}</p>" for line in NOTICE_LINES[:5]) + f"<table>{rows}</table>" \
        + "".join(f"<p>{line}</p>" for line in NOTICE_LINES[5:]) + "</body></html>"
    (tmp_path / "notice.html").write_text(html, encoding="utf-8")
    doc = read_document(tmp_path / "notice.html")
    assert "高血压\t0\t60%" in [p.text for p in doc.paragraphs]


def test_a_page_laid_out_in_a_table_keeps_its_paragraphs(tmp_path):
    body = "".join(f"<p>{line}</p>" for line in NOTICE_LINES)
    (tmp_path / "notice.html").write_text(f"<html><body><table><tr><td>{body}</td></tr></table></body></html>",
                                          encoding="utf-8")
    doc = read_document(tmp_path / "notice.html")
    assert [s.title for s in doc.sections] == ["一、补贴对象", "二、补贴标准"] and "每人800元。" in [p.text for p in doc.paragraphs]


def test_html_keeps_blocks_and_drops_scripts(tmp_path):
    html = ("<html><head><title>x</title><script>alert('no')</script></head><body><nav>首页 | 返回</nav><article>"
            + "".join(f"<p>{line[:2]}<b>{line[2:]}</b></p>" for line in NOTICE_LINES) + "</article></body></html>")
    path = tmp_path / "notice.html"
    path.write_text(html, encoding="utf-8")
    doc = read_document(path)
    texts = [p.text for p in doc.paragraphs]
    assert "参加失业保险的职工。" in texts and not any("alert" in t or "首页" in t for t in texts)


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF with Helvetica text, enough for a text layer."""
    stream = "BT /F1 12 Tf 72 720 Td " + " ".join(f"({line}) Tj 0 -16 Td" for line in lines) + " ET"
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def test_pdf(tmp_path):
    path = tmp_path / "notes.pdf"
    path.write_bytes(_pdf(["Policy notes", "# Jobs", "Workers get training.", "# Pensions", "Paid on time."]))
    doc = read_document(path)
    assert any("Workers get training." in p.text for p in doc.paragraphs)


@pytest.mark.parametrize("name, data, says", [
    ("fake.pdf", b"hello, not a pdf", "not a PDF"),
    ("fake.docx", b"plain text", "not a .docx"),
    ("broken.docx", b"PK\x03\x04broken", "cannot open the Word document"),
    ("scan.pdf", None, "no text layer"),
    ("sheet.xlsx", b"PK", "unsupported file type"),
])
def test_bad_files_get_a_clear_error(tmp_path, name, data, says):
    path = tmp_path / name
    path.write_bytes(data if data is not None else _pdf([]))
    with pytest.raises(ParseError, match=says):
        read_document(path)


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    import rag.ingest

    monkeypatch.setattr(rag.ingest, "MAX_BYTES", 10)
    path = tmp_path / "big.txt"
    path.write_text("一、标题\n正文。" * 10, encoding="utf-8")
    with pytest.raises(ParseError, match="limit"):
        read_document(path)


def _read_page(folder, page: str, encoding: str = "utf-8"):
    path = folder / "page.html"
    path.write_bytes(page.encode(encoding))
    return read_document(path)


def test_a_government_page_is_read_without_its_menus_breadcrumbs_and_footer(tmp_path):
    """A page as a city bureau's site serves it: the menus, breadcrumb and footer are divs and lists
    like the text's own, so only the page's main content is read (trafilatura)."""
    menu = "".join(f"<li><a href='/{i}/'>{name}</a><ul><li><a>{name}指南</a></li><li><a>{name}年报</a></li></ul></li>"
                   for i, name in enumerate(["首页", "政府信息公开", "党的建设", "政策法规", "办事服务"]))
    body = "".join(f"<p><span>{i}.参加本市职工基本养老保险的灵活就业人员，按月缴费满{i}年的，可以向社保经办机构申请"
                   f"核定缴费年限，经办机构应当在{i + 5}个工作日内办结并告知结果。</span></p>" for i in range(1, 9))
    page = (f"<html><head><title>关于灵活就业人员缴费年限核定的通知_某市人社网</title></head><body>"
            f"<div class='header'><div class='menu'><ul>{menu}</ul></div></div>"
            f"<div class='crumb'><a>首页</a>&gt;<a>政策法规</a>&gt;<a>通知公告</a></div>"
            f"<div class='main'><div class='title'>关于灵活就业人员缴费年限核定的通知</div>"
            f"<div class='time'>发布时间：2031-05-06 来源：市人力资源社会保障局</div><div class='content'>{body}</div></div>"
            f"<div class='footer'><p>某ICP备00000000号</p><p>地址：某区某路1号</p><p><a>网站地图</a></p></div></body></html>")
    doc = _read_page(tmp_path, page)
    texts = [p.text for p in doc.paragraphs]
    assert doc.metadata.title == "关于灵活就业人员缴费年限核定的通知" and doc.metadata.date == "2031-05-06"
    assert not any(junk in t for t in texts for junk in ("首页", "党的建设", "ICP备", "网站地图"))
    assert sum("核定缴费年限" in t for t in texts) == 8


def test_a_page_with_a_record_block_is_read_for_its_fields_and_its_whole_text(tmp_path):
    """A page laid out as the central government's site lays one out: a record block of labels
    and values above the text gives the metadata, and a table inside the text is kept, where
    trafilatura's choice of the main content leaves it out."""
    menu = "".join(f"<li><a href='/{i}/'>{name}</a></li>" for i, name in enumerate(["首页", "新闻", "政策", "互动", "服务"]))
    record = ("<table class='record'><tr><td>索 引 号：</td><td>000000/2031-00001</td><td>主题分类：</td><td>劳动</td></tr>"
              "<tr><td>发文机关：</td><td>测试部</td><td>成文日期：</td><td>2031年03月01日</td></tr>"
              "<tr><td>标　　题：</td><td>关于测试补贴的通知</td></tr>"
              "<tr><td>发文字号：</td><td>测试发〔2031〕3号</td><td>发布日期：</td><td>2031年03月05日</td></tr></table>")
    rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in TABLE)
    text = "".join(f"<p>{line}</p>" for line in NOTICE_LINES[2:4]) + RULES + f"<p>{NOTICE_LINES[4]}</p><table>{rows}</table>" \
        + f"<p>{NOTICE_LINES[5]}</p>"  # the number and the signature only in the record block
    page = (f"<html><head><title>关于测试补贴的通知_政策_某政府网</title></head><body><div class='top'><ul>{menu}</ul></div>"
            f"<div class='crumb'><a>首页</a> &gt; <a>政策</a></div>{record}<div class='article'><h1>关于测试补贴的通知</h1>"
            f"<div class='date'>2031-03-05 来源：某政府网 【字体：大 中 小】 打印</div><div id='content'>{text}</div></div>"
            f"<div class='bottom'><p>主办单位：某办公厅 版权所有：某政府网</p><p>某ICP备00000000号</p></div></body></html>")
    doc = _read_page(tmp_path, page)
    texts = [p.text for p in doc.paragraphs]
    m = doc.metadata
    assert (m.title, m.issuer, m.date, m.number) == ("关于测试补贴的通知", "测试部", "2031-03-01", "测试发〔2031〕3号")
    assert [s.title for s in doc.sections] == ["一、补贴对象", "二、补贴标准"] and "高血压\t0\t60%" in texts
    assert not any(junk in t for t in texts for junk in ("新闻", "ICP备", "版权所有"))


def test_a_markdown_comment_is_not_read_as_text(tmp_path):
    path = tmp_path / "law.md"
    path.write_text("# 职工培训补贴法\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 为了规范补贴，制定本法。\n\n"
                    "<!-- a note\nover two lines -->\n第二条 补贴按月发放。\n", encoding="utf-8")
    doc = read_document(path)
    assert [p.text for p in doc.paragraphs] == ["职工培训补贴法", "第一条 为了规范补贴，制定本法。", "第二条 补贴按月发放。"]
    assert doc.paragraphs[-1].line == 11  # lines are counted as in the file


def _site_page(title_tag: str, above: str, text: str, wrap: str = "div") -> str:
    """A city site's page: its <title> the site's name, a menu, the document's title above the
    text with a breadcrumb label and label-only date lines ("日期：" / "2031-04-02")."""
    menu = "".join(f"<td><a href='/{i}/'>{name}</a></td>" for i, name in enumerate(["首页", "信息公开", "在线办事", "互动交流"]))
    return (f"<html><head><meta charset='gb2312'><title>{title_tag}</title></head><body><{wrap} id='main'>"
            f"<table><tr>{menu}</tr></table><div class='crumb'>当前位置：</div>{above}"
            f"<div class='info'><span>来源：</span><span>日期：</span><div>2031-04-02</div></div>"
            f"<div id='zoom'>{text}</div><div class='tools'>【打印本页】【关闭窗口】</div></{wrap}></body></html>")


RULES = "".join(f"<p>（{n}）参加失业保险满{i}年的职工，可以向经办机构申请补贴，经办机构应当在{i + 5}个工作日内办结。</p>"
                for i, n in zip(range(1, 7), "一二三四五六"))


def test_a_page_titled_by_its_site_takes_the_title_above_its_text_and_its_date(tmp_path):
    text = f"<p>各区人力资源和社会保障局：</p><p>一、补贴对象</p>{RULES}<p>二、补贴标准</p><p>每人800元。</p>"
    page = _site_page("某市人力资源和社会保障局", "<div class='title'>关于测试补贴的通知</div>", text)
    doc = _read_page(tmp_path, page, "gbk")
    texts = [p.text for p in doc.paragraphs]
    assert (doc.metadata.title, doc.metadata.kind, doc.metadata.date) == ("关于测试补贴的通知", "notice", "2031-04-02")
    assert [s.title for s in doc.sections] == ["一、补贴对象", "二、补贴标准"]
    assert not any(junk in t for t in texts for junk in ("当前位置", "首页", "关闭窗口", "\ufffd"))


def test_a_page_wrapped_in_one_form_is_read(tmp_path):
    text = f"<p>一、补贴对象</p>{RULES}<p>二、补贴标准</p><p>每人800元。</p>"
    page = _site_page("关于测试补贴的通知_某市人社局", "<h2>关于测试补贴的通知</h2>", text, wrap="form")
    assert [s.title for s in _read_page(tmp_path, page, "gbk").sections] == ["一、补贴对象", "二、补贴标准"]


def test_binary_data_named_as_a_page_is_refused_and_a_stray_control_character_is_dropped(tmp_path):
    path = tmp_path / "._notice.html"  # a Mac's resource fork beside the page it was copied with
    path.write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x02" + bytes(200))
    with pytest.raises(ParseError, match="not a web page"):
        read_document(path)
    page = tmp_path / "notice.html"
    page.write_text("<html><body>" + "".join(f"<p>{line}\x12</p>" for line in NOTICE_LINES) + "</body></html>", encoding="utf-8")
    assert "每人800元。" in [p.text for p in read_document(page).paragraphs]


GB_TEXT = "关于测试补贴的通知\n测试发〔2031〕3号\n一、补贴对象\n参加失业保险的职工。\n二、补贴标准\n每人800元。\n"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-8-sig"])
def test_a_text_saved_in_a_chinese_or_windows_encoding_is_read(tmp_path, encoding):
    path = tmp_path / "notice.txt"
    path.write_bytes(GB_TEXT.encode(encoding))
    doc = read_document(path)
    assert doc.metadata.number == "测试发〔2031〕3号" and doc.paragraphs[-1].text == "每人800元。"


def test_a_page_saved_in_gbk_is_read(tmp_path):
    page = ('<html><head><meta charset="gbk"><title>关于测试补贴的通知</title></head><body>'
            + "".join(f"<p>{line}</p>" for line in GB_TEXT.splitlines()) + "</body></html>")
    path = tmp_path / "notice.html"
    path.write_bytes(page.encode("gbk"))
    assert any(p.text == "每人800元。" for p in read_document(path).paragraphs)


def test_a_text_in_another_encoding_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes("Notes on the café's staff.\n".encode("latin-1"))
    with pytest.raises(ParseError, match="not valid UTF-8.*save the document as UTF-8"):
        read_document(path)


def _numbered_docx(path, lines):
    """A .docx whose headings and items are numbered by Word ("一、", "（一）"), not typed: each
    line is (level or None, text)."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for level, text in lines:
        p = d.add_paragraph(text)
        if level is not None:
            num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = level
            num_pr.get_or_add_numId().val = 90
    d.save(path)


def test_words_automatic_numbering_is_read_as_the_document_shows_it(tmp_path):
    path = tmp_path / "notice.docx"
    _numbered_docx(path, [(None, "关于测试补贴的通知"), (None, "测试发〔2031〕3号"), (0, "补贴对象"),
                          (1, "参加失业保险的职工。"), (1, "领取失业保险金的人员。"), (0, "补贴标准"),
                          (1, "每人800元。"), (None, "测试部")])
    doc = read_document(path)
    assert [s.title for s in doc.sections] == ["一、补贴对象", "二、补贴标准"]
    texts = [p.text for p in doc.paragraphs]
    assert "（二）领取失业保险金的人员。" in texts and "（一）每人800元。" in texts  # a level restarts under the next


@pytest.mark.parametrize("n, text", [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (35, "三十五"), (105, "一百〇五"),
                                     (110, "一百一十")])
def test_chinese_counting(n, text):
    from rag.word import chinese

    assert chinese(n) == text


# -- Word 97–2003 .doc and WPS .wps, through LibreOffice (rag.legacy) ----------------------------
NUMBERED = [(None, "关于测试补贴的通知"), (None, "测试发〔2031〕3号"), (0, "补贴对象"), (1, "参加失业保险的职工。"),
            (1, "领取失业保险金的人员。"), (0, "补贴标准"), (1, "每人800元。"), (None, "测试部")]


@pytest.fixture(scope="module")
def word97(tmp_path_factory) -> bytes:
    """A numbered notice saved by LibreOffice as a Word 97–2003 .doc: its bytes."""
    import subprocess

    from rag.legacy import soffice

    command = soffice()
    if command is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    tmp = tmp_path_factory.mktemp("word97")
    _numbered_docx(tmp / "notice.docx", NUMBERED)
    subprocess.run([command, "--headless", f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--convert-to",
                    "doc:MS Word 97", "--outdir", str(tmp), str(tmp / "notice.docx")], check=True, capture_output=True,
                   timeout=120)
    return (tmp / "notice.doc").read_bytes()


@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_a_word_97_or_wps_file_is_read_with_its_numbering(tmp_path, word97, suffix):
    path = tmp_path / f"notice{suffix}"
    path.write_bytes(word97)
    doc = read_document(path)
    assert [s.title for s in doc.sections] == ["一、补贴对象", "二、补贴标准"]
    assert doc.metadata.number == "测试发〔2031〕3号"
    assert [(p.id, p.text) for p in doc.paragraphs if p.section == 1] == [
        ("§1.1", "（一）参加失业保险的职工。"), ("§1.2", "（二）领取失业保险金的人员。")]


def _rtf(lines: list[str]) -> str:
    """An RTF of one paragraph a line, each Chinese character as RTF writes it (\\uN?)."""
    def chars(text: str) -> str:
        return "".join(c if ord(c) < 128 else f"\\u{ord(c) - 65536 if ord(c) > 32767 else ord(c)}?" for c in text)

    return "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 SimSun;}}\n" + "".join(f"\\pard {chars(t)}\\par\n" for t in lines) + "}"


def test_what_sites_serve_as_doc_is_read_too_rtf_docx_or_a_web_page(tmp_path, word97):  # word97: LibreOffice is here
    typed = [line if not line.startswith(("参加", "每人")) else "（一）" + line for line in NOTICE_LINES]
    (tmp_path / "rtf.doc").write_text(_rtf(typed), encoding="ascii")
    _numbered_docx(tmp_path / "docx.doc", NUMBERED)
    (tmp_path / "page.doc").write_text("<html><head><meta charset='utf-8'></head><body>"
                                       + "".join(f"<p>{t}</p>" for t in typed) + "</body></html>", encoding="utf-8")
    for name in ("rtf.doc", "docx.doc", "page.doc"):
        doc = read_document(tmp_path / name)
        assert [s.title for s in doc.sections] == ["一、补贴对象", "二、补贴标准"], name
        assert doc.metadata.number == "测试发〔2031〕3号", name


def test_a_damaged_doc_is_refused_not_read_as_text(tmp_path, word97):
    path = tmp_path / "notice.doc"
    path.write_bytes(word97[:8] + bytes(range(256)) * 20)  # the signature, then no Word file
    with pytest.raises(ParseError, match="LibreOffice could not read it.*save it as .docx"):
        read_document(path)


def test_a_doc_that_is_not_one_is_refused_before_libreoffice_runs(tmp_path, monkeypatch):
    import subprocess

    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: pytest.fail("LibreOffice was run"))
    path = tmp_path / "notice.doc"
    path.write_text("关于测试补贴的通知", encoding="utf-8")
    with pytest.raises(ParseError, match="not a Word 97–2003, WPS or RTF document"):
        read_document(path)


def test_without_libreoffice_a_doc_is_refused_saying_what_to_do(tmp_path, monkeypatch):
    import rag.legacy

    monkeypatch.setattr(rag.legacy.shutil, "which", lambda name: None)
    path = tmp_path / "notice.wps"
    path.write_bytes(rag.legacy.OLE + b"\0" * 512)
    with pytest.raises(ParseError, match="needs LibreOffice.*libreoffice-writer-nogui.*save it as .docx"):
        read_document(path)


def test_a_conversion_that_takes_too_long_is_stopped_with_all_it_started(tmp_path, word97, monkeypatch):
    import rag.legacy

    monkeypatch.setattr(rag.legacy, "CONVERT_SECONDS", 0.5)  # soffice.bin is running by then
    path = tmp_path / "notice.doc"
    path.write_bytes(word97)
    with pytest.raises(ParseError, match="took over"):
        read_document(path)
    time.sleep(0.5)
    assert not [p for p in Path("/proc").glob("[0-9]*/cmdline") if b"rag-convert-" in _read(p)]


def _read(path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:  # the process ended meanwhile
        return b""


def test_converting_fetches_nothing_the_file_links_to(tmp_path, word97):  # word97: LibreOffice is here
    import http.server
    import threading

    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the http.server name)
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    path = tmp_path / "linked.doc"
    path.write_text("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}\n\\pard Notice\\par\n"
                    f'\\pard {{\\field{{\\*\\fldinst {{ INCLUDEPICTURE "{url}/picture.png" \\\\d }}}}{{\\fldrslt }}}}\\par\n'
                    f'\\pard {{\\field{{\\*\\fldinst {{ INCLUDETEXT "{url}/text.txt" }}}}{{\\fldrslt }}}}\\par\n}}',
                    encoding="ascii")
    try:
        assert [p.text for p in read_document(path).paragraphs] == ["Notice"]
    finally:
        server.shutdown()
    assert asked == []
