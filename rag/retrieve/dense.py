"""Dense candidates: each paragraph scored by the cosine of its best unit in the vector index.

A paragraph's units are its whole text and each of its sentences, in Chinese and, where there
is an English edition, in English, plus the questions it answers (the edition's, or written by
the local model: rag.questions). Only the nearest `Params.candidates` units are fetched from a
large index, so a paragraph none of whose units is among them scores -1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..document import Paragraph
from ..index import LoadedIndex
from .params import Params


@dataclass(frozen=True)
class DenseCandidates:
    """Scores over one open index. Memory-mapped arrays and texts are read on demand, so
    nothing here grows with the corpus."""

    index: LoadedIndex
    params: Params
    count: int  # paragraphs
    unit_para: np.ndarray  # each unit's paragraph row
    unit_en: np.ndarray  # each unit is English (else Chinese)
    unit_question: np.ndarray  # each unit is a question the paragraph answers (else its own text)
    machine: bool = False  # the English edition is machine-translated (rag.translate)
    written: bool = False  # the questions were written by a model (rag.questions), not by hand

    @classmethod
    def of(cls, index: LoadedIndex, paragraphs: Sequence[Paragraph], params: Params = Params()) -> "DenseCandidates":
        return cls(index, params, len(paragraphs), index.units.paragraph_positions([p.id for p in paragraphs]),
                   np.asarray(index.units.lang) == 1, np.asarray(index.units.kind) == 1,
                   any(p.en_machine for p in paragraphs), any(p.questions_machine for p in paragraphs))

    def scores(self, qv: np.ndarray, lang: str = "") -> tuple[np.ndarray, np.ndarray]:
        """Dense score per paragraph, and the row of its best unit (-1 where none was fetched).

        The score is the paragraph's best text unit, averaged over its two renderings where
        there is an English edition (the two must agree); where the paragraph has questions it
        answers, it is mixed with the best of those (Params.asked_weight, or written_weight
        where a model wrote them). A Chinese question (`lang` "zh") on a machine-translated
        edition is scored on the Chinese alone: the original says what the document says, and a
        small model's rendering adds its errors; its best unit is then its best Chinese one.
        Where a model wrote the questions, the best unit is the best of the paragraph's own
        text: the "not covered" rule reads how near the document's words come to the question."""
        sims, ids = self._nearest(qv)
        paras, asked = self.unit_para[ids], self.unit_question[ids]

        def best_of(mask: np.ndarray) -> np.ndarray:
            # ids come sorted by similarity: the first unit seen for a paragraph is its best.
            out = np.full(self.count, np.nan, dtype=np.float32)
            _, first = np.unique(paras[mask], return_index=True)
            out[paras[mask][first]] = sims[mask][first]
            return out

        chinese_only = self.machine and lang == "zh"
        seen = ~self.unit_en[ids] if chinese_only else np.ones(len(ids), dtype=bool)
        if self.written:
            seen &= ~asked  # the best unit is the document's own words, not a model's question
        best_unit = np.full(self.count, -1, dtype=np.int64)
        _, first = np.unique(paras[seen], return_index=True)
        best_unit[paras[seen][first]] = ids[seen][first]
        text = best_of(~asked)
        if chinese_only:
            zh = best_of(~asked & ~self.unit_en[ids])
            text = np.where(np.isnan(zh), text, zh)
        elif self.unit_en.any():
            zh, en = best_of(~asked & ~self.unit_en[ids]), best_of(~asked & self.unit_en[ids])
            both = np.where(np.isnan(zh), en, np.where(np.isnan(en), zh, (zh + en) / 2))
            text = np.where(np.isnan(both), text, both)
        if asked.any():
            q = best_of(asked)
            w = self.params.written_weight if self.written else self.params.asked_weight
            text = np.where(np.isnan(q), text, (1 - w) * text + w * q)
        return np.nan_to_num(text, nan=-1.0).astype(np.float32), best_unit

    def _nearest(self, qv: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Similarities and rows of the nearest units, best first: every unit of a small index."""
        n = self.index.index.ntotal
        k = n if n <= 4096 else min(n, self.params.candidates)
        sims, ids = self.index.index.search(qv.reshape(1, -1), k)
        keep = ids[0] >= 0
        return sims[0][keep], ids[0][keep]

    def top_cosine(self, qv: np.ndarray, scores: np.ndarray, best_unit: np.ndarray) -> float:
        """The cosine of the best unit of the paragraph that scores best: the raw similarity,
        before the renderings are averaged or the answered questions mixed in."""
        if not len(scores):
            return 0.0
        unit = int(best_unit[int(np.argmax(scores))])
        return float(qv @ self.index.index.reconstruct(unit)) if unit >= 0 else float(scores.max())
