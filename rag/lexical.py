"""Okapi BM25 over pre-tokenized texts, held as a sparse term-by-document table."""

from __future__ import annotations

import math
from functools import cached_property
from typing import Sequence

import numpy as np

from .text import HAN_CHAR


class BM25:
    def __init__(self, docs: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75):
        self.n = n = len(docs)
        lengths = np.array([len(d) for d in docs], dtype=np.int64)
        avg = float(lengths.mean()) if n and lengths.sum() else 1.0
        # Every (term, document) pair at once: a library opens hundreds of these tables.
        vocab: dict[str, int] = {}
        flat = np.fromiter((vocab.setdefault(t, len(vocab)) for d in docs for t in d), dtype=np.int64,
                           count=int(lengths.sum()))
        pairs, tf = np.unique(flat * max(n, 1) + np.repeat(np.arange(n), lengths), return_counts=True)
        terms, ids = pairs // max(n, 1), pairs % max(n, 1)
        df = np.bincount(terms, minlength=len(vocab))
        # Lucene's idf: always positive, so a term in most documents still counts a little.
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        words = list(vocab)
        self.idf = dict(zip(words, idf.tolist()))
        self.unknown_idf = math.log(1 + (n + 0.5) / 0.5)  # a term in no document
        self.doc_terms = [frozenset(d) for d in docs]
        norm = k1 * (1 - b + b * lengths.astype(np.float32) / avg)
        tf = tf.astype(np.float32)
        weights = idf[terms].astype(np.float32) * tf * (k1 + 1) / (tf + norm[ids])
        cuts = np.flatnonzero(np.diff(terms)) + 1
        starts, ends = np.concatenate(([0], cuts)), np.concatenate((cuts, [len(terms)]))
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {
            words[terms[a]]: (ids[a:e], weights[a:e]) for a, e in zip(starts.tolist(), ends.tolist()) if e > a}

    def scores(self, query: Sequence[str], weights: dict[str, float] | None = None) -> np.ndarray:
        """BM25 score of every document; repeated query terms count once."""
        out = np.zeros(self.n, dtype=np.float32)
        for t in dict.fromkeys(query):
            hit = self.postings.get(t)
            if hit is not None:
                out[hit[0]] += hit[1] * (weights.get(t, 1.0) if weights else 1.0)
        return out

    def shares(self, query: Sequence[str]) -> np.ndarray:
        """For every document, the share of the query's idf mass it contains (each term once):
        a paragraph holding all the distinctive words outranks one repeating the common ones."""
        terms = list(dict.fromkeys(query))
        total = sum(self.idf.get(t, self.unknown_idf) for t in terms)
        out = np.zeros(self.n, dtype=np.float32)
        if not total:
            return out
        for t in terms:
            hit = self.postings.get(t)
            if hit is not None:
                out[hit[0]] += self.idf[t]
        return out / total

    def matched_share(self, query: Sequence[str], doc: int | None = None, given: frozenset = frozenset()) -> float:
        """Share of the query's idf mass found in document `doc`, or anywhere if None; terms
        in `given` count as found. A word in no document weighs the most: its absence says the most."""
        terms = list(dict.fromkeys(query))
        if not terms:
            return 0.0
        w = [self.idf.get(t, self.unknown_idf) for t in terms]
        hit = [t in given or (t in self.idf and (doc is None or t in self.doc_terms[doc])) for t in terms]
        # A single character left over by the word cutter ("失业金" cut as 失业 / 金) is found
        # where the text holds it inside a word (保险金): it is not a word the text lacks.
        if any(single := [len(t) == 1 and HAN_CHAR.match(t) is not None and t not in self.idf for t in terms]):
            held = self.characters if doc is None else {c for t in self.doc_terms[doc] for c in t}
            hit = [h or (s and t in held) for t, h, s in zip(terms, hit, single)]
        return float(sum(x for x, h in zip(w, hit) if h) / sum(w))

    @cached_property
    def characters(self) -> frozenset[str]:
        """Every character of every term: made once, when a question first needs it."""
        return frozenset(c for t in self.idf for c in t)
