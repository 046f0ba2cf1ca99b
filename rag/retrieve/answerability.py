"""Answerability: whether the document answers the question, as a typed decision with its reason.

Two typed rules come first. A question about the document itself (who, when, headline) is
answered from the lines holding the field it asks for. A question asking for what none of the
retrieved paragraphs gives is refused (rag.qtype: a figure of its type, year, month or age
group; people the rules treat apart; which provinces or cities; a figure of a place the
document never names). Otherwise a logistic model
over five retrieval signals (Evidence) decides, fitted by bench/fit_abstention_docs.py.

The model's probability is always computed and kept, whatever decided: the fit scripts tell a
rule's decision by its reason, and `Decision.support` says how sure the whole decision is.
The answer layer renders the reason (answer.abstain); it does not recompute it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from typing import Sequence

from ..qtype import unanswered_branch, unanswered_figure, unanswered_group, unanswered_local_figure, unanswered_places
from .params import Params


class Reason(Enum):
    """Why a question is answered or refused."""

    COVERED = "covered"  # the model says the document covers it
    ABOUT_DOCUMENT = "about the document"  # it asks for the document's own title, date, author...
    OUT_OF_SCOPE = "out of scope"  # the model says the document does not cover it
    FIGURE = "figure"  # it asks for a figure (of a year, month, age group) no paragraph gives
    PEOPLE = "people"  # it asks about foreign nationals or HK/Macao/Taiwan residents, never named
    PLACES = "places"  # it asks which provinces or cities, and no paragraph names one
    LOCAL = "local"  # it asks for a figure of a province or city the document never names
    BRANCH = "branch"  # it asks about a branch of insurance or a labour right the document never speaks of
    NOT_STATED = "not stated"  # the judge (rag.judge), a local model, found the passages do not state it


REFUSALS = frozenset({Reason.OUT_OF_SCOPE, Reason.FIGURE, Reason.PEOPLE, Reason.PLACES, Reason.LOCAL, Reason.BRANCH,
                      Reason.NOT_STATED})
# Decided otherwise than by the model's probability: a typed rule, or the judge.
RULES = frozenset({Reason.ABOUT_DOCUMENT, Reason.FIGURE, Reason.PEOPLE, Reason.PLACES, Reason.LOCAL, Reason.BRANCH,
                   Reason.NOT_STATED})


@dataclass(frozen=True)
class Evidence:
    """The retrieval signals the model weighs."""

    dense_top: float  # the cosine of the best unit of the densest paragraph
    coverage: float  # share of the question's words (idf-weighted) in the top paragraph
    known: float  # the same share over the whole document
    fused_top: float  # the fused score of the top paragraph
    off_topic: float = 0.0  # mean cosine of the 3 nearest everyday off-topic questions (0 if none)

    @property
    def features(self) -> tuple[float, float, float, float, float]:
        """The model's inputs, in the order of Params' abstain_* weights after the bias; the
        last is the margin of the document over everyday questions."""
        return self.dense_top, self.coverage, self.known, self.fused_top, self.dense_top - self.off_topic


@dataclass(frozen=True)
class Decision:
    reason: Reason
    probability: float  # the model's probability that the document covers the question
    evidence: Evidence

    @property
    def refuse(self) -> bool:
        return self.reason in REFUSALS

    @property
    def by_rule(self) -> bool:
        """A typed rule decided, not the model."""
        return self.reason in RULES

    @property
    def support(self) -> float:
        """How sure the decision is that the document covers the question: certain either way
        when a rule decided, else the model's probability. A library answers from the
        document with the most support."""
        if self.by_rule:
            return 0.0 if self.refuse else 1.0
        return self.probability


def in_scope_probability(e: Evidence, p: Params) -> float:
    z = (p.abstain_bias + p.abstain_dense * e.dense_top + p.abstain_coverage * e.coverage
         + p.abstain_known * e.known + p.abstain_fused * e.fused_top + p.abstain_margin * (e.dense_top - e.off_topic))
    return 1 / (1 + math.exp(-max(-50.0, min(50.0, z))))


def unanswered(question: str, passages: Sequence[tuple[str, ...]], now: int | None = None,
               places: frozenset[str] | None = None, branches: frozenset[str] | None = None) -> Reason | None:
    """What the question asks for that none of the passages (each one paragraph's renderings)
    gives, checked in this order; None when they may answer it. `places`: those the document
    names (rag.qtype.places), and `branches` those it speaks of (rag.qtype.branches), when known."""
    if branches is not None and unanswered_branch(question, branches):
        return Reason.BRANCH
    if places is not None and unanswered_local_figure(question, places):
        return Reason.LOCAL
    if unanswered_figure(question, passages, now):
        return Reason.FIGURE
    if unanswered_group(question, passages):
        return Reason.PEOPLE
    if unanswered_places(question, passages):
        return Reason.PLACES
    return None


def decide(question: str, passages: Sequence[tuple[str, ...]], evidence: Evidence, params: Params,
           about_document: bool = False, now: int | None = None, places: frozenset[str] | None = None,
           branches: frozenset[str] | None = None) -> Decision:
    """The decision for a question, given the renderings of the paragraphs retrieved for it.
    `now`: the year the document speaks from (what its "this year" means); `places`: the
    provinces and cities it names; `branches`: the kinds of insurance and rights it speaks of."""
    probability = in_scope_probability(evidence, params)
    if about_document:
        reason = Reason.ABOUT_DOCUMENT
    else:
        reason = unanswered(question, passages, now, places, branches) or (
            Reason.OUT_OF_SCOPE if probability < 0.5 else Reason.COVERED)
    return Decision(reason, probability, evidence)
