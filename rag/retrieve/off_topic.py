"""Off-topic prototypes: everyday questions (rag/data/background.txt) far from the document.

A question nearer to several of them than to any paragraph is likely not about the document.
Everyday questions close to the document are about its topic and are dropped when the
prototypes are built (this matters for a user's own document).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from ..embed import Embedder
from ..index.derived import key_of, remembered_json


@dataclass(frozen=True)
class OffTopic:
    prototypes: np.ndarray  # one row per kept question, unit vectors

    @classmethod
    def of(cls, questions: Sequence[str] | np.ndarray, embedder: Embedder,
           nearest_paragraph: Callable[[np.ndarray], float], near: float, saved: Path | None = None, scoring: str = "") -> "OffTopic":
        """Keep the questions (or their vectors: a library encodes them once for all its
        documents) whose `nearest_paragraph` score is below `near`."""
        if not len(questions):
            return cls(np.zeros((0, embedder.dim), dtype=np.float32))
        vecs = questions if isinstance(questions, np.ndarray) else embedder.encode_queries(list(questions))
        return cls(vecs[cls.kept(vecs, nearest_paragraph, near, saved, scoring)])

    @staticmethod
    def kept(vecs: np.ndarray, nearest_paragraph: Callable[[np.ndarray], float], near: float,
             saved: Path | None, scoring: str) -> np.ndarray:
        """Rows of the questions far from the document; saved beside its build (`saved`, for the
        settings `scoring` names), since the answer is the same at every start and a library
        asks it of every document."""
        def make() -> dict:
            return {"kept": [i for i, v in enumerate(vecs) if nearest_paragraph(v) < near]}

        if saved is None:
            return np.array(make()["kept"], dtype=np.int64)
        key = key_of(hashlib.sha256(np.ascontiguousarray(vecs).tobytes()).hexdigest(), repr(near), scoring)
        return np.array(remembered_json(saved, key, make)["kept"], dtype=np.int64)

    def score(self, qv: np.ndarray, n: int = 3) -> float:
        """Mean cosine of the `n` nearest prototypes (0 if none). A question off the document's
        topic is near several prototypes of its own topic; an in-scope question that happens
        to resemble one of them in form is not."""
        if not len(self.prototypes):
            return 0.0
        sims = self.prototypes @ qv
        return float(np.sort(sims)[-n:].mean())
