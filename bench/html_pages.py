"""Saved web pages: how much of each fixture parses from a government page as from its text.

Writes each fixture (tests/fixtures/docs/*.zh.txt) as two kinds of page a user may save from a
government site, then compares the document rag.read_document makes of it with the one it makes
of the text:

- `central`: laid out as the central government's site lays out a policy document: a menu of
  links, a breadcrumb, a record block (索引号, 发文机关, 成文日期, 标题, 发文字号, 发布日期, a table
  of labels and values) above the title, a line of date, source and font size, the text, an
  editor's line, related links and a footer. The record block states the metadata the text's
  own reading found.
- `bureau`: a city bureau's page: nested menus, a breadcrumb, a title, a "发布时间：… 来源：…"
  line, the text, a footer. Its date and source are the page's, not the document's, so only
  the text is compared.

Printed: the share of the text's body paragraphs (those after the header, §0) found with the
same id and text, the documents read exactly, and for `central` the documents whose title,
kind, issuer, date and number are read as from the text (where the text states one: a date or
an issuer the text lacks may come from the page's own date and source line).

    .venv/bin/python bench/html_pages.py [KEY ...]

Prints, never asserts.
"""

from __future__ import annotations

import html
import sys
import tempfile
from pathlib import Path

from rag.document import Document, Metadata
from rag.parse import read_document

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "tests" / "fixtures" / "docs"
FIELDS = ("title", "kind", "issuer", "date", "number")


def record(md: Metadata) -> str:
    cells = [("索 引 号：", "000000000/0000-00000"), ("主题分类：", "劳动、人事、监察"), ("发文机关：", md.issuer),
             ("成文日期：", md.date), ("标　　题：", md.title), ("发文字号：", md.number), ("发布日期：", md.date)]
    cells = [(label, html.escape(value)) for label, value in cells if value]
    return "".join("<tr>" + "".join(f"<td>{label}</td><td>{value}</td>" for label, value in cells[i:i + 2]) + "</tr>"
                   for i in range(0, len(cells), 2))


def central(lines: list[str], md: Metadata) -> str:
    title = html.escape(lines[0])
    menu = "".join(f"<li><a href='/{i}/'>{name}</a></li>" for i, name in enumerate("首页 新闻 政策 互动 服务 数据".split()))
    text = "".join(f'<p style="text-indent: 2em;">{html.escape(line)}</p>' for line in lines[1:])
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}_政策文件_某政府网</title></head><body>"
            f"<div class='header'><ul>{menu}</ul></div><div class='crumb'><a>首页</a> &gt; <a>政策</a> &gt; <a>文件库</a></div>"
            f"<table class='record'>{record(md)}</table><div class='article'><h1>{title}</h1>"
            "<div class='date'>2031-12-05 15:00　<span>来源：某政府网</span> <span>【字体：大 中 小】</span> <span>打印</span></div>"
            f"<div id='content' class='pages_content'>{text}</div><div class='editor'>责任编辑：某某</div></div>"
            "<div class='related'><h3>相关稿件</h3><ul><li><a href='#'>相关政策解读</a></li><li><a href='#'>新闻发布会</a></li></ul></div>"
            "<div class='footer'><p>主办单位：某办公厅　运行维护单位：某中心</p><p>版权所有：某政府网</p>"
            "<p>网站识别码0000000000　某ICP备00000000号</p></div></body></html>")


def bureau(lines: list[str], md: Metadata) -> str:
    title = html.escape(lines[0])
    menu = "".join(f"<li><a href='/{i}/'>{name}</a><ul><li><a>{name}指南</a></li><li><a>{name}年报</a></li></ul></li>"
                   for i, name in enumerate(["首页", "政府信息公开", "党的建设", "政策法规", "办事服务"]))
    text = "".join(f"<p>{html.escape(line)}</p>" for line in lines[1:])
    return (f"<html><head><title>{title}_某市人社网</title></head><body><div class='header'><div class='menu'><ul>{menu}</ul>"
            f"</div></div><div class='crumb'><a>首页</a>&gt;<a>政策法规</a></div><div class='main'><div class='title'>{title}"
            f"</div><div class='time'>发布时间：2031-05-06 来源：市人力资源社会保障局</div><div class='content'>{text}</div></div>"
            "<div class='footer'><p>某ICP备00000000号</p><p>地址：某区某路1号</p><p><a>网站地图</a></p></div></body></html>")


def body(doc: Document) -> list[tuple[str, str]]:
    return [(p.id, " ".join(p.text.split())) for p in doc.paragraphs if not p.id.startswith("§0.")]


def main(keys: list[str]) -> None:
    paths = [p for p in sorted(DOCS.glob("*.zh.txt")) if not keys or p.name.split(".")[0] in keys]
    rows = {"central": [], "bureau": []}
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            text = read_document(path)
            lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            for kind, make in (("central", central), ("bureau", bureau)):
                page = Path(tmp) / f"{path.name}.{kind}.html"
                page.write_text(make(lines, text.metadata), encoding="utf-8")
                read = read_document(page)
                want, got = body(text), set(body(read))
                share = sum(p in got for p in want) / max(len(want), 1)
                fields = all(getattr(read.metadata, f) == getattr(text.metadata, f) for f in FIELDS
                             if getattr(text.metadata, f))  # a field the text lacks may come from the page
                rows[kind].append((share, share == 1 and len(got) == len(want), fields))
                if share < 1 or (kind == "central" and not fields):
                    print(f"  {path.name.split('.')[0]} {kind}: body {share:.2f}"
                          + ("" if kind == "bureau" or fields else ", metadata "
                             + ", ".join(f"{f} {getattr(read.metadata, f)!r}" for f in FIELDS
                                         if getattr(text.metadata, f) and getattr(read.metadata, f) != getattr(text.metadata, f))))
    print("| page | documents | body paragraphs read as in the text (mean) | documents read exactly | metadata as in the text |")
    print("|---|---|---|---|---|")
    for kind, scores in rows.items():
        meta = f"{sum(f for _, _, f in scores)}" if kind == "central" else "(the page's own)"
        print(f"| {kind} | {len(scores)} | {sum(s for s, _, _ in scores) / len(scores):.3f} | "
              f"{sum(e for _, e, _ in scores)} | {meta} |")


if __name__ == "__main__":
    main(sys.argv[1:])
