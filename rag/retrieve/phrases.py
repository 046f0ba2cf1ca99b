"""Literal phrases: a small bonus for the candidate answers that hold the question's own phrase.

Words alone do not tell "有活没人干" (work with no one to do it) from "有人没活干" (people with no
work), nor find a quoted name ('get one thing done efficiently') whose words the rendering
holds in another order. Both functions take the candidate rows that may answer, with their
text, and return 1 for the rows that match and 0 elsewhere.
"""

from __future__ import annotations

import re
from typing import Mapping

import numpy as np

from ..text import HAN_RUN, en_tokens
from .thesaurus import Thesaurus

# A quoted name in an English question: 'big data plus iron feet', "Skills Light Up the Future"
# (an apostrophe inside or after a word does not open or close one).
_QUOTED = re.compile(r"(?<!\w)['\"\u2018\u201c]([^'\"\u2018\u2019\u201c\u201d]{3,80}?)['\"\u2019\u201d](?!\w)")


def phrase_match(query: str, texts: Mapping[int, str], count: int, shortest: int = 4) -> np.ndarray:
    """1 for the rows whose Chinese `texts` hold the longest run of the question's Chinese
    characters found in any of them (at least `shortest` long), else 0."""
    out = np.zeros(count, dtype=np.float32)
    runs = [r for r in HAN_RUN.findall(query) if len(r) >= shortest]
    if not runs or not texts:
        return out

    def holding(length: int) -> list[int]:
        grams = {r[j : j + length] for r in runs for j in range(len(r) - length + 1)}
        return [i for i, t in texts.items() if any(g in t for g in grams)]

    # A shared run of n characters holds one of n - 1, so the longest is found by bisection.
    lo, hi, found = shortest, max(len(r) for r in runs), holding(shortest)
    if not found:
        return out
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if longer := holding(mid):
            lo, found = mid, longer
        else:
            hi = mid - 1
    out[found] = 1.0
    return out


def quoted_match(query: str, texts: Mapping[int, str], count: int, thesaurus: Thesaurus = Thesaurus()) -> np.ndarray:
    """1 for the rows whose English `texts` hold every word of a name the question quotes, in
    any order, or of the document's term the thesaurus gives for it ('one old, one young':
    the elderly and the young), else 0. A name of one word is too common to count."""
    out = np.zeros(count, dtype=np.float32)
    for span in _QUOTED.findall(query):
        names = [set(en_tokens(name)) for name in [span, *thesaurus.expand(span, "en")[0]]]
        names = [words for words in names if len(words) >= 2]
        for i, text in texts.items():
            held = set(en_tokens(text))
            if any(words <= held for words in names):
                out[i] = 1.0
    return out
