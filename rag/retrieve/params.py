"""The retrieval weights: one frozen set, chosen on the evaluation files and fitted by bench/."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Params:
    lexical_weight: float = 0.35
    header_penalty: float = 0.05  # header lines are short and match everything a little
    question_penalty: float = 0.3  # a reporter's question restates a topic; the answer follows it
    # "Not covered" is a logistic model over five signals (see answerability.Evidence), fitted
    # on six documents (the bundled interview and five real texts of other genres, each weighing
    # the same, refusing at most 3 % of their in-scope questions on average) by
    # bench/fit_abstention_docs.py, and checked leave-one-document-out there. The
    # margin (dense_top - off_topic) carries most of it; dense_top's own weight is then negative.
    abstain_bias: float = 2.76
    abstain_dense: float = -8.11
    abstain_coverage: float = 3.84
    abstain_known: float = 1.61
    abstain_fused: float = -1.00
    abstain_margin: float = 18.57  # weight of (dense_top - off_topic)
    # Everyday questions this close to the document are about its topic and are not used as
    # off-topic prototypes (this matters for a user's own document).
    background_max: float = 0.40
    # Each answer paragraph gains this share of its section's question-turn score: a question
    # that matches the reporter's question is asking about that section.
    section_prior: float = 0.3
    expansion_weight: float = 0.6  # BM25 weight of thesaurus terms against the query's own words
    candidates: int = 256  # units fetched from an approximate index
    asked_weight: float = 0.5  # share of a paragraph's dense score from the questions it answers
    # The same where a model wrote them (rag.questions): they are vaguer than ones by hand.
    # Chosen among 0.15, 0.25 and 0.5 on six read documents (docs/evaluation.md).
    written_weight: float = 0.2
    # Each paragraph gains this times the share of the question's words (idf-weighted) it holds.
    coverage_weight: float = 0.2
    # The candidate answer that shares the longest literal Chinese phrase (4 characters or more)
    # with the question gains this much: "有活没人干" is not "有人没活干", though their words are.
    phrase_bonus: float = 0.1
    phrase_candidates: int = 20
    # An English question's words reach the document word the embedding model puts nearest, when
    # it stands this many standard deviations above the document's other words (word_bridge.py;
    # chosen leave-one-document-out in bench/word_bridge.py).
    word_z: float = 3.0
    word_neighbours: int = 1
    # A question asking for a figure of a type (money, a percentage, days…): among the best
    # candidates, those stating one are shown first (answerability still judges the order
    # without it). 0.3 and more give the same order; chosen over 0.1-0.5 on the nine documents
    # (bench/documents.py), the bundled files unchanged at every value.
    type_bonus: float = 0.3
    # An English question machine-translated into Chinese (with a generator that can) is searched
    # too, its scores weighing this much against the English question's own.
    translation_weight: float = 0.3
    # The second model's standardized cosine (rag.retrieve.second) weighs this much in the fused
    # score. Chosen over 0.06-0.15 on 25 fixture documents (docs/evaluation.md, fourteenth session).
    second_weight: float = 0.1
