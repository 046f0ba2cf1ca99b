"""The figures a Chinese text states, written in English: what an English reader can take from
a quote of a document with no English edition, without a translator.

    figures_en(["自2015年1月1日起，每人每年补贴60元，缴费满15年。"])
    -> ("1 January 2015", "60 yuan", "15 years")

Only what is written in digits is read, each figure as the text states it; nothing is inferred.
"""

from __future__ import annotations

import re
from typing import Iterable

from .text import normalize

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_UNITS = {"工作日": "working day", "年": "year", "月": "month", "日": "day", "天": "day", "周": "week", "小时": "hour",
          "倍": "times"}
_FIGURE = re.compile(
    r"(?P<date>(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>1[0-2]|0?[1-9])\s*月(?:\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*日)?)"
    r"|(?P<year>(?:19|20)\d\d)\s*年(?![\d\s]*月)"
    r"|(?P<money>\d[\d,]*(?:\.\d+)?)\s*(?P<scale>万|亿)?\s*元"
    r"|(?P<percent>\d+(?:\.\d+)?)\s*[%％]"
    r"|(?P<md>(?P<m2>1[0-2]|0?[1-9])\s*月\s*(?P<d2>3[01]|[12]\d|0?[1-9])\s*[日号])"
    r"|(?P<age>\d{1,3})\s*周?岁"
    # 3月 is March and 15日 the 15th: a month is counted only as 个月, a day only "within" (日内).
    r"|(?P<count>\d+(?:\.\d+)?)\s*(?P<unit>个?工作日|个月|小时|年|日(?=\s*(?:以|之)?内)|天|周|倍)"
)
MAX_FIGURES = 8


def figures_en(texts: Iterable[str], limit: int = MAX_FIGURES) -> tuple[str, ...]:
    """The dates, sums, shares, ages and periods `texts` state in digits, in English, each once,
    in the order they come."""
    out: dict[str, None] = {}
    for text in texts:
        for m in _FIGURE.finditer(normalize(text or "")):  # full-width digits too: １５年
            out.setdefault(_english(m), None)
            if len(out) >= limit:
                return tuple(out)
    return tuple(out)


def _english(m: re.Match) -> str:
    if m["date"]:
        month = _MONTHS[int(m["m"]) - 1]
        return f"{int(m['d'])} {month} {m['y']}" if m["d"] else f"{month} {m['y']}"
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
        return f"age {m['age']}"
    unit = _UNITS[m["unit"].lstrip("个")]
    if unit == "times":
        return f"{m['count']} times"
    return f"{m['count']} {unit}" + ("" if m["count"] == "1" else "s")
