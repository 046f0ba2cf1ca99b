"""The document's own words nearest to an English question's words, by the embedding model.

CC-CEDICT (bridge_phrases.py) reaches only the words it lists, in the senses it lists: it has
no 年休假 or 住房公积金, and its "interest" is 权益, not 利息. The multilingual embedding model
places a word near its translations, so each content word of an English question (and each
pair of adjacent ones) is encoded, and the document word nearest to it, if it stands out from
the document's other words, joins the question's Chinese BM25 terms as one list of its own. The document's words are
encoded once, beside its build (engine.derived); a question adds a handful of short
texts to the batch its own vector is encoded in.

Used where CC-CEDICT is the bridge, that is without a hand-written English edition and its
glossary. Measured leave-one-document-out in bench/word_bridge.py (docs/evaluation.md).
Not handled: a word whose translation the document writes only as part of a longer word
jieba keeps whole; phrases of three or more words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from ..text import EN_STOP, normalize

_WORD = re.compile(r"[a-z][a-z'-]*[a-z]")
MAX_UNITS = 24  # a long question's words beyond these add cost, not reach


def english_units(query: str) -> list[str]:
    """The question's content words (three letters or more, no stop words) and each pair of
    adjacent ones: 'earn interest', 'provident fund'."""
    words = [w for w in _WORD.findall(normalize(query).lower()) if len(w) > 2 and w not in EN_STOP]
    return (words + [f"{a} {b}" for a, b in zip(words, words[1:])])[:MAX_UNITS]


@dataclass(frozen=True)
class WordBridge:
    """The document's Chinese words and their unit vectors, one row a word."""

    words: tuple[str, ...]
    vectors: np.ndarray = field(repr=False, compare=False)

    @classmethod
    def of(cls, words: Sequence[str], vectors: np.ndarray) -> "WordBridge":
        v = np.asarray(vectors, dtype=np.float32)
        return cls(tuple(words), v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9))

    def nearest(self, unit_vectors: np.ndarray, z: float, per_unit: int = 1) -> list[str]:
        """For each unit vector, its `per_unit` nearest document words that stand out: at least
        `z` standard deviations above the unit's mean cosine to all the document's words. A
        raw cosine would not do: this model puts unrelated words at 0.6-0.7 ("leave" and 解除),
        and another model has another scale."""
        if len(self.words) < 2 or not len(unit_vectors):
            return []
        u = np.asarray(unit_vectors, dtype=np.float32)
        sims = (u / np.maximum(np.linalg.norm(u, axis=1, keepdims=True), 1e-9)) @ self.vectors.T
        scores = (sims - sims.mean(axis=1, keepdims=True)) / np.maximum(sims.std(axis=1, keepdims=True), 1e-9)
        out: list[str] = []
        for row in scores:
            out += [self.words[i] for i in np.argsort(-row)[:per_unit] if row[i] >= z]
        return list(dict.fromkeys(out))
