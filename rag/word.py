"""The labels of Word's automatic numbering ("一、", "（三）", "2."), which a .docx keeps apart from
its paragraphs' text.

A paragraph numbered by Word holds only its words: its number is drawn from a list definition
(numbering.xml) as the document is shown. Read without it, "一、总体要求" is "总体要求" and item
"（三）" is a paragraph like any other, so the parser can neither see the document's sections
nor give ids that follow its numbering. `Numbering(document).label(paragraph)` gives each
numbered paragraph its label, counting as Word does: per list, a level's count restarting
whenever a higher level moves on.
"""

from __future__ import annotations

from docx.oxml.ns import qn

CHINESE_DIGITS = "〇一二三四五六七八九"
STEMS = "甲乙丙丁戊己庚辛壬癸"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百〇五 (as Word's chineseCounting)."""
    if n < 10:
        return CHINESE_DIGITS[n]
    if n < 20:
        return "十" + (CHINESE_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return CHINESE_DIGITS[n // 10] + "十" + (CHINESE_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if not rest else ("〇" + CHINESE_DIGITS[rest] if rest < 10 else ("一" if rest < 20 else "") + chinese(rest))
    return CHINESE_DIGITS[n // 100] + "百" + tail


def roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                           (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


def formatted(n: int, fmt: str) -> str:
    """A count in one of Word's number formats; decimal for the rest."""
    if fmt.startswith(("chineseCounting", "chineseLegalSimplified", "ideographDigital", "japaneseCounting",
                       "taiwaneseCounting")):  # LibreOffice writes a .doc's 一、 as taiwaneseCountingThousand
        return chinese(n)
    if fmt == "ideographTraditional":
        return STEMS[(n - 1) % 10]
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return CIRCLED[n - 1] if 0 < n <= len(CIRCLED) else str(n)
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        return roman(n).upper() if fmt == "upperRoman" else roman(n)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) - ord("0") + ord("０")) for d in str(n))
    return str(n)


class Numbering:
    """Counts a document's numbered paragraphs, in order, as Word numbers them."""

    def __init__(self, document):
        self._levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId → level → (start, format, text)
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):  # a document with no lists
            numbering = None
        try:
            self._read(numbering)
        except (ValueError, AttributeError):  # a broken definition: the text is read unnumbered
            self._levels = {}
        self._counts: dict[str, list[int | None]] = {}

    def _read(self, numbering) -> None:
        if numbering is not None:
            abstract = {a.get(qn("w:abstractNumId")): a for a in numbering.findall(qn("w:abstractNum"))}
            for num in numbering.findall(qn("w:num")):
                ref = num.find(qn("w:abstractNumId"))
                definition = abstract.get(ref.get(qn("w:val")) if ref is not None else None)
                if definition is not None:
                    self._levels[num.get(qn("w:numId"))] = _levels(definition, num)

    def label(self, paragraph) -> str:
        """The paragraph's number as shown ("（三）"), or "" where it has none (or where its
        list's definition is broken: the text is read without it). Call it for every paragraph
        in order: each numbered one moves its list's count on."""
        try:
            return self._label(paragraph)
        except (ValueError, KeyError, AttributeError, IndexError):
            return ""

    def _label(self, paragraph) -> str:
        found = _num_pr(paragraph)
        if found is None or found[0] not in self._levels:
            return ""
        num_id, level = found
        levels = self._levels[num_id]
        if level not in levels:
            return ""
        counts = self._counts.setdefault(num_id, [None] * 10)
        counts[level + 1:] = [None] * (9 - level)
        counts[level] = levels[level][0] if counts[level] is None else counts[level] + 1
        _, fmt, text = levels[level]
        if fmt in ("bullet", "none"):
            return ""
        for k in range(level + 1):
            start, fmt_k, _ = levels.get(k, (1, "decimal", ""))
            text = text.replace(f"%{k + 1}", formatted(start if counts[k] is None else counts[k], fmt_k))
        return text


def _levels(definition, num) -> dict[int, tuple[int, str, str]]:
    out = {}
    for lvl in definition.findall(qn("w:lvl")):
        level = int(lvl.get(qn("w:ilvl"), "0"))
        start, fmt, text = _val(lvl, "w:start", "1"), _val(lvl, "w:numFmt", "decimal"), _val(lvl, "w:lvlText", "")
        out[level] = (int(start) if start.isdigit() else 1, fmt, text)
    for override in num.findall(qn("w:lvlOverride")):  # a list that restarts at its own number
        level = int(override.get(qn("w:ilvl"), "0"))
        start = _val(override, "w:startOverride", "")
        if level in out and start.isdigit():
            out[level] = (int(start), *out[level][1:])
    return out


def _val(element, tag: str, default: str) -> str:
    child = element.find(qn(tag))
    return child.get(qn("w:val"), default) if child is not None else default


def _num_pr(paragraph) -> tuple[str, int] | None:
    """(numId, level) of a paragraph numbered directly or by its style; None where it is not, or
    where numbering is switched off (numId 0)."""
    candidates = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        candidates.append(style.element.pPr)
        style = style.base_style
    for ppr in candidates:
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if num_pr is not None and num_pr.find(qn("w:numId")) is not None:
            num_id = num_pr.find(qn("w:numId")).get(qn("w:val"))
            ilvl = num_pr.find(qn("w:ilvl"))
            return (None if num_id == "0" else (num_id, int(ilvl.get(qn("w:val"), "0")) if ilvl is not None else 0))
    return None
