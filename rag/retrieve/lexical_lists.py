"""Lexical candidates: BM25 over the document's Chinese words and over its English rendering,
or, for a document with no English, over the dictionary's English for its words (the gloss).

Each paragraph is indexed with its header label and the questions the edition says it answers.
A query becomes one or more `TermQuery` lists (its own tokens, and expansion tokens that count
less); fusion.combine_lexical adds them up, each scaled by its best match. The bridge from
English words to Chinese ones is a list of its own (bridge_phrases.Bridge.query).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Sequence

import numpy as np

from ..bridge import english_glosses
from ..document import Document, Lang, number_and_text
from ..index import labelled
from ..lexical import BM25
from ..text import HAN_CHAR, HAN_RUN, en_tokens, zh_tokens
from . import article



def reads_english(query: str, lang: Lang) -> bool:
    """Whether English words of the query are matched: an English question, or a Chinese one
    quoting English ("AI对就业有什么影响？")."""
    return lang == "en" or bool(re.search(r"[A-Za-z]{2,}", query))


def split_expansions(extra: Sequence[str]) -> tuple[list[str], list[str]]:
    """Expansion terms as Chinese tokens and as English tokens, by the script of each term."""
    zh = [t for e in extra if HAN_CHAR.search(e) for t in zh_tokens(e)]
    en = [t for e in extra if not HAN_CHAR.search(e) for t in en_tokens(e)]
    return zh, en


TERMS_VERSION = "9"  # raise it when token_lists changes: tokens saved beside a build are cut again


def without_own_names(doc: Document) -> Callable[[str], str]:
    """A body paragraph's text less the document's own name where it quotes it in 《》
    (article.own_names): the notice issuing "《上海市失业保险金申领发放实施办法》" says "现将《…》
    印发给你们", and its title's words would match every question on the topic. Other texts it
    names stay, the law a regulation is made under among them, however alike their names."""
    names = article.own_names(doc)

    def unnamed(text: str) -> str:
        return _QUOTED.sub(lambda q: "《》" if q.group(1) in names else q.group(), text)
    return unnamed


_QUOTED = re.compile(r"《([^《》]{4,80})》")


def token_lists(doc: Document) -> dict[str, list[list[str]] | None]:
    """Each paragraph's words, and those of the questions it answers (from the edition): Chinese,
    and English (None without an English edition). A table's row holds its header's words too
    (Document.row_reading), and a numbered item its list's lead:
    "（二）离休、退休的；" is an answer to 提取 only through "职工有下列情形之一的，可以提取…："."""
    paras = doc.paragraphs
    leads = {p.id: lead for p in paras if (lead := doc.lead_of(p.id)) is not None}
    unnamed = without_own_names(doc)

    def words(p, lang: str) -> str:
        own = labelled(doc, p, lang, (doc.row_reading(p.id) or p.text) if lang == "zh" else p.en)
        lead = leads.get(p.id)
        said = (lead.text if lang == "zh" else lead.en) if lead else ""
        under = p.under if lang == "zh" else ""
        if lang == "zh" and p.role != "header":
            own, said = unnamed(number_and_text(own)[1]), unnamed(number_and_text(said)[1])
        return " ".join((own, said, under) + (p.questions_zh if lang == "zh" else p.questions_en))

    def article(p) -> list[str]:  # "第十二条" is one word, for a question naming it
        number = number_and_text(p.text)[0] if p.role != "header" else ""
        return [number] if number.endswith("条") else []

    zh = [article(p) + zh_tokens(words(p, "zh")) for p in paras]
    if not any(p.en for p in paras):
        return {"zh": zh, "en": None}
    en = [en_tokens(words(p, "en")) if p.en else [] for p in paras]
    return {"zh": zh, "en": en}


def glosses_for(lists: dict) -> dict[str, list[str]] | None:
    """The English of the document's words (bridge.english_glosses), where token_lists found no
    English edition."""
    if lists["en"] is not None:
        return None
    return english_glosses({t for toks in lists["zh"] for t in toks})


@dataclass(frozen=True)
class TermQuery:
    """One BM25 list to score: the query's own tokens, and expansion tokens that weigh less."""

    table: BM25
    own: list[str]
    more: list[str]

    def scaled(self, expansion_weight: float) -> np.ndarray | None:
        """Scores scaled by the best one; None when nothing matched: such a list adds no noise."""
        toks = self.own + [t for t in self.more if t not in self.own]
        weights = {t: expansion_weight for t in self.more if t not in self.own}
        s = self.table.scores(toks, weights)
        top = float(s.max()) if len(s) else 0.0
        return None if top <= 0 else s / top


@dataclass(frozen=True)
class LexicalCandidates:
    """BM25 tables over the paragraphs: Chinese (jieba words and character bigrams, marked "~")
    and English (stemmed words), the latter None when the document has no English edition.
    Without one, `glosses()` (bridge.english_glosses of its words) makes the gloss table."""

    zh: BM25
    en: BM25 | None
    glosses: Callable[[], dict[str, list[str]] | None] = field(default=lambda: None, repr=False, compare=False)

    @classmethod
    def of(cls, doc: Document) -> "LexicalCandidates":
        lists = token_lists(doc)
        return cls.from_tokens(lists, lambda: glosses_for(lists))

    @classmethod
    def from_tokens(cls, lists: dict[str, list[list[str]] | None],
                    glosses: Callable[[], dict[str, list[str]] | None] = lambda: None) -> "LexicalCandidates":
        """The tables over token_lists(doc), as made now or as saved with the index; `glosses`
        gives the words' English (glosses_for) when an English question first needs it."""
        return cls(BM25(lists["zh"]), None if lists["en"] is None else BM25(lists["en"]), glosses)

    @cached_property
    def gloss(self) -> BM25 | None:
        """Each paragraph as the English of its words, every sense: an English question's words
        are matched there as they are, where the bridge picks a few translations for them.
        Made at the first English question, in a few milliseconds."""
        found = self.glosses()  # None with an English edition (glosses_for)
        if found is None:
            return None
        return BM25([[t for w in sorted(words) for t in found.get(w, ())] for words in self.zh.doc_terms])

    @property
    def english(self) -> BM25 | None:
        """The table an English word is matched in: the English edition's, or else the gloss."""
        return self.en if self.en is not None else self.gloss

    def vocabulary(self) -> list[str]:
        """The document's Chinese words (jieba tokens, character bigrams left out)."""
        return [t for t in self.zh.idf if not t.startswith("~")]

    def queries(self, query: str, lang: Lang, extra_zh: list[str], extra_en: list[str]) -> list[TermQuery]:
        """The Chinese list, then the English one, for whichever the query reads in."""
        out: list[TermQuery] = []
        if lang == "zh":
            out.append(TermQuery(self.zh, zh_tokens(query), extra_zh))
        elif han := HAN_RUN.findall(query):
            # An English question quoting the document's Chinese ("What is 灵活就业?") matches it there.
            out.append(TermQuery(self.zh, zh_tokens(" ".join(han)), extra_zh))
        if reads_english(query, lang) and (table := self.english) is not None:
            out.append(TermQuery(table, en_tokens(query), extra_en))
        return out

    def term_coverage(self, query: str, lang: Lang) -> np.ndarray:
        """Share of the question's words, weighted by idf, that each paragraph holds, in the
        question's language (character bigrams left out: they would count each word twice)."""
        if lang == "zh":
            return self.zh.shares([t for t in zh_tokens(query) if not t.startswith("~")])
        if self.en is None:
            return np.zeros(self.zh.n, dtype=np.float32)
        return self.en.shares(en_tokens(query))
