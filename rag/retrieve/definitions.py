"""Definitions: a question asking what a term means is answered by the paragraph that defines it.

Chinese laws and rules define their terms by one formula: "本条例所称本人工资，是指…",
"本规定所称正常劳动，是指…". Such a term is used all through the text, so every paragraph
matches a question about it; the definition is the one that answers "what does it mean".

Not handled: definitions by other formulas ("…以下简称…", a glossary at the end).
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from ..text import zh_tokens

_DEFINES = re.compile(r"所称\s*[“\"「]?([^，,。；“”\"」]{2,20}?)[”\"」]?\s*[，,]?\s*(?:是指|系指|指的是|包括)")
_ASKS = re.compile(
    r"是什么意思|什么意思|指的?是什么|是指什么|指什么|什么叫|什么是|怎么理解|如何理解|的?定义|的?含义|如何界定|怎么界定"
    r"|\bwhat (?:does|do|is meant by)\b|\bmean(?:s|ing)?\b|\bdefin(?:e|ed|es|ition)\b|\bwhat counts as\b",
    re.I,
)


def defined_terms(texts: Sequence[str]) -> list[str]:
    """The term each text defines by the formula ("所称X，是指"), or "" where it defines none."""
    return [m.group(1).strip() if (m := _DEFINES.search(t)) else "" for t in texts]


def asks_meaning(question: str) -> bool:
    return bool(_ASKS.search(question))


def defines_asked(question: str, terms: Sequence[str], bridged: Iterable[str] = ()) -> list[int]:
    """The positions of the terms a question asking what a term means names: by the term itself
    in a Chinese question, or (an English one) by all its words among `bridged`, the document
    words the question's English reaches."""
    if not asks_meaning(question):
        return []
    reached = set(bridged)
    out = []
    for i, term in enumerate(terms):
        if not term:
            continue
        words = [t for t in zh_tokens(term) if not t.startswith("~")]
        if term in question or (reached and words and all(w in reached for w in words)):
            out.append(i)
    # Of several, the longest terms named: "本人工资" before "工资".
    longest = max((len(terms[i]) for i in out), default=0)
    return [i for i in out if len(terms[i]) == longest]
