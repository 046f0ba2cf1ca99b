"""A second model's opinion of every paragraph, added to the fused score before ranking.

USE (the default embedder) is trained for sentence similarity; multilingual-e5-small
(rag.embed.E5SmallEmbedder) for retrieval, on question-passage pairs. Its cosines with the
question, standardized over the document's paragraphs (the spread of e5's cosines is narrow
and differs by language), weigh Params.second_weight in the fused score: they reorder the
candidates that dense and lexical evidence found. Measured on 25 fixture documents
(docs/evaluation.md, fourteenth session), e5 alone ranks far below the fused score, English
questions worst, but added to it lifts Recall@1 and @3 in both languages.

A paragraph is embedded with its section's title (after its text's, where rules part several
texts), as a passage; the vectors are made with the build and saved beside it
(rag.engine.derived).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from ..document import Paragraph
from ..embed import Embedder


def passage_text(p: Paragraph) -> str:
    title = p.section_title if p.section_title and p.section_title != p.text else ""
    title = " › ".join(t for t in (p.part if p.part != p.section_title else "", title) if t)
    return f"{title}\n{p.text}" if title else p.text


@dataclass(frozen=True)
class SecondOpinion:
    model: Embedder = field(repr=False)
    vectors: np.ndarray = field(repr=False)  # one a paragraph, in document order

    def scores(self, questions: Sequence[str]) -> np.ndarray:
        """Each question's standardized cosines with every paragraph (one row a question)."""
        cos = self.model.encode_queries(list(questions)) @ self.vectors.T
        spread = cos.std(axis=1, keepdims=True)
        return (cos - cos.mean(axis=1, keepdims=True)) / np.maximum(spread, 1e-6)
