"""Parse a Chinese policy text into sections and citable paragraphs, by what it looks like.

Genres, each chosen from the text itself:
- official documents (通知, 意见, 办法, 规定, 方案…): sections follow the document's own
  top-level numbering. Several families of heading patterns are tried (第一章, 第一部分, 一、,
  （一）, 1.), and the highest-ranking family that numbers at least two lines makes the sections,
  so §3.x is the document's 三、. Lower-level headings stay inside their section. Articles
  (第一条) are paragraphs; a document of articles alone is one section. Ids follow the
  document's numbering where it has one all through: §17.2 is 第十七条's second paragraph,
  and in an opinion numbered （一）…（十二） across its 一、二、 sections, §2.3 is （三）.
- press Q&A (问：/答：, 记者：, "1.问：") without headings: each question opens a section
  named by the question.
- interviews with headed sections of 问/答 turns (the bundled one), and plain articles or
  Markdown with headings.

Front matter (title, "——" subtitle, byline, document number, date line, addressee, "来源："
lines) and a signature block (issuer lines over a date) are the header, §0, and the
document's metadata: they never become a section. Body text before the first section (an
official document's preamble, a Q&A's introduction) is §0 too, with the role "text".

A title broken over two or three lines, as a centred title is, is joined where its last line
ends in the document's kind (…的意见). Not handled: tables, footnotes. Such lines become text.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import replace
from pathlib import Path

from .document import Document, Metadata, Paragraph, Section, closed_heading, record_line
from .errors import ParseError
from .ingest import decode, read_text
from .text import HAN
from .text import cn_number, joined, unradical

# When what this parser makes of a file changes, raise rag.document.PARSER_VERSION: saved parses
# and the indexes built from them are then made again.
_END = "。！？!?；;…."
_CLOSERS = "”’」』\"')）】"
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
# A question turn: "问：", "1.问：", "记者：", "主持人：", and in a transcript of an online interview
# or a meeting with the public "提问：", "网友：", "市民李先生：".
_QUESTION = re.compile(r"^(?:\d{1,2}\s*[.、．]\s*)?(?:(?:问|Q|记者|主持人|提问)\s*\d{0,2}"
                       r"|(?:网友|网民|市民|听众|观众|读者)[^：:，,。！？!?\s]{0,8})\s*[：:]")
# A byline of an interview's speakers: "嘉宾：某局副局长 刘某", "主持人：任某".
_SPEAKERS = re.compile(r"^(?:嘉宾|访谈嘉宾|主持人|记者|受访者)\s*[：:]\s*[^。！？!?，,；;]{1,40}$")
_ANSWER = re.compile(r"^(?:答|A)\s*[：:]")
# A worked case that ends in a question ("案例2：……，是否符合……？"), answered by the "答：" after it.
_CASE = re.compile(r"^(?:案例|例)\s*[\d一二三四五六七八九十]{0,3}\s*[：:].*[？?][”」）)]?\s*$")
# A news dateline: "新华社北京1月20日电", "（中新网上海3月1日讯）".
_DATELINE = re.compile(r"^[（(]?[" + HAN + r"]{2,12}?\d{1,2}月\d{1,2}日(电|讯)[）)]?$")
_REPORTER = re.compile(r"记者|^(By|Reporter)\b")
_CN = "一二三四五六七八九十百零〇两"
# Heading families, highest rank first: (name, pattern of the numbered line's start).
_FAMILIES = (
    ("chapter", re.compile(rf"^第[{_CN}\d]{{1,4}}章")),
    ("part", re.compile(rf"^第[{_CN}\d]{{1,4}}部分")),
    ("cn", re.compile(rf"^[{_CN}]{{1,3}}[、.．]")),
    ("paren_cn", re.compile(rf"^[（(][{_CN}]{{1,3}}[）)]")),
    ("arabic", re.compile(r"^\d{1,2}\s*[.、．](?:(?!\d)|(?=(?:19|20)\d\d年))")),  # "1.2025年度…" is item 1
)
_ARTICLE = re.compile(rf"^第([{_CN}\d]{{1,4}})条")
_ITEM = re.compile(rf"^[（(]([{_CN}]{{1,3}}|\d{{1,2}})[）)]")
_ATTACHMENT = re.compile(r"^附\s*件\s*\d{0,2}\s*[：:]?\s*(.*)$")
# A date alone on its line: 2020年2月25日, （2020年2月25日）, 二〇二〇年二月二十五日, 2020-02-25.
_DATE = re.compile(rf"(?:(\d{{4}})|([{_CN}○OＯ]{{4}}))\s*年\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*月\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*日"
                   r"|(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DATE_LINE = re.compile(rf"^[（(]?\s*(?:{_DATE.pattern})\s*(?:[^\s。，,]{{0,20}})?[）)]?$")
# A web page's date over its text, with the time or the source after it ("2018-12-05 15:00　来源：…"):
# a line of its own, never the end of the title above it.
_STAMP_LINE = re.compile(rf"^\s*(?:{_DATE.pattern})\s*(?:\d{{1,2}}:\d{{2}}|(?:信息)?来源|作者|发布|浏览|点击)"
                         # or the site before the date: "湖北省人民政府门户网站 www.hubei.gov.cn 2016-03-04"
                         rf"|^[^。，,；;！？!?]{{2,40}}(?:网站|网|www\.[\w.-]+)\s[^。，,；;]{{0,40}}?(?:{_DATE.pattern})\s*(?:\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?\s*$")
# A regulation's note under its title: "（2008年7月17日经…部务会议通过）", "2019年3月2日国务院令第710号公布".
# A city's regulation is approved (批准) by its province's congress: "2012年7月27日 河南省…会议批准".
_ADOPTED = re.compile(rf"^[（(]?\s*(?:{_DATE.pattern})\s*[^。]{{0,120}}?(通过|批准|公布|发布|印发|施行|修订|修正)[）)]?$")
# The front matter of an order that publishes rules: "中华人民共和国劳动和社会保障部令 第21号", its note
# "《最低工资规定》已于2003年12月30日经…通过，现予公布，自…起施行。" and its signer "部长　郑斯林".
_ORDER_LINE = re.compile(rf"^([{HAN}]{{2,40}}?)令\s*第\s*[\d{_CN}]{{1,5}}\s*号$")
_PROMULGATION = re.compile(rf"^《[^》]{{2,60}}》\s*已?(?:于|经)\s*(?:{_DATE.pattern}).{{0,100}}?(通过|公布|发布|施行)[^。]{{0,60}}。?$")
_SIGNER = re.compile(rf"^(部长|副部长|总理|主任|局长|署长|主席|市长|省长|厅长|行长|委员长)\s*[{HAN}·]{{2,5}}$")
# An order's number on the line under its name ("东莞市人民政府令" over "第135号").
_ORDER_NUMBER = re.compile(rf"^第\s*[\d{_CN}]{{1,5}}\s*号$")
_NUMBER = re.compile(r"^[" + HAN + r"]{1,12}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d{1,4}\s*号$")
# The labels of a record block: a government page's (发布机构, 索引号, 主题词…) and a law database's
# (颁布单位, 发文号, 实施日期, 效力级别…, written "【颁布单位】劳动部" there: _unspaced reads it as a label).
_LABELS = (r"标题|名称|原标题|日期|来源|信息来源|文章来源|稿件来源|新闻来源|发布机构|发布单位|发文单位|发布部门|发文机关|颁布单位|颁布机关"
           r"|颁布部门|制定机关|发文字号|发文号|文号|索引号|信息索取号|主题分类|内容分类|主题词|关键词|效力级别|时效性"
           r"|成文日期|发文日期|印发日期|发布日期|颁布日期|公布日期|生成日期|信息提供日期|实施日期|施行日期|生效日期|发布时间|发表时间"
           r"|发表日期|发稿时间|更新时间|作者|编辑|责任编辑|时间|解读机构|解读单位|解读部门|解读人|联系方式|联系电话|咨询电话")
_META = re.compile(rf"^({_LABELS})\s*[：:]\s*(.*)$")
# A label after a field's value on the same line ("名称：关于…的通知 索 引 号：000217883/…"): the value ends there.
_NEXT_LABEL = re.compile(r"\s+(?:[" + HAN + r"][ \t\u3000]*){1,6}[：:]\s*\S")
# The field each label fills; the others are dates ("…日期", "…时间") or columns.
_LABEL_FIELD = {"标题": "title", "名称": "title", "来源": "source", "信息来源": "source", "文章来源": "source", "新闻来源": "source",
                "发布机构": "issuer", "发布单位": "issuer", "发文单位": "issuer", "发布部门": "issuer",
                "发文机关": "issuer", "颁布单位": "issuer", "颁布机关": "issuer", "颁布部门": "issuer", "制定机关": "issuer",
                "发文字号": "number", "文号": "number", "发文号": "number", "稿件来源": "source",
                # When it takes effect is not when it was dated (rag.document.field_of reads it).
                "实施日期": "column", "施行日期": "column", "生效日期": "column",
                # An explainer's closing lines: who explains it ("解读机构：…", "解读人：…").
                "解读机构": "issuer", "解读单位": "issuer", "解读部门": "issuer", "解读人": "reporter"}
# A blank form in an attachment: its title ("…申请表", "…花名册"), perhaps after its mark ("附表1"),
# over its fields' labels, one a line, or with blanks to fill ("申领单位（公章）：______").
_FORM_NAME = r"[^。！？!?；;，,：:、]{2,40}(?:表|花名册|名册|清单|台账)"
_FORM_TITLE = re.compile(rf"^{_FORM_NAME}$")
_MARK = r"附\s*[件表]\s*\d{1,2}(?:\s*[之—-]\s*(?:附\s*[件表])?\s*\d{1,2})?\s*[：:]?"  # 附表1, 附件1之附件2：
_FORM_MARK = re.compile(rf"^{_MARK}$")
_FORM = re.compile(rf"^(?:{_MARK} )?{_FORM_NAME}：")  # a form's block, joined
_BLANK = re.compile(r"[ \t\u3000_＿]{3,}")
_PLACEHOLDER = re.compile(r"[^" + HAN + r"]|[年月日章]")
_FILLED = re.compile(r"^[" + HAN + r"]{2,8}[：:][" + HAN + r"]{2,12}$")  # "公开方式：主动公开": not blank
# A label alone on its line, leading the list under it: "附件：", "所需材料：".
_BARE_LABEL = re.compile(rf"^[{HAN}]{{1,8}}\s*[：:]$")
# A short numbered item naming one thing, with no clause of its own: "2.申请人身份证".
_SHORT_ITEM = re.compile(r"^(\d{1,2})\s*[.、．](?!\d)\s*[^。；;！？!?\t]{1,30}$")
# A plan dated by its month alone, under its title: "（2015年12月）".
_MONTH_LINE = re.compile(r"^[（(]\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*[）)]$")
_ADDRESSEE = re.compile(r"^各.{1,120}[：:]$")
_ORG = re.compile(r"(部|厅|局|院|委员会|委|办公室|办公厅|办|政府|中心|总局|署|银行|联合会|总会|工会|协会|集团)$")
_PUBLIC = re.compile(r"^[（(]此件.{1,8}[）)]$")
KINDS = (("通知", "notice"), ("意见", "opinion"), ("批复", "reply"), ("复函", "letter"), ("实施细则", "rules"),
         ("细则", "rules"), ("办法", "measures"), ("规定", "provisions"), ("条例", "regulations"), ("决定", "decision"),
         ("方案", "plan"), ("规划", "plan"),
         ("公告", "announcement"), ("通告", "announcement"), ("指南", "guidelines"), ("规程", "procedure"),
         ("答记者问", "Q&A"),
         ("问答", "Q&A"))


def read_document(path: str | Path) -> Document:
    """Read and parse a document (.txt, .md, .docx, .pdf or .html, see rag.ingest). Raises
    ParseError naming the file."""
    path = Path(path)
    return parse_text(read_text(path), name=str(path))


def parse_bytes(raw: bytes, name: str = "<document>") -> Document:
    return parse_text(decode(raw, name), name=name)


def parse_text(text: str, name: str = "<document>") -> Document:
    """Parse document text. Pure: the same text always gives the same ids."""
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    text = unradical(unicodedata.normalize("NFC", text)).replace("\r\n", "\n").replace("\r", "\n")
    bad = next((i for i, ch in enumerate(text) if _is_control(ch)), None)
    if bad is not None:
        line = text[:bad].count("\n") + 1
        raise ParseError(f"{name}:{line}: control character U+{ord(text[bad]):04X}; is this a text file?")
    blocks = _lists(_pairs(_forms(_whole_title(_blocks(text)))))
    if not blocks:
        raise ParseError(f"{name}:1: the document is empty; expected paragraphs of text.")
    if any(_MD_HEADING.match(b) for _, b in blocks):
        meta, sections, paras = _markdown(blocks)
    elif family := numbering_family([b for _, b in blocks]):
        meta, sections, paras = _numbered(blocks, family)
    elif _is_qa(blocks):
        meta, sections, paras = _qa(blocks)
    else:
        meta, sections, paras = _plain(blocks)
    if not any(p.section > 0 for p in paras):
        raise ParseError(
            f"{name}:{blocks[-1][0]}: no paragraphs found; expected headed sections with paragraphs of text."
        )
    sections, paras = _own_numbering(sections, paras)
    paras = _texts(paras, sections, _rule_lines(text), meta.title)
    return Document(name=name, sha256=sha, metadata=meta, sections=tuple(sections), paragraphs=tuple(paras))


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" and ch not in "\n\t"


def ends_sentence(line: str) -> bool:
    return line.rstrip(_CLOSERS).endswith(tuple(_END))


def _is_heading(line: str) -> bool:
    """A short line with no sentence punctuation: a title, a column label or a section heading;
    not a table's row (cells split by tabs)."""
    return (
        len(line) <= 30
        and "\t" not in line
        and not ends_sentence(line)
        and not line.endswith(("，", ",", "、", "：", ":"))
        and not re.search(r"[。！？!?；;]", line)
        and line.count("“") == line.count("”")
        and not _QUESTION.match(line)
        and not _ANSWER.match(line)
    )


