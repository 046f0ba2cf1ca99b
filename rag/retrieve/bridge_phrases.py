"""The bridge: English phrases (stemmed tokens) and the Chinese words of the document they reach.

It lets an English question match the Chinese text. With an English edition the document's
own glossary is the bridge; without one, CC-CEDICT over the document's words, which beat the
glossary there (bench/bridge_experiment.py). It is built once, before the retriever, and
passed to it: a Bridge never changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from ..bridge import dictionary_bridge
from ..document import Lang
from ..lexical import BM25
from ..text import en_tokens, zh_tokens
from .lexical_lists import LexicalCandidates, TermQuery, reads_english

Phrase = tuple[tuple[str, ...], list[str]]
STEM_PREFIX = 5
MAX_KIN = 3


# Figures are written alike in both languages: "2015", "60", "300%" reach the same tokens in
# the Chinese text, and a month its number with 月 ("January" -> 1, 月). Not "may": it asks.
_NUMBER = re.compile(r"\d+(?:\.\d+)?%?")
_MONTHS = {stem: n for n, stem in enumerate(("januari", "februari", "march", "april", "", "june", "juli",
                                              "august", "septemb", "octob", "novemb", "decemb"), start=1) if stem}


def _figure(tok: str) -> list[str]:
    if _NUMBER.fullmatch(tok):
        return [tok]
    return [str(_MONTHS[tok]), "月"] if tok in _MONTHS else []


@dataclass(frozen=True)
class Bridge:
    """Phrases longest first; `starts` holds them by their first word, each with its rank, so
    a query looks up only the phrases that can start at each of its words."""

    phrases: tuple[Phrase, ...] = ()
    starts: dict[str, list[tuple[int, tuple[str, ...], list[str]]]] = field(
        default_factory=dict, repr=False, compare=False)
    # One-word phrases (stem, words) by the first STEM_PREFIX letters of their stem, for a word
    # whose stem is another part of speech's: "recognition" (recognit) finds "recognize"
    # (recogn), "injury" (injuri) "injure" (injur).
    kin: dict[str, list[tuple[str, list[str]]]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, phrases: Iterable[Phrase]) -> "Bridge":
        ordered = tuple(sorted(phrases, key=lambda b: -len(b[0])))
        starts: dict[str, list[tuple[int, tuple[str, ...], list[str]]]] = {}
        kin: dict[str, list[tuple[str, list[str]]]] = {}
        for rank, (phrase, zh) in enumerate(ordered):
            starts.setdefault(phrase[0], []).append((rank, phrase, zh))
            if len(phrase) == 1 and len(phrase[0]) >= STEM_PREFIX:
                kin.setdefault(phrase[0][:STEM_PREFIX], []).append((phrase[0], zh))
        return cls(ordered, starts, kin)

    def kin_of(self, tok: str) -> list[str]:
        """The words of the one-word phrases whose stem is `tok`'s kin: one is the other's start,
        or they share their first STEM_PREFIX + 1 letters."""
        found = [w for stem, zh in self.kin.get(tok[:STEM_PREFIX], ()) if stem.startswith(tok) or tok.startswith(stem)
                 or stem[: STEM_PREFIX + 1] == tok[: STEM_PREFIX + 1] for w in zh]
        return list(dict.fromkeys(found))[:MAX_KIN]

    @classmethod
    def for_document(cls, glossary: dict[str, str] | None, lexical: LexicalCandidates) -> "Bridge":
        return cls.of(cls.phrases_for(glossary, lexical.vocabulary(), lexical.en is not None))

    @staticmethod
    def phrases_for(glossary: dict[str, str] | None, vocabulary: Iterable[str], english: bool) -> list[Phrase]:
        """The document's glossary (English phrase -> Chinese term tokens) where it has one and
        an English edition, else CC-CEDICT over its Chinese words (`vocabulary`): also for a
        machine-translated edition, whose English may not use the words a reader does."""
        if not english or not glossary:
            return dictionary_bridge(vocabulary)
        return [(tuple(en_tokens(en)), zh_tokens(zh)) for zh, en in glossary.items() if en_tokens(en)]

    def __len__(self) -> int:
        return len(self.phrases)

    def words(self, toks: Sequence[str]) -> list[list[str]]:
        """The Chinese tokens each English token reaches (longest phrase first; a token in a
        phrase already used reaches nothing more)."""
        toks = list(toks)
        out: list[list[str]] = [[] for _ in toks]
        used = [False] * len(toks)
        found = sorted((rank, i, len(phrase), zh) for i, tok in enumerate(toks)
                       for rank, phrase, zh in self.starts.get(tok, ())
                       if tuple(toks[i : i + len(phrase)]) == phrase)
        for _, i, n, zh in found:
            if not any(used[i : i + n]):
                for j in range(i, i + n):
                    out[j], used[j] = list(zh), True
        for i, tok in enumerate(toks):
            if not used[i]:
                out[i] = _figure(tok) or (self.kin_of(tok) if len(tok) >= STEM_PREFIX else [])
            elif _NUMBER.fullmatch(tok) and tok not in out[i]:  # "12" is 十二 and, in most texts, 12
                out[i].insert(0, tok)
        return out

    def bridged(self, toks: Sequence[str]) -> list[str]:
        """Chinese tokens for the bridge phrases found in English tokens, each once."""
        return list(dict.fromkeys(t for zh in self.words(toks) for t in zh))

    def query(self, query: str, lang: Lang, extra_zh: list[str], extra_en: list[str], table: BM25) -> TermQuery | None:
        """The bridge's candidate list over the Chinese table: the Chinese words the query's
        English reaches, and those its English expansions reach (with its Chinese ones)."""
        if not reads_english(query, lang):
            return None
        own, more = self.bridged(en_tokens(query)), self.bridged(extra_en) + extra_zh
        return TermQuery(table, own, more) if own or more else None
