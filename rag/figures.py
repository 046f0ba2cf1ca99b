"""The figures a Chinese text states, written in English: what an English reader can take from
a quote of a document with no English edition, without a translator.

    figures_en(["自2015年1月1日起，每人每年补贴60元，缴费满15年。"])
    -> ("1 January 2015", "60 yuan", "15 years")

What is written in digits is read, and what is written in Chinese numerals where it cannot be
read otherwise (二十四个月, 百分之八十, 六十周岁, 五万元, 二〇三一年三月一日; not 第一年, 同一年度 or 二元结构):
each figure as the text states it; nothing is inferred.
"""

from __future__ import annotations

import re
from typing import Iterable

from .text import cn_number, normalize

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_UNITS = {"工作日": "working day", "年": "year", "月": "month", "日": "day", "天": "day", "周": "week", "小时": "hour",
          "倍": "times"}
_CN_DIGIT = "〇○OＯ零一二三四五六七八九"  # a year typed with the letter O: 二O一一
_CN_ALL = "〇○零一二两三四五六七八九十百千"
_CN_SMALL = "(?:[一二两三四五六七八九十][十百零〇一二三四五六七八九]{0,3})"  # 1 to 9999, as counted
_FIGURE = re.compile(
    r"(?P<date>(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>1[0-2]|0?[1-9])\s*月(?:\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*日)?)"
    # A page's or a law database's date: 2016-03-04, 2016/3/4, 19950422 (eight digits, nothing around).
    r"|(?<![\d./-])(?P<ndate>(?P<ny>(?:19|20)\d\d)(?:(?P<sep>[-/.])(?P<nm>1[0-2]|0?[1-9])(?P=sep)(?P<nd>3[01]|[12]\d|0?[1-9])"
    r"|(?P<nm8>1[0-2]|0[1-9])(?P<nd8>3[01]|[12]\d|0[1-9])))(?![\d./-])"
    r"|(?P<year>(?:19|20)\d\d)\s*年(?![\d\s]*月)"
    r"|(?P<money>\d[\d,]*(?:\.\d+)?)\s*(?P<scale>万|亿)?\s*元"
    r"|(?P<percent>\d+(?:\.\d+)?)\s*[%％]"
    r"|(?P<md>(?P<m2>1[0-2]|0?[1-9])\s*月\s*(?P<d2>3[01]|[12]\d|0?[1-9])\s*[日号])"
    r"|(?:(?P<afrom>\d{1,3})\s*(?:-|–|~|～|至|到)\s*)?(?P<age>\d{1,3})\s*周?岁"  # 16-60周岁 is a range
    # 3月 is March and 15日 the 15th: a month is counted only as 个月, a day only "within" (日内).
    r"|(?:(?P<from>\d+(?:\.\d+)?)\s*(?:-|–|~|～|至|到)\s*)?"  # 3至6个月 is a range
    r"(?P<count>\d+(?:\.\d+)?)\s*(?P<unit>个?工作日|个月|小时|年|日(?=\s*(?:以|之)?内)|天|周|倍)"
    # The same in Chinese numerals. A year or date is four digits (二〇三一年); an amount of money
    # needs a place (二十元, 五万元: 二元 is also "dual"); a count starts a run of numerals and
    # follows no ordinal or "same" (第一年 is the first year, 同一年度 the same one).
    rf"|(?P<cdate>(?P<cy>[{_CN_DIGIT}]{{4}})\s*年\s*(?P<cm>{_CN_SMALL})\s*月(?:\s*(?P<cd>{_CN_SMALL})\s*[日号])?)"
    rf"|(?P<cyear>[{_CN_DIGIT}]{{4}})\s*年(?!\s*[{_CN_ALL}\d]+\s*月)"
    rf"|(?<![{_CN_ALL}数几上])(?P<cmoney>[{_CN_ALL}]*[十百千][{_CN_ALL}]*|[{_CN_ALL}]+(?=\s*[万亿]))\s*(?P<cscale>万|亿)?\s*元"
    rf"|百分之(?P<cpercent>[{_CN_ALL}]+(?:点[{_CN_DIGIT}]+)?)"
    rf"|(?<![{_CN_ALL}数几第])(?P<cage>{_CN_SMALL})\s*周?岁"
    rf"|(?<![{_CN_ALL}数几第同统唯单某逐期周上下])(?P<ccount>{_CN_SMALL})"
    r"\s*(?P<cunit>个?工作日|个月|小时|年(?!度|级|代)|日(?=\s*(?:以|之)?内)|天|周(?!岁)|倍)"
)
MAX_FIGURES = 8