def _closed_heading(prev: str, line: str, nxt: str) -> bool:
    """A heading written as State Council texts write one on a line of its own, closed by "。"
    ("（一）统一覆盖范围。" over "城乡居民医保制度覆盖范围包括…", "（三）工伤补偿。" over "1、…"): a
    short numbered phrase before a sentence that is neither an article nor an item of its own
    family, and not after such an item (a list's last item, "（五）国家规定的其他权利。", before
    the next paragraph)."""
    if not closed_heading(line) or not ends_sentence(nxt) or _ARTICLE.match(nxt.strip()):
        return False
    family = next(p for _, p in _FAMILIES if p.match(line.strip()))  # closed_heading numbers as a family does
    return not any(family.match(text.strip()) for text in (prev, nxt))


def _is_meta(line: str) -> bool:
    """A line of the header whatever its place: a date, a document number, an addressee, a field."""
    return bool(_DATE_LINE.match(line) or _STAMP_LINE.match(line) or _ADOPTED.match(line) or _NUMBER.match(line) or _SPEAKERS.match(line) or _ADDRESSEE.match(line) or _META.match(_unspaced(line))
                or _DATELINE.match(line) or _PUBLIC.match(line) or _ORDER_LINE.match(line) or _PROMULGATION.match(line)
                or _SIGNER.match(line))


