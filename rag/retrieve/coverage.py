"""Coverage: how much of the question the document holds, a signal of "not covered".

The share of the question's words (idf-weighted) found in the top paragraph, and in the whole
document. Words the thesaurus explained count as found. Chinese character bigrams are left
out here: they help matching but would count every unmatched phrase twice.
"""

from __future__ import annotations

import re

from ..document import Lang
from ..text import HAN_CHAR, en_tokens, zh_tokens
from .bridge_phrases import Bridge
from .lexical_lists import LexicalCandidates


def content_words(query: str, lang: Lang) -> list[str]:
    """The question's words after stop words (character bigrams left out): a follow-up with
    none ("When?") has nothing of its own to search by."""
    toks = zh_tokens(query) if lang == "zh" else en_tokens(query)
    return [t for t in toks if not t.startswith("~")]


def coverage(lexical: LexicalCandidates, bridge: Bridge, query: str, rest: str, lang: Lang,
             top: int) -> tuple[float, float]:
    """(share in paragraph `top`, share anywhere), the better of the Chinese and English
    readings; `rest` is the query less the words the thesaurus explained."""
    shares = []
    if lang == "zh" or HAN_CHAR.search(query):
        full = [t for t in zh_tokens(query) if not t.startswith("~")]
        if full:
            given = frozenset(full) - frozenset(zh_tokens(rest))
            shares.append((lexical.zh.matched_share(full, top, given), lexical.zh.matched_share(full, None, given)))
    if re.search(r"[A-Za-z]{2,}", query) and en_tokens(query):
        shares.append(english_coverage(lexical, bridge, query, rest, top))
    if not shares:
        return 0.0, 0.0
    return max(s[0] for s in shares), max(s[1] for s in shares)


def english_coverage(lexical: LexicalCandidates, bridge: Bridge, query: str, rest: str,
                     top: int) -> tuple[float, float]:
    """Coverage of an English question, word by word: a word is found in a paragraph when its
    English rendering holds it or the Chinese holds one of the word's translations (glossary
    or CC-CEDICT). Every word counts, so a word found neither way ("foreign") weighs against
    the question, as a word in no document: it is not left out because it has no translation."""
    toks = en_tokens(query)
    explained = set(toks) - set(en_tokens(rest))
    en, zh = lexical.en, lexical.zh
    weight = found_top = found_any = 0.0
    for tok, words in zip(toks, bridge.words(toks)):
        words = [t for t in words if not t.startswith("~") and t in zh.idf]
        in_en = en is not None and tok in en.idf
        w = en.idf.get(tok, en.unknown_idf) if en is not None else max(
            (zh.idf[t] for t in words), default=zh.unknown_idf)
        weight += w
        found_any += w if tok in explained or in_en or words else 0.0
        found_top += w if (tok in explained or (in_en and tok in en.doc_terms[top])
                           or any(t in zh.doc_terms[top] for t in words)) else 0.0
    return (found_top / weight, found_any / weight) if weight else (0.0, 0.0)
