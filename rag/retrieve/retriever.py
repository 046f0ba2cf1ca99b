"""The retriever: candidates (dense, lexical, bridge) -> fusion -> answerability, over one document.

A paragraph's dense score is the cosine of its best unit in Chinese, averaged with the same in
English where there is an English edition (dense.py). Its lexical score is BM25 over Chinese
words and over the English rendering (without one, over the dictionary's English of its words),
with everyday words expanded to the document's terms by
a thesaurus (lexical_lists.py, thesaurus.py); an English question also reaches the Chinese
text through the bridge (bridge_phrases.py) and, without a hand-written edition, through the
document words nearest to its words (word_bridge.py). fusion.py combines them and ranks; a question
about the document itself is answered from the lines holding what it asks (article.py);
answerability.py decides whether the hits answer the question.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Sequence

import numpy as np

from ..document import Document, Hit, Lang
from ..embed import Embedder
from ..index import LoadedIndex
from ..qtype import branches, current_year, home_places, in_own_words, places, shown_first
from ..text import en_tokens
from .answerability import Decision, Evidence, Reason, decide
from .article import about_rows, naming_rows, penalty_rows, without_title
from .bridge_phrases import Bridge
from .coverage import coverage, english_shares
from .definitions import asks_meaning, defined_terms, defines_asked
from .dense import DenseCandidates
from .fusion import Layout, combine_lexical, distinct, follow_up, fuse, named_last, rank, same_text, top_rows
from .lexical_lists import LexicalCandidates, TermQuery, reads_english, split_expansions
from .off_topic import OffTopic
from .params import Params
from .phrases import phrase_match, quoted_match
from .second import SecondOpinion
from .thesaurus import Thesaurus
from .word_bridge import WordBridge, english_units


@dataclass(frozen=True)
class Retrieval:
    """The ranked hits and the decision on whether they answer the question."""

    hits: tuple[Hit, ...]
    decision: Decision
    query_vector: np.ndarray = field(default=None, repr=False, compare=False)  # type: ignore[assignment]
    expansions: tuple[str, ...] = ()  # the document's terms for everyday words in the question
    also: str = ""  # the question's Chinese rendering, searched too

    @property
    def abstain(self) -> bool:
        return self.decision.refuse


class Retriever:
    """The stages over one document, built once and read-only after: an Engine shares it
    between threads. The bridge is passed in, built beforehand (Engine.open); a retriever
    with another bridge is another retriever. `embedder`, `dense_scores` and `search` are
    looked up on the instance, so bench/latency.py can wrap them to time them."""

    def __init__(self, doc: Document, index: LoadedIndex, embedder: Embedder, params: Params = Params(),
                 thesaurus: dict[str, dict[str, list[str]]] | None = None,
                 background: Sequence[str] | np.ndarray = (), bridge: Bridge | None = None,
                 lexical: LexicalCandidates | None = None, words: WordBridge | None = None,
                 second: SecondOpinion | None = None):
        self.doc, self.index, self.embedder, self.params = doc, index, embedder, params
        self.second = second  # the second model's opinion, where configured
        self.words = words  # the document's words by vector, where CC-CEDICT is the bridge
        self.paragraphs = doc.paragraphs
        self.layout = Layout.of(self.paragraphs)
        self.naming = naming_rows(doc)  # the header lines that only name the document
        self.same_text = same_text(self.paragraphs)  # a guide repeats a step under each case
        self.dense = DenseCandidates.of(index, self.paragraphs, params)
        self.lexical = lexical if lexical is not None else LexicalCandidates.of(doc)
        self.bridge = bridge if bridge is not None else Bridge.for_document(None, self.lexical)
        self.thesaurus = Thesaurus.of(thesaurus)
        self.everyday = OffTopic.of(background, embedder, lambda v: self.dense_scores(v)[0].max(),
                                    params.background_max, saved=index.path / "offtopic.json", scoring=repr(params))
        text = " ".join(p.text for p in self.paragraphs)
        self.now = current_year(text, doc.metadata.date)  # what 今年 means
        self.defined = defined_terms([p.text for p in self.paragraphs])  # "本条例所称X，是指…": X
        self.places = places(" ".join(p.text + " " + p.en for p in self.paragraphs))  # the provinces and cities it names
        self.home = home_places(doc.metadata.title, doc.metadata.issuer)  # whose rule it is
        self.branches = branches(text)  # the kinds of insurance and rights it speaks of

    # The parts, as tests and bench scripts read them.
    lay_zh = property(lambda self: self.thesaurus.lay_zh)
    lay_en = property(lambda self: self.thesaurus.lay_en)
    background = property(lambda self: self.everyday.prototypes)

    def off_topic(self, qv: np.ndarray) -> float:
        return self.everyday.score(qv)

    def expansions(self, query: str, lang: Lang) -> tuple[list[str], str]:
        return self.thesaurus.expand(query, lang)

    def coverage(self, query: str, rest: str, lang: Lang, top: int) -> tuple[float, float]:
        return coverage(self.lexical, self.bridge, query, rest, lang, top)

    def dense_scores(self, qv: np.ndarray, lang: Lang | str = "") -> tuple[np.ndarray, np.ndarray]:
        return self.dense.scores(qv, lang)

    def lexical_scores(self, query: str, lang: Lang, extra: Sequence[str] = (), near: Sequence[str] = ()) -> np.ndarray:
        """The lexical lists (Chinese, English, bridge, nearest words) combined; `extra` are
        expansion terms, `near` the document words nearest to the question's English words."""
        extra_zh, extra_en = split_expansions(extra)
        lists = self.lexical.queries(query, lang, extra_zh, extra_en)
        if (bridged := self.bridge.query(query, lang, extra_zh, extra_en, self.lexical.zh)) is not None:
            lists.append(bridged)
        if near:
            lists.append(TermQuery(self.lexical.zh, list(near), []))
        return combine_lexical(lists, len(self.paragraphs), self.params.expansion_weight)

    def search(self, query: str, lang: Lang, k: int = 3, context: str = "", also: str = "") -> Retrieval:
        """Top-k paragraphs for `query`, and whether they answer it. `context` is the previous
        question of a follow-up; `also`, the question in Chinese (an English question machine-
        translated), searched too and weighed less (Params.translation_weight).

        A question naming the document's own place ("上海哪些人可以领失业金？" of Shanghai's
        rules) is ranked as the document says it (本市), and one naming the document by its title
        in 《》 without it, where the title's header lines would otherwise win on the name alone;
        whether it is answered is decided on the question as asked, and a refusal or a question
        about the document itself keeps the hits as asked (a library weighs how near they came,
        Engine._closeness)."""
        asked = self._search(query, lang, k, context, also)
        own = in_own_words(without_title(self.doc, query), self.home)
        if own == query or asked.decision.refuse or asked.decision.reason is Reason.ABOUT_DOCUMENT:
            return asked
        ranked = self._search(own, lang, k, in_own_words(context, self.home), in_own_words(also, self.home))
        return replace(asked, hits=ranked.hits)

    def _search(self, query: str, lang: Lang, k: int, context: str, also: str) -> Retrieval:
        extra, rest = self.expansions(query, lang)
        texts = [query] + ([context + " " + query] if context else []) + ([also] if also else [])
        units = english_units(query) if self.words is not None and reads_english(query, lang) else []
        qv = self.embedder.encode_queries(texts + units)  # one batch
        near = self.words.nearest(qv[len(texts):], self.params.word_z,
                                  self.params.word_neighbours) if units else []
        dense, best_unit = self.dense_scores(qv[0], lang)
        dense_top = self.dense.top_cosine(qv[0], dense, best_unit)
        lexical = self.lexical_scores(query, lang, extra, near)
        if context:
            dense = follow_up(dense, self.dense_scores(qv[1], lang)[0])
            lexical = follow_up(lexical, self.lexical_scores(context + " " + query, lang,
                                                             extra + self.expansions(context, lang)[0], near))
        fused = self._fused(query, lang, dense, lexical)
        if also:
            fused = self._with_translation(fused, also, qv[len(texts) - 1])
        judged_on = fused  # what the "not covered" model was fitted on
        fused = fused + self._second(query, context)
        about, lead = about_rows(self.doc, query)
        judged = distinct(rank(fused, self.layout, about, lead), self.same_text)[:k]
        top = int(judged[0])
        evidence = Evidence(dense_top, *self.coverage(query, rest, lang, top), float(judged_on[top]), self.off_topic(qv[0]))
        passages = [self._renderings(self.paragraphs[i]) for i in judged]
        decision = decide(query, passages, evidence, self.params, bool(about.size), self.now, self.places, self.branches)
        # Shown: the same candidates, those stating the figure asked for first. Judged without
        # that bonus, or it would lift a figure of another kind into the passages the "not
        # covered" rules read, and answer what they refuse now.
        bonus = (self._states_asked(query, fused) + self._defines_asked(query, lang, near)
                 + self._penalty_of(query, fused))
        order = distinct(rank(fused + bonus, self.layout, about, lead),
                         self.same_text)[:k] if bonus.any() else judged
        if not about.size:  # the title is no answer to a question on its topic: the body's paragraphs first
            order = named_last(order, self.naming)
        hits = tuple(Hit(paragraph=self.paragraphs[i], score=float(fused[i] + bonus[i]), dense=float(dense[i]),
                         lexical=float(lexical[i])) for i in order)
        return Retrieval(hits, decision, qv[0], tuple(extra), also)

    def _second(self, query: str, context: str) -> np.ndarray | float:
        """The second model's weighed opinion of each paragraph; a follow-up's borrows the
        previous question's, as the dense scores do."""
        if self.second is None or not self.params.second_weight:
            return 0.0
        z = self.second.scores([query] + ([context + " " + query] if context else []))
        return self.params.second_weight * (follow_up(z[0], z[1]) if context else z[0])

    def _with_translation(self, fused: np.ndarray, zh: str, zv: np.ndarray) -> np.ndarray:
        """The English question's scores mixed with those of its Chinese rendering, searched as
        a Chinese question is: its words are the document's own, where the bridge guesses."""
        w = self.params.translation_weight
        extra = self.expansions(zh, "zh")[0]
        own = self._fused(zh, "zh", self.dense_scores(zv, "zh")[0], self.lexical_scores(zh, "zh", extra))
        return (1 - w) * fused + w * own

    def _states_asked(self, query: str, fused: np.ndarray) -> np.ndarray:
        """For a question asking for a figure of a type, a document or a date, a bonus to the best
        candidates stating one (qtype.shown_first); it orders the candidates only, and the
        decision weighs the scores without it."""
        bonus = np.zeros(len(self.paragraphs), dtype=np.float32)
        if self.params.type_bonus and (test := shown_first(query)):
            rows = self.layout.answers(top_rows(fused, self.params.phrase_candidates))
            bonus[rows] = [self.params.type_bonus * any(test(t) for t in self._renderings(self.paragraphs[i]) if t)
                           for i in rows]
        return bonus

    def _defines_asked(self, query: str, lang: Lang, near: Sequence[str]) -> np.ndarray:
        """For a question asking what a term means, a bonus to the paragraph defining it
        ("本条例所称本人工资，是指…"); like _states_asked, it orders and does not judge."""
        bonus = np.zeros(len(self.paragraphs), dtype=np.float32)
        if self.params.type_bonus and any(self.defined) and asks_meaning(query):
            bridged = self.bridge.bridged(en_tokens(query)) + list(near) if reads_english(query, lang) else []
            bonus[defines_asked(query, self.defined, bridged)] = self.params.type_bonus
        return bonus

    def _penalty_of(self, query: str, fused: np.ndarray) -> np.ndarray:
        """For a question asking for a penalty, the articles stating the penalty for breaching
        the best candidates (article.penalty_rows) shown first, in their own order; like
        _states_asked, it orders and does not judge."""
        bonus = np.zeros(len(self.paragraphs), dtype=np.float32)
        if self.params.type_bonus and (rows := penalty_rows(self.doc, query, top_rows(fused, 3))):
            bonus[rows] = float(fused.max()) + self.params.type_bonus * (1 + fused[rows]) - fused[rows]
        return bonus

    def _renderings(self, p) -> tuple[str, ...]:
        """A paragraph's text and English, and its list's lead where it is a numbered item: the
        fine stated in the lead is the item's fine too; where it leads a list, its items: the
        answer quotes them with it ("符合以下基本条件：" states the age its item 1 states)."""
        lead = self.doc.lead_of(p.id)
        items = tuple(t for q in self.doc.items_of(p.id) for t in (q.text, q.en))
        return (p.text, p.en) + ((lead.text, lead.en) if lead else ()) + items

    def _fused(self, query: str, lang: Lang, dense: np.ndarray, lexical: np.ndarray) -> np.ndarray:
        """Fusion, plus the share of the question's words each paragraph holds, plus the literal
        phrase bonus among the best candidates so far."""
        p = self.params
        fused = fuse(dense, lexical, self.layout, p)
        if p.coverage_weight:
            if reads_english(query, lang) and self.lexical.en is None:  # held through the bridge or gloss
                share = english_shares(self.lexical, self.bridge, query)
            else:
                share = self.lexical.term_coverage(query, lang)
            fused += p.coverage_weight * share
        if p.phrase_bonus:
            rows = self.layout.answers(top_rows(fused, p.phrase_candidates))
            n = len(self.paragraphs)
            zh = {int(i): self.paragraphs[i].text for i in rows}
            en = {int(i): self.paragraphs[i].en for i in rows}
            fused += p.phrase_bonus * np.maximum(phrase_match(query, zh, n), quoted_match(query, en, n, self.thesaurus))
        return fused
