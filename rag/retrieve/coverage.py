"""Coverage: how much of the question the document holds, a signal of "not covered".

The share of the question's words (idf-weighted) found in the top paragraph, and in the whole
document. Words the thesaurus explained count as found. Chinese character bigrams are left
out here: they help matching but would count every unmatched phrase twice.
"""

from __future__ import annotations

import re

import numpy as np

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
    English holds it (the English edition, or else the English of its words: the gloss) or
    the Chinese holds one of the word's translations (glossary or CC-CEDICT). "account" is
    found in "个人银行账户" through 账户 "bank account", though no one-word phrase names it.
    Every word counts, so a word found no way ("foreign") weighs against the question, as a
    word in no document: it is not left out because it has no translation."""
    toks = en_tokens(query)
    explained = set(toks) - set(en_tokens(rest))
    en, zh, english = lexical.en, lexical.zh, lexical.english
    weight = found_top = found_any = 0.0
    for tok, words in zip(toks, bridge.words(toks)):
        words = [t for t in words if not t.startswith("~") and t in zh.idf]
        in_en = english is not None and tok in english.idf
        w = en.idf.get(tok, en.unknown_idf) if en is not None else max(
            (zh.idf[t] for t in words), default=zh.unknown_idf)
        weight += w
        found_any += w if tok in explained or in_en or words else 0.0
        found_top += w if (tok in explained or (in_en and tok in english.doc_terms[top])
                           or any(t in zh.doc_terms[top] for t in words)) else 0.0
    return (found_top / weight, found_any / weight) if weight else (0.0, 0.0)


def english_shares(lexical: LexicalCandidates, bridge: Bridge, query: str) -> np.ndarray:
    """The share of an English question's words (idf-weighted) each paragraph holds, where the
    document has no English edition: a word is held where one of its translations is or, where
    the bridge reaches none, where the English of the paragraph's words (the gloss) has it.
    Words held nowhere are left out: they weigh the same everywhere."""
    zh, gloss = lexical.zh, lexical.gloss
    toks = en_tokens(query)
    held: dict[tuple[str, ...], tuple[float, list[np.ndarray]]] = {}
    for tok, words in zip(toks, bridge.words(toks)):
        if known := [t for t in dict.fromkeys(words) if t in zh.postings]:
            held[tuple(known)] = (max(zh.idf[t] for t in known), [zh.postings[t][0] for t in known])
        elif gloss is not None and tok in gloss.postings:
            held[(tok,)] = (gloss.idf[tok], [gloss.postings[tok][0]])
    out = np.zeros(zh.n, dtype=np.float32)
    for weight, rows in held.values():
        out[np.unique(np.concatenate(rows))] += weight
    total = sum(weight for weight, _ in held.values())
    return out / total if total else out