def _label_after_item(prev: str, line: str) -> bool:
    """A label line after a numbered item that cites a text: "2.《…规程》（粤社保办〔2014〕518号）",
    then "办理条件". The item is whole; the label is no part of it."""
    return bool(prev.endswith(("）", ")", "》")) and _family_start(prev) and _is_heading(line))


_RULE = re.compile(r"^[=＝*＊~～]{5,}$")  # not "____" or "——": an official document's red-head rule is its header's
# A saved web page's navigation and buttons, which are no part of its text: the trail over it
# ("您当前的位置： 政务公开 >> 政策法规 >> 医疗保险", "首页 > 政策法规"), and its buttons and counters,
# alone on a line ("【关闭窗口】") or after its date ("…2008-1-18点击次数：69434大 中 小关闭窗口").
_TRAIL = re.compile(r"^(?:您(?:当前|现在|所在)的?位置|当前位置)\s*[：:]"
                    r"|^(?:网站)?首页\s*(?:>>?|»|＞|›)")
_BUTTONS = re.compile(r"[【\[]?\s*(?:关闭窗口|关闭本页|打印本页|打印此页|打印文章|返回顶部|加入收藏|收藏本页)\s*[】\]]?"
                      r"|[【\[]\s*(?:关闭|打印|返回)\s*[】\]]"
                      r"|(?:【\s*)?字体[：:]?\s*[【\[]?大[】\]]?\s*[【\[]?中[】\]]?\s*[【\[]?小[】\]]?(?:\s*】)?"
                      r"|(?<![\u4e00-\u9fff])大\s+中\s+小(?![\u4e00-\u9fff])"
                      r"|(?:点击|浏览|阅读|访问)(?:次数|量)\s*[：:]\s*\d*")


def page_text(line: str) -> str:
    """A line less a web page's navigation and buttons; "" for a line of nothing else. A line that
    holds a sentence is left as it is."""
    if re.search(r"[。！？!?；;]", line):
        return line  # a sentence ("请打印本页所附表格后提交。") is text
    if _TRAIL.match(line):
        return ""
    if not _BUTTONS.search(line):
        return line
    return _BUTTONS.sub(" ", _BUTTONS.sub(" ", line)).strip()  # twice: "大 中 小" stands alone once "关闭窗口" is gone


def _rule_lines(text: str) -> list[int]:
    """The lines of the rules ("=====") that part one text from the next."""
    return [n for n, raw in enumerate(text.split("\n"), start=1) if _RULE.match(raw.strip())]


def _texts(paras: list[Paragraph], sections: list[Section], rules: list[int], title: str) -> list[Paragraph]:
    """Where rules part several texts (two service guides in one file), each body paragraph
    knows the title of the text it belongs to: the first text's is the document's, a later
    one's the title heading its first section after the rule. Their sections read alike
    ("办理条件", "所需材料"), so that title says which guide a step is of."""
    if not rules or not title:
        return paras
    first_line: dict[int, int] = {}
    for p in paras:
        if p.section > 0:  # body sections: a rule under the header parts no texts
            first_line.setdefault(p.section, p.line)
    opened: dict[int, str] = {}  # section number → the title of the text it opens
    for rule in rules:
        after = [n for n, line in first_line.items() if line > rule]
        if after and any(line < rule for line in first_line.values()):
            start = min(after, key=first_line.get)
            title_of = next((s.title for s in sections if s.number == start), "")
            if title_of:
                opened[start] = title_of
    if not opened:
        return paras
    out, part = [], title
    for p in paras:
        part = opened.get(p.section, part)
        out.append(replace(p, part=part) if p.section > 0 else p)
    return out


def _blocks(text: str) -> list[tuple[int, str]]:
    """Non-empty lines as (line number, text), with page-break splits joined. A table's rows
    (cells split by tabs) are never joined: a row ends where its line does. A rule ("=====")
    is no text."""
    out: list[tuple[int, str]] = []
    pending = False  # the last block stopped mid-sentence
    for n, raw in enumerate(text.split("\n"), start=1):
        line = page_text(raw.strip())
        if _RULE.match(line):  # "=====": a rule between two texts; the next line opens a block
            pending = False
            continue
        if not line:
            continue
        if pending and out and not starts_new(line) and not _label_after_item(out[-1][1], line):
            ln, prev = out[-1]
            out[-1] = (ln, joined(prev, line))
        else:
            out.append((n, line))
        last = out[-1][1]
        pending = (not ends_sentence(last) and not _is_heading(last) and not _MD_HEADING.match(last)
                   and not _is_meta(last) and not last.endswith(("：", ":")) and "\t" not in last)
    return out