def figures_en(texts: Iterable[str], limit: int = MAX_FIGURES) -> tuple[str, ...]:
    """The dates, sums, shares, ages and periods `texts` state (in digits or Chinese numerals), in
    English, each once, in the order they come."""
    out: dict[str, None] = {}
    for text in texts:
        for m in _FIGURE.finditer(normalize(text or "")):  # full-width digits too: １５年
            if english := _english(m):
                out.setdefault(english, None)
            if len(out) >= limit:
                return tuple(out)
    return tuple(out)


def _english(m: re.Match) -> str:
    if m["cdate"] or m["cyear"] or m["cmoney"] or m["cpercent"] or m["cage"] or m["ccount"]:
        return _english_cn(m)
    if m["date"]:
        month = _MONTHS[int(m["m"]) - 1]
        return f"{int(m['d'])} {month} {m['y']}" if m["d"] else f"{month} {m['y']}"
    if m["ndate"]:
        return f"{int(m['nd'] or m['nd8'])} {_MONTHS[int(m['nm'] or m['nm8']) - 1]} {m['ny']}"
    if m["md"]:
        return f"{int(m['d2'])} {_MONTHS[int(m['m2']) - 1]}"
    if m["year"]:
        return m["year"]
    if m["money"]:
        value = float(m["money"].replace(",", "")) * {"万": 10_000, "亿": 100_000_000}.get(m["scale"] or "", 1)
        return f"{value:,.0f} yuan" if value == int(value) else f"{value:,.2f} yuan"
    if m["percent"]:
        return f"{m['percent']}%"
    if m["age"]:
        return f"age {m['afrom']}–{m['age']}" if m["afrom"] else f"age {m['age']}"
    unit = _UNITS[m["unit"].lstrip("个")]
    count = f"{m['from']}–{m['count']}" if m["from"] else m["count"]
    if unit == "times":
        return f"{count} times"
    return f"{count} {unit}" + ("" if count == "1" else "s")


# Two digits side by side are a range ("三四个月": three or four months), not a number.
_RANGE = re.compile("[一二两三四五六七八九]{2}")


def _english_cn(m: re.Match) -> str:
    """A figure in Chinese numerals, in English (see _FIGURE); "" for a range."""
    if _RANGE.search(m["cmoney"] or m["cage"] or m["ccount"] or ""):
        return ""
    if m["cdate"]:
        year, month, day = cn_number(m["cy"]), cn_number(m["cm"]), cn_number(m["cd"] or "")
        month_name = _MONTHS[month - 1] if month and 1 <= month <= 12 else ""
        if not month_name:
            return str(year)
        return f"{day} {month_name} {year}" if day and 1 <= day <= 31 else f"{month_name} {year}"
    if m["cyear"]:
        return str(cn_number(m["cyear"]))
    if m["cmoney"]:
        value = (cn_number(m["cmoney"]) or 0) * {"万": 10_000, "亿": 100_000_000}.get(m["cscale"] or "", 1)
        return f"{value:,} yuan"
    if m["cpercent"]:
        whole, _, tenths = m["cpercent"].partition("点")
        digits = "".join(str(cn_number(c)) for c in tenths)
        return f"{cn_number(whole)}.{digits}%" if digits else f"{cn_number(whole)}%"
    if m["cage"]:
        return f"age {cn_number(m['cage'])}"
    count = cn_number(m["ccount"])
    unit = _UNITS[m["cunit"].lstrip("个")]
    if unit == "times":
        return f"{count} times"
    return f"{count} {unit}" + ("" if count == 1 else "s")
