"""Hybrid retrieval: dense sentence-level scores fused with BM25, and an abstention decision.

A paragraph's dense score is the best cosine over its units (the whole paragraph and each
sentence, in Chinese and in English). Its lexical score is BM25 over Chinese words (jieba
plus character bigrams) and over the English rendering; an English question also reaches
the Chinese text through the glossary. The two are fused as a weighted sum of the dense
cosine and the lexical score scaled by its best value, so a lexical list that matched
nothing adds nothing.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .document import Document, Hit, Lang
from .embed import Embedder
from .index import LoadedIndex
from .lexical import BM25
from .text import en_tokens, zh_tokens


@dataclass(frozen=True)
class Params:
    lexical_weight: float = 0.35
    header_penalty: float = 0.05  # header lines are short and match everything a little
    # Abstention: logistic model over (dense top, lexical coverage, agreement); fitted on
    # eval/questions.jsonl by `rag fit-abstention` (see README).
    abstain_bias: float = -9.0
    abstain_dense: float = 14.0
    abstain_coverage: float = 4.0
    abstain_agree: float = 1.0
    candidates: int = 256  # units fetched from an approximate index


@dataclass(frozen=True)
class Retrieval:
    hits: tuple[Hit, ...]
    dense_top: float
    coverage: float
    agree: bool
    in_scope_probability: float

    @property
    def abstain(self) -> bool:
        return self.in_scope_probability < 0.5


class Retriever:
    def __init__(self, doc: Document, index: LoadedIndex, embedder: Embedder,
                 glossary: dict[str, str] | None = None, params: Params = Params()):
        self.doc, self.index, self.embedder, self.params = doc, index, embedder, params
        self.paragraphs = doc.paragraphs
        pos = {p.id: i for i, p in enumerate(self.paragraphs)}
        self.unit_para = np.array([pos[u.pid] for u in index.units], dtype=np.int64)
        self.unit_text = [u.text for u in index.units]
        self.is_header = np.array([p.section == 0 for p in self.paragraphs])
        self.bm25_zh = BM25([zh_tokens(p.text) for p in self.paragraphs])
        self.has_en = any(p.en for p in self.paragraphs)
        self.bm25_en = BM25([en_tokens(p.en) for p in self.paragraphs]) if self.has_en else None
        # English glossary phrases as stemmed token tuples -> Chinese term tokens.
        self.bridge: list[tuple[tuple[str, ...], list[str]]] = []
        for zh, en in (glossary or {}).items():
            toks = tuple(en_tokens(en))
            if toks:
                self.bridge.append((toks, zh_tokens(zh)))
        self.bridge.sort(key=lambda b: -len(b[0]))

    # -- signals ---------------------------------------------------------------------------
    def dense_scores(self, qv: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Best unit cosine per paragraph, and the index of that unit."""
        n = self.index.index.ntotal
        k = n if n <= 4096 else min(n, self.params.candidates)
        sims, ids = self.index.index.search(qv.reshape(1, -1), k)
        sims, ids = sims[0], ids[0]
        keep = ids >= 0
        sims, ids = sims[keep], ids[keep]
        best = np.full(len(self.paragraphs), -1.0, dtype=np.float32)
        best_unit = np.full(len(self.paragraphs), -1, dtype=np.int64)
        # ids come sorted by similarity: the first unit seen for a paragraph is its best.
        paras = self.unit_para[ids]
        _, first = np.unique(paras, return_index=True)
        best[paras[first]] = sims[first]
        best_unit[paras[first]] = ids[first]
        return best, best_unit

    def bridged(self, toks: Sequence[str]) -> list[str]:
        """Chinese tokens for the glossary phrases found in English query tokens."""
        out: list[str] = []
        toks = list(toks)
        used = [False] * len(toks)
        for phrase, zh in self.bridge:
            n = len(phrase)
            for i in range(len(toks) - n + 1):
                if tuple(toks[i : i + n]) == phrase and not any(used[i : i + n]):
                    out.extend(zh)
                    used[i : i + n] = [True] * n
        return out

    def lexical_scores(self, query: str, lang: Lang) -> tuple[np.ndarray, float]:
        """Fused lexical score per paragraph and the best coverage (matched share of query idf)."""
        total = np.zeros(len(self.paragraphs), dtype=np.float32)
        coverage = 0.0
        lists: list[tuple[BM25, list[str]]] = []
        has_latin = bool(re.search(r"[A-Za-z]{2,}", query))
        if lang == "zh":
            lists.append((self.bm25_zh, zh_tokens(query)))
        if (lang == "en" or has_latin) and self.bm25_en is not None:
            lists.append((self.bm25_en, en_tokens(query)))
        if lang == "en" or has_latin:
            bridged = self.bridged(en_tokens(query))
            if bridged:
                lists.append((self.bm25_zh, bridged))
        for bm, toks in lists:
            s = bm.scores(toks)
            top = float(s.max()) if len(s) else 0.0
            if top <= 0:
                continue  # a list that matched nothing adds no noise
            total += s / top
            coverage = max(coverage, top / max(bm.max_possible(toks), 1e-9))
        top = float(total.max()) if len(total) else 0.0
        return (total / top if top > 0 else total), min(1.0, coverage)

    # -- search ----------------------------------------------------------------------------
    def search(self, query: str, lang: Lang, k: int = 3, context: str = "") -> Retrieval:
        """Top-k paragraphs for `query`. `context` is the previous question of a follow-up."""
        p = self.params
        qv = self.embedder.encode_queries([query] + ([context + " " + query] if context else []))
        dense, best_unit = self.dense_scores(qv[0])
        lexical, coverage = self.lexical_scores(query, lang)
        if context:
            # A follow-up keeps its own topic and borrows the previous turn's.
            d2, _ = self.dense_scores(qv[1])
            l2, _ = self.lexical_scores(context + " " + query, lang)
            dense = 0.6 * dense + 0.4 * d2
            lexical = 0.6 * lexical + 0.4 * l2
        fused = dense + p.lexical_weight * lexical - p.header_penalty * self.is_header
        order = np.argsort(-fused, kind="stable")[:k]
        dense_top = float(dense.max()) if len(dense) else 0.0
        lex_top = int(np.argmax(lexical)) if lexical.max() > 0 else -1
        agree = lex_top >= 0 and lex_top == int(np.argmax(dense))
        z = p.abstain_bias + p.abstain_dense * dense_top + p.abstain_coverage * coverage + p.abstain_agree * agree
        prob = 1 / (1 + math.exp(-max(-50.0, min(50.0, z))))
        hits = tuple(
            Hit(
                paragraph=self.paragraphs[i],
                score=float(fused[i]),
                dense=float(dense[i]),
                lexical=float(lexical[i]),
                sentence=self.unit_text[best_unit[i]] if best_unit[i] >= 0 else "",
            )
            for i in order
        )
        return Retrieval(hits, dense_top, coverage, bool(agree), prob)