def _whole_title(blocks: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A title broken over two or three lines, as an official document's centred title is
    ("国务院关于整合城乡居民" / "基本医疗保险制度的意见"), joined: adjacent short lines opening the
    document, none a field, a subtitle or numbered, the last ending in the document's kind
    (通知, 意见, 办法…, 法) and the others not; after a record block ("标　　题：…"), if any."""
    start = next((i for i, (_, b) in enumerate(blocks) if not _is_meta(b)), len(blocks))
    for n in (2, 3):
        head = blocks[start : start + n]
        if len(head) < n or any(ln != head[0][0] + i for i, (ln, _) in enumerate(head)):
            break
        lines = [b for _, b in head]
        if any(not _is_heading(b) or _is_meta(b) or starts_new(b) or b.startswith(("—", "-")) for b in lines):
            break
        if names_kind(lines[-1]) and not any(names_kind(b) for b in lines[:-1]):
            return blocks[:start] + [(head[0][0], "".join(lines))] + blocks[start + n:]
    return blocks


def names_kind(line: str) -> bool:
    """Whether a line ends in a document's kind, as an official document's title does (…的通知, …法)."""
    return _kind_named(line) is not None


# A note after a title's kind: "…实施意见（试行）", "…办法（2019年修订）", "…条例（草案）".
_TITLE_NOTE = re.compile(r"\s*[（(](?:试行|暂行|草案|征求意见稿|送审稿|\d{4}年?(?:修订|修正|版)?|[^（）()]{0,12}(?:修订|修正)本?)[）)]\s*$")


def _kind_named(title: str) -> str | None:
    """The kind a title ends in (通知 -> notice, …法 -> law), before a note ("（试行）"), or None."""
    title = _TITLE_NOTE.sub("", title)
    kind = next((kind for word, kind in KINDS if re.search(rf"{word}[》」]?$", title)), None)
    return kind or ("law" if _LAW.search(title) else None)


def _forms(blocks: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Each blank form as one block: its title, then its fields' labels joined by "、". A label
    a line, each would be a paragraph whose few words outrank the articles for any question
    sharing them. A form needs four fields; a numbered line ("八、…一览表") is a heading."""
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(blocks):
        ln, line = blocks[i]
        j = i + 1
        if _FORM_TITLE.match(line) and not _family_start(line):
            while j < len(blocks) and _is_field(blocks[j][1]):
                j += 1
        if j - i - 1 < 4:
            out.append(blocks[i])
            i += 1
            continue
        if out and _FORM_MARK.match(out[-1][1]):
            ln, mark = out.pop()
            line = f"{mark} {line}"
        labels = [_label(b) for _, b in blocks[i + 1 : j]]
        out.append((ln, line + "：" + "、".join(x for x in labels if _PLACEHOLDER.sub("", x)) + "。"))
        i = j
    return out


# A service guide's one-line fields, each label on a line of its own and its value on the next
# ("部门名称", "区社会保险经办机构"): the genre's field names, not any one guide's. Labels that head a
# list ("办理条件", "所需材料") are headings, not these.
_GUIDE_FIELDS = re.compile(r"^(?:部门名称|事项名称|服务对象|实施机关|实施主体|办理机构|受理机构|受理部门|办理部门|决定机构"
                           r"|办理时限|承诺时限|法定时限|承诺办结时限|法定办结时限|办理时间|受理时间|办公时间|办理地点|受理地点"
                           r"|收费标准|是否收费|收费依据|咨询电话|联系电话|监督电话|投诉电话|办理形式|办件类型|事项类型)$")
_PAIR_VALUE = 40  # characters: a field's value on the next line is short; a longer line is text


def _pairs(blocks: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A guide's field labels alone on their lines, each value on the next, as one line each:
    "服务对象：个人 企业". Alone, a label is a paragraph that answers nothing, and its value one
    that names nothing. Only in a run of two such fields or more: a blank form's "联系电话" over
    the next label is no field with its value."""
    def pair(i: int) -> bool:
        if i < 0 or i + 1 >= len(blocks):
            return False
        line, value = blocks[i][1], blocks[i + 1][1]
        return bool(_GUIDE_FIELDS.match(line) and len(value) <= _PAIR_VALUE
                    and not _GUIDE_FIELDS.match(value) and not _family_start(value))

    out: list[tuple[int, str]] = []
    i = 0
    while i < len(blocks):
        if pair(i) and (pair(i - 2) or pair(i + 2)):
            out.append((blocks[i][0], f"{blocks[i][1]}：{blocks[i + 1][1]}"))
            i += 2
        else:
            out.append(blocks[i])
            i += 1
    return out


def _lists(blocks: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A run of three or more short numbered items ("2.申请人身份证", "3.户口簿"), a list of names
    such as a guide's materials, as one block, joined to the line holding item 1 where one
    does ("（二）材料 1.失业保险待遇申请表"): alone, each name would be a paragraph whose few words
    outrank the rule that says what it needs."""
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and _SHORT_ITEM.match(blocks[j][1]):
            j += 1
        if j - i < 3:
            out.append(blocks[i])
            i += 1
            continue
        run = " ".join(b for _, b in blocks[i:j])
        first = int(_SHORT_ITEM.match(blocks[i][1]).group(1))
        if first == 2 and out and re.search(r"(?:^|[\s：:])1\s*[.、．]\s*\S", out[-1][1]):
            ln, lead = out.pop()
            out.append((ln, f"{lead} {run}"))
        elif first == 1 and out and _BARE_LABEL.match(out[-1][1]):  # "附件：" on a line of its own
            ln, lead = out.pop()
            out.append((ln, f"{lead}{run}"))
        else:
            out.append((blocks[i][0], run))
        i = j
    return out


def _label(line: str) -> str:
    """A field's label as it reads: blanks to fill cut to one space, "联 系 人" unspaced."""
    text = re.sub(r"[\s_＿]+", " ", line).strip().rstrip("：:").strip()
    return text.replace(" ", "") if re.fullmatch(rf"[{HAN}](?: [{HAN}]){{1,5}}", text) else text


def _is_field(line: str) -> bool:
    """A line of a blank form: a short label, or labels with blanks to fill; not the next form."""
    if _FORM_MARK.match(line) or _FORM_TITLE.match(line) or _FILLED.match(line) or _is_meta(line) or "。" in line:
        return False
    return len(re.sub(r"\s+", "", line)) <= 24 or bool(_BLANK.search(line))


def starts_new(line: str) -> bool:
    """Whether a line opens a block of its own: a heading, a turn, an article, a table's row."""
    return "\t" in line or bool(
        _QUESTION.match(line) or _ANSWER.match(line) or _MD_HEADING.match(line) or _is_meta(line)
        or _ARTICLE.match(line) or _ATTACHMENT.match(line) or _family_start(line))


def _role(text: str, interview: bool) -> str:
    if _QUESTION.match(text) or (interview and _CASE.match(text)):
        return "question"
    return "answer" if interview else "text"


def numbering_family(lines: list[str]) -> str | None:
    """The highest-ranking heading family that numbers at least two lines (three for 1. 2. 3.,
    which also numbers lists), or None. Lines of a Q&A's "1.问：" count for their family. Once
    articles begin (第一条, three or more), lower numbering than chapters and parts lists an
    article's items: only the lines before the first article count for it."""
    starts = [i for i, line in enumerate(lines) if _ARTICLE.match(line)]
    for name, pattern in _FAMILIES:
        upto = starts[0] if len(starts) >= 3 and name not in ("chapter", "part") else len(lines)
        if sum(1 for line in lines[:upto] if pattern.match(line)) >= (3 if name == "arabic" else 2):
            return None if name == "arabic" and _labelled_lists(lines[:upto]) else name
    return None


def _family_start(line: str) -> bool:
    """Whether the line opens with a heading family's number (第一章, 一、, （一）, 1.)."""
    return any(p.match(line) for _, p in _FAMILIES)


def _labelled_lists(lines: list[str]) -> bool:
    """Whether the 1. 2. 3. lines are lists, each under a label of its own: a service guide's
    "办理条件", "办理程序", "所需材料", each followed by items from 1. The labels, not the items,
    are its headings."""
    def label(line: str) -> bool:
        return bool(_is_heading(line) or _BARE_LABEL.match(line)) and not _is_meta(line) and not _family_start(line)

    restarts = [i for i, line in enumerate(lines) if re.match(r"^1\s*[.、．](?!\d)", line)]
    # The label, or the label and one line of lead ("办理条件", "参保人员达到…年龄后…：").
    return len(restarts) >= 2 and all(any(label(x) for x in lines[max(0, i - 2):i]) for i in restarts)


def _is_qa(blocks: list[tuple[int, str]]) -> bool:
    """Question turns with no heading line between them: each question makes a section."""
    questions = [i for i, (_, b) in enumerate(blocks) if _QUESTION.match(b) and not _is_meta(b)]
    if len(questions) < 2:
        return False
    between = blocks[questions[0] : questions[-1]]
    return not any(_is_heading(b) and not _is_meta(b) for _, b in between)


# -- header and signature ------------------------------------------------------------------

def _signature(blocks: list[tuple[int, str]], start: int) -> set[int]:
    """Rows of signature blocks after `start`: issuer lines over a date line alone, and
    "（此件公开发布）". They may stand before attachments, so they are looked for everywhere.
    Field lines that close the text ("解读机构：…", "来源：…") are header too."""
    rows: set[int] = set()
    for i in range(start, len(blocks)):
        b = blocks[i][1]
        if _PUBLIC.match(b) or _DATELINE.match(b):
            rows.add(i)
        elif _DATE_LINE.match(b) and len(b) <= 24:
            rows.add(i)
            j = i - 1
            while j >= start and i - j <= 4 and _is_heading(blocks[j][1]) and _ORG.search(blocks[j][1].split()[-1]):
                rows.add(j)
                j -= 1
    end = len(blocks)
    while end > start + 1 and _META.match(_unspaced(blocks[end - 1][1])):
        end -= 1
        rows.add(end)  # closing field lines: "解读机构：…", "联系电话：…", "来源：…"
    return rows


def _field(line: str, fields: dict[str, str], first: bool) -> str:
    """Which metadata field a header line fills ('' for a column label, 'text' for body text)."""
    if (m := _META.match(line)) and _META.match(inner := _unspaced(m.group(2).strip())):
        return _field(inner, fields, first)  # an empty field, then another: "主题词： 发布日期： 2016年02月15日"
    if m:
        key = _LABEL_FIELD.get(m.group(1), "dateline" if "日期" in m.group(1) or "时间" in m.group(1) else "column")
        if key in ("source", "issuer") and re.search(r"(?:日期|时间)\s*[：:]", m.group(2)):
            return "dateline"  # "发布单位：市社保局 发布时间：2016-08-09": the date line, the issuer read from it
        return key
    if (_DATE_LINE.match(line) or _STAMP_LINE.match(line) or _DATELINE.match(line) or _ADOPTED.match(line) or _PROMULGATION.match(line)
            or _MONTH_LINE.match(line)):
        return "dateline"
    if _NUMBER.match(line) or _ORDER_LINE.match(line) or _ORDER_NUMBER.match(line):
        return "number"
    if _SIGNER.match(line) or line == _value(fields.get("title", "")):
        return "column"  # the order's signer, or the title said again over the text
    if _ADDRESSEE.match(line):
        return "addressee"
    if _PUBLIC.match(line):
        return "column"
    if _SPEAKERS.match(line):
        return "subtitle" if "subtitle" not in fields and not line.startswith(("主持人", "记者")) else "column"
    if line.startswith(("——", "—", "--")) and "subtitle" not in fields:
        return "subtitle"
    if first and "title" not in fields and len(line) <= 80 and not re.search(r"[。！？!?；;]", line):
        return "title"
    if _REPORTER.search(line) and len(line) <= 40 and not re.search(r"[。！？!?]", line) and "reporter" not in fields:
        return "reporter"
    return "column" if _is_heading(line) else "text"


def _organisations(line: str) -> bool:
    """Whether a line names organisations only, each ending as one does ("市卫计委  市财政局")."""
    parts = [x for x in re.split(r"[\s、，,]+", line.strip()) if x]
    return bool(parts) and all(len(x) <= 24 and _ORG.search(x) for x in parts)


def _header(front: list[tuple[int, str]], trailer: list[tuple[int, str]]):
    """Header paragraphs (§0.n) and the metadata from the front matter and the signature block.
    Body text in the front matter (a preamble) is §0 too, with the role "text"."""
    fields: dict[str, str] = {}
    columns: list[str] = []
    issuers: list[str] = []
    paras: list[Paragraph] = []
    for n, (ln, line) in enumerate(front + trailer, start=1):
        in_trailer = n > len(front)
        b = _unspaced(line)
        # The title opens the document, or follows its number or record lines ("穗人社规字〔2019〕6号").
        name = _field(b, fields, not in_trailer and all(p.role == "header" for p in paras))
        if (in_trailer and name in ("column", "title") and _ORG.search(b.split()[-1])) or (
                name == "column" and _organisations(b)):
            name = "issuer"  # a signature, or a line of issuers under the title ("市医改办  市财政局")
            issuers.append(line)
        if name == "column":
            columns.append(line)
        elif name == "issuer" and _META.match(b):
            fields.setdefault("issuer", b)  # a labelled issuer: "发文机关：…", "解读机构：…"
        elif name not in ("text", "issuer") and name not in fields:
            fields[name] = b.lstrip("—- ") if name == "subtitle" else _past_empty_label(b)
            if name == "number" and _ORDER_NUMBER.match(b) and paras and paras[-1].text.strip().endswith("令"):
                fields[name] = paras[-1].text.strip() + b  # the order's name over its number
        for later in _later_fields(b) if name != "text" else ():
            fields.setdefault(_field(later, fields, False), later)  # "发布机构：… 文号：冀政发〔2016〕4号"
        paras.append(Paragraph(f"§0.{n}", 0, n, "text" if name == "text" else "header", "", line, ln))
    if (named := _named_title(fields.get("title", ""), [_unspaced(b) for _, b in front])) is not None:
        columns.append(fields["title"])
        fields["title"] = named
    return fields, tuple(columns), tuple(issuers), paras


def _later_fields(line: str) -> list[str]:
    """The fields after the first on a record line ("发布机构：省政府办公厅 文号：冀政发〔2016〕4号"
    holds the number too), each as a line of its own."""
    if not _META.match(line):
        return []
    starts = [m.start() + 1 for m in _NEXT_LABEL.finditer(line)]
    parts = [_unspaced(line[a:b].strip()) for a, b in zip(starts, starts[1:] + [len(line)])]
    return [x for x in parts if (m := _META.match(x)) and m.group(2).strip()]


def _named_title(title: str, front: list[str]) -> str | None:
    """Over a red-headed document's title stand its copy number and its issuer's banner ("00001",
    "东莞市人民政府文件"): where the first line names no kind of document, a header line after it
    that does, as a title reads ("关于印发…的通知"), is the title."""
    if not title or _META.match(title) or _kind(_unnumbered(title), {}, False) != "article":
        return None
    return next((b for b in front if b != title and names_kind(b) and len(b) <= 80 and not _META.match(b)
                 and not re.search(r"[。！？!?；;]", b) and not b.startswith(("—", "-"))), None)


def _metadata(fields: dict[str, str], columns: tuple[str, ...], issuers: tuple[str, ...], has_questions: bool) -> Metadata:
    title = _value(fields.get("title", ""))  # "标题：…" in a record block, else the line itself
    if m := _FULL_TEXT.match(title):
        title = m.group(1)  # "《南京市…办法》全文如下：": the text it introduces is the measures
    issuer = " ".join(issuers) or _value(fields.get("issuer", ""))
    if not issuer and (m := _ORDER_LINE.match(fields.get("number", ""))):
        issuer = m.group(1)  # the body whose order it is
    if not issuer and (m := re.search(r"(?:信息来源|来源|发布机构|发布单位|发文单位|发布部门|发文机关)\s*[：:]\s*(\S+?)"
                                      r"(?=\s|(?:发布|更新|发表)?(?:时间|日期)[：:]|$)",
                                      fields.get("dateline", ""))) and not _OWN_SITE.match(m.group(1)):
        issuer = m.group(1)  # a page's "发表时间：… 信息来源：…" line ("…局发布时间：…" run on); "本站原创" names no one
    source = re.sub(r"(?:官网|官方网站|门户网站|网站)$", "", _value(fields.get("source", "")))  # "…厅官网": the 厅's
    if not issuer and _ORG.search(source) and len(source) <= 40:
        issuer = source  # "来源：广州市人力资源和社会保障局": an organisation's page is its own
    if not issuer and (m := re.match(r"^(.{2,30}?(?:部|厅|局|院|委员会|办公室|办公厅|政府|总局|署))关于", title)):
        issuer = m.group(1)
    if not issuer:
        issuer = _made_by(fields.get("dateline", ""))
    date = next((iso_date(v) for k in ("dateline", "column") if (v := fields.get(k)) and iso_date(v)), "")
    if not date and (m := re.fullmatch(r"((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])", _value(fields.get("dateline", "")))):
        date = "-".join(m.groups())  # a law database's "【颁布日期】19950422"
    if not date and (m := _MONTH_LINE.match(fields.get("dateline", ""))):
        date = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    numbered = _NUMBER_AFTER_TITLE.search(title)  # "…的处理意见 (武劳社〔2004〕135号)": an opinion, numbered
    number = (_value(fields.get("number", "")) or (numbered.group(1) if numbered else "")
              or _order(fields.get("dateline", "")))
    return Metadata(title=title, subtitle=fields.get("subtitle", ""), reporter=fields.get("reporter", ""),
                    columns=columns, dateline=fields.get("dateline", ""),
                    kind=_kind(_unnumbered(title), fields, has_questions),
                    issuer=issuer, date=date, number=number, addressee=fields.get("addressee", ""))


_OWN_SITE = re.compile(r"^(?:本站|本网|原创|网站)")
# A page's line introducing the text it publishes: "《…办法》全文如下：".
_FULL_TEXT = re.compile(r"^《([^《》]{4,60})》\s*(?:全文如下|原文如下|全文)\s*[：:]?$")
# A document number in brackets after a title, as a page shows it: "（武劳社〔2004〕135号）".
_NUMBER_AFTER_TITLE = re.compile(r"\s*[（(]\s*(" + _NUMBER.pattern.strip("^$") + r")\s*[）)]\s*$")


def _unnumbered(title: str) -> str:
    """A title less the number a page puts after it: "…的通知（武劳社（2006）093号）" names its kind."""
    numbered = _NUMBER_AFTER_TITLE.search(title)
    return title[: numbered.start()] if numbered else title


def _made_by(line: str) -> str:
    """The body a regulation's date note names as having made it: the one whose order
    published it ("国务院令第375号公布") or whose meeting adopted it ("经人力资源和社会保障部第6次
    部务会议通过", "北京市第十三届人民代表大会常务委员会第二十九次会议通过")."""
    line = _DATE.sub(" ", line)
    if m := re.search(rf"([{HAN}]{{2,40}}?)令\s*第\s*[\d{_CN}]{{1,5}}\s*号", line):
        return m.group(1)
    m = re.search(rf"(?:已?于)?经?([{HAN}]{{2,40}}?)第[\d{_CN}]{{1,4}}次[{HAN}]{{0,4}}会议(?:审议)?通过", line)
    return m.group(1) if m else ""


def _order(line: str) -> str:
    """The order a regulation was issued by, in its date note: "中华人民共和国国务院令第262号"."""
    m = re.search(rf"[^\s，,（(]{{0,20}}令第[\d{_CN}]{{1,5}}号", line)
    return m.group(0) if m else ""


def _unspaced(line: str) -> str:
    """A record line with its label unspaced, a law database's "【发 文 号】…" read as a label
    where it is a record label (not "【打印】")."""
    return record_line(line, lambda label: bool(_META.match(label + "：")))


def _past_empty_label(line: str) -> str:
    """A record line from its first field with a value: "主题词： 发布日期： 2016年02月15日" is the
    publication date's line, its empty subject-words label no part of it."""
    if (m := _META.match(line)) and _META.match(inner := _unspaced(m.group(2).strip())):
        return _past_empty_label(inner)
    return line


def _value(line: str) -> str:
    """A field line's value, without the label before it or a field after it on the same line."""
    m = _META.match(line)
    if not m:
        return line.strip()
    if _META.match(value := _unspaced(m.group(2).strip())):
        return _value(value)  # "主题词： 发布日期： 2016年02月15日": an empty field, then another
    return _NEXT_LABEL.split(value, maxsplit=1)[0].strip()


def _kind(title: str, fields: dict[str, str], has_questions: bool) -> str:
    """interview, Q&A, article, or the official document's kind (notice, opinion, measures…)."""
    if re.search(r"答记者问|问答|答问|问题解答|答疑|解读", title) or (has_questions and "答记者问" in fields.get("subtitle", "")):
        return "Q&A"
    if fields.get("subtitle", "").startswith("访") or re.search(r"专访|访谈", title):
        return "interview"
    return _kind_named(title) or ("Q&A" if has_questions else "article")


# A law's title ends in 法 ("中华人民共和国社会保险法", "劳动合同法"); a method or a practice does too.
_LAW = re.compile(r"(?<![办方做用说看写想])法[》」]?$")


def iso_date(text: str) -> str:
    """The first full date in `text` as YYYY-MM-DD, or ''."""
    m = _DATE.search(text or "")
    if not m:
        return ""
    try:
        if m.group(5):
            y, mo, d = int(m.group(5)), int(m.group(6)), int(m.group(7))
        else:
            y, mo, d = (cn_number(g) or 0 for g in (m.group(1) or m.group(2), m.group(3), m.group(4)))
    except ValueError:
        return ""
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1900 < y < 2200 and 1 <= mo <= 12 and 1 <= d <= 31 else ""


# -- ids ---------------------------------------------------------------------------------------

def _own_numbering(sections: list[Section], paras: list[Paragraph]) -> tuple[list[Section], list[Paragraph]]:
    """Ids that follow the document's own numbering, where it has one all through:
    - a text of articles (第一条 … 第N条, in order from its first body paragraph): §N.k is
      article N's k-th paragraph, whatever chapter it sits in; a section after them with no
      article (an annex) is numbered on from the last (§N+1.k);
    - sections whose every paragraph is a numbered item ((一) … (十), numbered on across
      sections as an opinion does): §S.N is item N, in section S.
    Otherwise, and always for the header (§0), ids count paragraphs: §S.P."""
    body = [p for p in paras if p.section > 0]
    ids = _article_ids(body) or _item_ids(body)
    if not ids:
        return sections, paras
    paras = [replace(p, id=ids[p.id][0], number=ids[p.id][1]) if p.id in ids else p for p in paras]
    sections = [replace(s, paragraph_ids=tuple(ids[i][0] for i in s.paragraph_ids)) for s in sections]
    return sections, paras


def _article_ids(body: list[Paragraph]) -> dict[str, tuple[str, int]]:
    numbers = [article_number(p.text) for p in body]
    found = [n for n in numbers if n is not None]
    if len(found) < 3 or numbers[0] is None or any(b <= a for a, b in zip(found, found[1:])):
        return {}  # not articles, or numbered again (an attachment's own articles)
    # A section with no article (an annex after them) is numbered on after the last article.
    with_articles = {p.section for p, n in zip(body, numbers) if n is not None}
    after: dict[int, list[str]] = {}
    out, article, k = {}, 0, 0
    for p, n in zip(body, numbers):
        if p.section not in with_articles:
            ids = after.setdefault(p.section, [])
            ids.append(f"§{found[-1] + len(after)}.{len(ids) + 1}")
            out[p.id] = (ids[-1], len(ids))
            continue
        article, k = (n, 1) if n is not None else (article, k + 1)
        out[p.id] = (f"§{article}.{k}", k)
    return out


def article_number(text: str) -> int | None:
    """第N条's N, also after a lower heading that opens the paragraph ("第一节 登记 第六条 …")."""
    if m := _ARTICLE.match(text):
        return cn_number(m.group(1))
    for gap in (i for i, ch in enumerate(text[:40]) if ch == " "):
        if _is_heading(text[:gap]) and (m := _ARTICLE.match(text[gap + 1:])):
            return cn_number(m.group(1))
    return None


def _item_ids(body: list[Paragraph]) -> dict[str, tuple[str, int]]:
    numbers = [cn_number(m.group(1)) if (m := _ITEM.match(p.text)) else None for p in body]
    if len(body) < 3 or None in numbers:
        return {}
    out: dict[str, tuple[str, int]] = {}
    for p, n in zip(body, numbers):
        out[p.id] = (f"§{p.section}.{n}", n)
    return out if len(set(i for i, _ in out.values())) == len(out) else {}


# -- genres ----------------------------------------------------------------------------------

def _numbered(blocks: list[tuple[int, str]], family: str):
    """An official document: its top-level numbered lines, and attachments, open the sections."""
    pattern = dict(_FAMILIES)[family]
    starts: list[int] = []
    attached = False  # an attachment's own numbering stays inside it
    for i, (_, b) in enumerate(blocks):
        if re.match(r"^附\s*件\s*\d{0,2}$", b):
            attached = True
            starts.append(i)
        elif pattern.match(b) and not attached:
            starts.append(i)
    names = [name for name, _ in _FAMILIES]
    below = dict(_FAMILIES)[names[names.index(family) + 1]] if family in ("part", "cn", "paren_cn") else None
    return _sectioned(blocks, starts, pattern, below)


def _qa(blocks: list[tuple[int, str]]):
    """A press Q&A without headings: each question turn opens a section."""
    return _sectioned(blocks, [i for i, (_, b) in enumerate(blocks) if _QUESTION.match(b) and not _is_meta(b)], None)


def _heading_parts(line: str, pattern: re.Pattern | None) -> tuple[str, bool, str]:
    """(section title, whether the line is also a paragraph, its role) for a section's opening line."""
    m = pattern.match(line) if pattern else None
    rest = line[m.end():].strip() if m else line
    question = _QUESTION.sub("", rest).strip()
    if _QUESTION.match(line) or _QUESTION.match(rest) or rest.rstrip(_CLOSERS).endswith(("？", "?")):
        return _short(question), True, "question"
    if _is_heading(line):
        return line, False, ""
    first = re.split(r"(?<=[。；;：:！？!?])", rest)[0].rstrip("。；;：:")
    return _short(first), True, "text"


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[:n] + "…"


def _sectioned(blocks: list[tuple[int, str]], starts: list[int], pattern: re.Pattern | None,
               below: re.Pattern | None = None):
    """Sections opened at `starts`. A heading line of the family `below` the sections' own
    ("（一）…" under "一、…") is the subsection of the paragraphs after it, until the next."""
    first = starts[0]
    signature = _signature(blocks, first)
    fields, columns, issuers, paras = _header(blocks[:first], [blocks[i] for i in sorted(signature)])
    trailer = [p for p in paras if p.number > first]
    paras = [p for p in paras if p.number <= first]
    qa = any(_QUESTION.match(b) or (i in starts and b.rstrip(_CLOSERS).endswith(("？", "?")))
             for i, (_, b) in enumerate(blocks))
    sections: list[Section] = []
    n, title, ids, sub, subsection = 0, "", [], "", ""
    start_set, skip = set(starts), set(signature)

    def add(ln: int, text: str, role: str) -> None:
        ids.append(f"§{n}.{len(ids) + 1}")
        under = "" if text.startswith(subsection) else subsection  # not the heading's own paragraph
        paras.append(Paragraph(ids[-1], n, len(ids), role, title, text, ln, subsection=under))

    for i in range(first, len(blocks)):
        if i in skip:
            continue
        ln, b = blocks[i]
        if i in start_set:
            if n and ids:
                sections.append(Section(n, title, tuple(ids)))
            n, ids, sub, subsection = n + 1, [], "", ""
            title, keep, role = _heading_parts(b, pattern)
            if _ATTACHMENT.match(b) and i + 1 < len(blocks) and _is_heading(blocks[i + 1][1]) and i + 1 not in start_set:
                title = f"{b} {blocks[i + 1][1]}"
                skip.add(i + 1)
            if keep:
                add(ln, b, role)
            continue
        nxt = blocks[i + 1][1] if i + 1 < len(blocks) else ""
        heading = _is_heading(b) or _closed_heading(blocks[i - 1][1] if i else "", b, nxt)
        if below and below.match(b) and heading:
            subsection = b
        # A table's caption stays a line of its own; its rows are read under their header
        # (Document.row_reading).
        if (heading and nxt and i + 1 not in start_set and not _is_heading(nxt) and not _FORM.match(nxt)
                and "\t" not in nxt):
            sub = b  # a lower-level heading opens the paragraph under it
            continue
        add(ln, f"{sub} {b}" if sub else b, _role(b, qa))
        sub = ""
    if n and ids:
        sections.append(Section(n, title, tuple(ids)))
    base = len(paras) - len([p for p in paras if p.section > 0])
    for k, p in enumerate(trailer, start=base + 1):
        paras.append(Paragraph(f"§0.{k}", 0, k, p.role, "", p.text, p.line))
    return _metadata(fields, columns, issuers, qa), sections, paras


def _plain(blocks: list[tuple[int, str]]):
    """Headed sections (an interview, an article with headings), or one section for a text
    with none. Header-like lines (dates, numbers, addressees) are never section headings."""
    interview = any(_QUESTION.match(b) for _, b in blocks)
    kinds = []
    for i, (_, b) in enumerate(blocks):
        nxt = blocks[i + 1][1] if i + 1 < len(blocks) else ""
        heading = _is_heading(b) and not _is_meta(b)
        kinds.append("heading" if heading and nxt and not _is_heading(nxt) else "body")
    first = next((i for i, k in enumerate(kinds) if k == "heading"), None)
    if first == 0 and (kinds.count("heading") == 1 or names_kind(blocks[0][1])
                       or (len(blocks) > 1 and _is_meta(blocks[1][1]))):
        # The one heading at the top is the title of a text with no headings, and so is a top
        # line naming a document's kind ("关于…的通知"), or over a page's date line ("发布时间：…"),
        # whatever headings follow.
        first = next((i for i, k in enumerate(kinds) if k == "heading" and i > 0), None)
    articles = [i for i, (_, b) in enumerate(blocks) if _ARTICLE.match(b)]
    if len(articles) >= 3 and (first is None or first < articles[0]):
        # A text of articles: what comes before the first is its front matter (a title, the order
        # publishing it, its signer, a date), the articles are one section, and a heading after
        # them (an annex's) opens one of its own.
        first = articles[0]
        rest, rest_kinds = [(0, "")] + blocks[first:], ["heading"] + kinds[first:]
    elif first is None:
        # No headings: one section of the body, titled by the first line when it is a title.
        first = 1 if len(blocks) > 1 and _is_heading(blocks[0][1]) else 0
        while first < len(blocks) - 1 and _is_meta(blocks[first][1]):
            first += 1
        rest, rest_kinds = [(0, "")] + blocks[first:], ["heading"] + ["body"] * (len(blocks) - first)
    else:
        rest, rest_kinds = blocks[first:], kinds[first:]
    trailer = []
    while len(rest) > 1 and (_DATELINE.match(rest[-1][1]) or _DATE_LINE.match(rest[-1][1]) or _PUBLIC.match(rest[-1][1])):
        trailer.insert(0, rest[-1])
        rest, rest_kinds = rest[:-1], rest_kinds[:-1]
    fields, columns, issuers, paras = _header(blocks[:first], trailer)
    head, tail = paras[:first], paras[first:]
    paras = head
    if rest and rest[0] == (0, "") and fields.get("title"):
        # Titled by the text it carries where a notice carries one ("…关于印发《X办法》的通知",
        # then "X办法" above the articles), else by the document's title.
        carried = [c for c in columns if c in fields["title"] and _kind(c, {}, False) != "article"]
        rest[0] = (0, carried[-1] if carried else fields["title"])
    sections: list[Section] = []
    cur_title, cur_ids, cur_n = "", [], 0
    for (ln, b), kind in zip(rest, rest_kinds):
        if kind == "heading":
            if cur_n:
                sections.append(Section(cur_n, cur_title, tuple(cur_ids)))
            cur_n, cur_title, cur_ids = cur_n + 1, b, []
            continue
        pid = f"§{cur_n}.{len(cur_ids) + 1}"
        cur_ids.append(pid)
        paras.append(Paragraph(pid, cur_n, len(cur_ids), _role(b, interview), cur_title, b, ln))
    if cur_n:
        sections.append(Section(cur_n, cur_title, tuple(cur_ids)))
    paras.extend(tail)
    sections = [s for s in sections if s.paragraph_ids]
    return _metadata(fields, columns, issuers, interview), sections, paras


def _markdown(blocks: list[tuple[int, str]]):
    headings = [(_MD_HEADING.match(b), ln) for ln, b in blocks]
    levels = [len(m.group(1)) for m, _ in headings if m]
    top = min(levels)
    # A single top-level heading is the title; the next level down makes the sections.
    section_level = top + 1 if levels.count(top) == 1 and any(lv > top for lv in levels) else top
    converted: list[tuple[int, str]] = []
    header: list[tuple[int, str]] = []
    seen_section = False
    for ln, b in blocks:
        m = _MD_HEADING.match(b)
        if m and len(m.group(1)) < section_level:
            header.append((ln, m.group(2)))
        elif m and len(m.group(1)) == section_level:
            seen_section = True
            converted.append((ln, "\x00H" + m.group(2)))
        elif not seen_section and not m:
            header.append((ln, b))
        else:
            converted.append((ln, m.group(2) if m else b))
    if not seen_section:
        converted = [(0, "\x00H")] + converted
    fields, columns, issuers, paras = _header(header, [])
    interview = any(_QUESTION.match(b) for _, b in converted)
    sections: list[Section] = []
    cur_n, cur_title, cur_ids = 0, "", []
    for ln, b in converted:
        if b.startswith("\x00H"):
            if cur_n and cur_ids:
                sections.append(Section(cur_n, cur_title, tuple(cur_ids)))
            elif cur_n:
                cur_n -= 1
            cur_n, cur_title, cur_ids = cur_n + 1, b[2:], []
            continue
        pid = f"§{cur_n}.{len(cur_ids) + 1}"
        cur_ids.append(pid)
        paras.append(Paragraph(pid, cur_n, len(cur_ids), _role(b, interview), cur_title, b, ln))
    if cur_n and cur_ids:
        sections.append(Section(cur_n, cur_title, tuple(cur_ids)))
    return _metadata(fields, columns, issuers, interview), sections, paras
