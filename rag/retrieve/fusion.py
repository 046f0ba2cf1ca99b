"""Fusion: the candidate lists combined into one score per paragraph, and the ranking.

The fused score is the dense cosine plus a weight times the lexical score, each lexical list
scaled by its best value (so a list that matched nothing adds nothing). Header lines and a
reporter's questions lose a little; an answer gains part of the score of the question turn it follows.
Weights were chosen on eval/questions.jsonl (see Params). Pure functions over arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..document import Paragraph
from .lexical_lists import TermQuery
from .params import Params


@dataclass(frozen=True)
class Layout:
    """The paragraphs' roles as arrays: which are header lines (a preamble is body text),
    which are a reporter's questions, and the question turn each row answers (the nearest
    before it in its section; -1 for none)."""

    is_header: np.ndarray
    is_question: np.ndarray
    asked_by: np.ndarray

    @classmethod
    def of(cls, paragraphs: Sequence[Paragraph]) -> "Layout":
        is_header = np.array([p.role == "header" for p in paragraphs])
        is_question = np.array([p.role == "question" for p in paragraphs])
        asked_by = np.full(len(paragraphs), -1, dtype=np.int64)
        turn = -1
        for i, p in enumerate(paragraphs):
            if i and p.section != paragraphs[i - 1].section:
                turn = -1
            if p.role == "question" and p.section > 0:
                turn = i
            elif turn >= 0:
                asked_by[i] = turn
        return cls(is_header, is_question, asked_by)

    def answers(self, rows: np.ndarray) -> np.ndarray:
        """The rows that may answer: neither a reporter's question nor a header line."""
        return np.array([int(i) for i in rows if not self.is_question[i] and not self.is_header[i]], dtype=np.int64)


def combine_lexical(lists: Sequence[TermQuery], count: int, expansion_weight: float) -> np.ndarray:
    """The lists' sum, each scaled by its best match, then scaled again by the best total."""
    total = np.zeros(count, dtype=np.float32)
    for terms in lists:
        scaled = terms.scaled(expansion_weight)
        if scaled is not None:
            total += scaled
    top = float(total.max()) if len(total) else 0.0
    return total / top if top > 0 else total


def follow_up(own: np.ndarray, borrowed: np.ndarray) -> np.ndarray:
    """A follow-up keeps its own topic and borrows the previous turn's."""
    return 0.6 * own + 0.4 * borrowed


def fuse(dense: np.ndarray, lexical: np.ndarray, layout: Layout, p: Params) -> np.ndarray:
    """Dense plus weighted lexical, less the header and question penalties, plus the section prior."""
    fused = (dense + p.lexical_weight * lexical - p.header_penalty * layout.is_header
             - p.question_penalty * layout.is_question)
    if p.section_prior:
        raw = dense + p.lexical_weight * lexical
        answered = layout.asked_by >= 0
        fused[answered] += p.section_prior * raw[layout.asked_by[answered]]
    return fused


def top_rows(fused: np.ndarray, n: int) -> np.ndarray:
    """The rows of the `n` best scores, in no particular order."""
    top = min(n, len(fused))
    return np.argpartition(-fused, top - 1)[:top]


def rank(fused: np.ndarray, layout: Layout, about: np.ndarray, lead: np.ndarray) -> np.ndarray:
    """All rows, best first. `about`: the rows holding what a question about the document itself
    asks (then only those, `lead` marking those to come first: the field asked for by name, the
    article named; then by score); a question answered from the body is not answered with header
    lines."""
    if about.size:
        return about[np.lexsort((-fused[about], ~lead))]
    order = np.argsort(-fused, kind="stable")
    if len(order) and not layout.is_header[order[0]]:
        order = order[~layout.is_header[order]]
    return order


def same_text(paragraphs) -> np.ndarray:
    """Each row's group of paragraphs with the same text (white space aside): a service guide
    repeats "查询业务办理结果" under each of its cases, and three copies would fill an answer."""
    groups: dict[str, int] = {}
    return np.array([groups.setdefault("".join(p.text.split()), len(groups)) for p in paragraphs], dtype=np.int64)


def distinct(order: np.ndarray, group: np.ndarray) -> np.ndarray:
    """`order` with only the first (best ranked) row of each group."""
    _, first = np.unique(group[order], return_index=True)
    return order[np.sort(first)]


def named_last(order: np.ndarray, naming: np.ndarray) -> np.ndarray:
    """`order` with the rows that only name the document after the others, each part in its order."""
    return np.concatenate([order[~naming[order]], order[naming[order]]])
