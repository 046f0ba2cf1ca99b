"""Okapi BM25 over pre-tokenized texts, held as a sparse term-by-document table."""

from __future__ import annotations

import math
from collections import Counter
from typing import Sequence

import numpy as np


class BM25:
    def __init__(self, docs: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75):
        self.n = len(docs)
        lengths = np.array([len(d) for d in docs], dtype=np.float32)
        avg = float(lengths.mean()) if self.n and lengths.sum() else 1.0
        df: Counter[str] = Counter()
        for d in docs:
            df.update(set(d))
        # Lucene's idf: always positive, so a term in most documents still counts a little.
        self.idf = {t: math.log(1 + (self.n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        tf_by_term: dict[str, list[tuple[int, int]]] = {}
        for i, d in enumerate(docs):
            for t, tf in Counter(d).items():
                tf_by_term.setdefault(t, []).append((i, tf))
        norm = k1 * (1 - b + b * lengths / avg) if self.n else lengths
        for t, rows in tf_by_term.items():
            ids = np.array([r[0] for r in rows], dtype=np.int64)
            tf = np.array([r[1] for r in rows], dtype=np.float32)
            self.postings[t] = (ids, self.idf[t] * tf * (k1 + 1) / (tf + norm[ids]))

    def scores(self, query: Sequence[str], weights: dict[str, float] | None = None) -> np.ndarray:
        """BM25 score of every document; repeated query terms count once."""
        out = np.zeros(self.n, dtype=np.float32)
        for t in dict.fromkeys(query):
            hit = self.postings.get(t)
            if hit is not None:
                out[hit[0]] += hit[1] * (weights.get(t, 1.0) if weights else 1.0)
        return out

    def max_possible(self, query: Sequence[str]) -> float:
        """An upper bound used to express a score as a share of what the query could reach."""
        return sum(self.idf.get(t, 0.0) for t in dict.fromkeys(query))

    def known(self, query: Sequence[str]) -> list[str]:
        return [t for t in dict.fromkeys(query) if t in self.idf]
