"""Hybrid retrieval over one document, in stages that each stand alone:

    candidates (dense.py, lexical_lists.py, bridge_phrases.py; thesaurus.py expands the query)
      -> fusion (fusion.py, phrases.py; article.py for questions about the document itself)
      -> answerability (answerability.py: a Decision with a Reason, from coverage.py and
         off_topic.py among its signals)

retriever.py composes them; Params holds the weights.
"""

from .answerability import REFUSALS, Decision, Evidence, Reason, decide
from .article import BODY_FIELDS
from .bridge_phrases import Bridge
from .coverage import content_words
from .lexical_lists import LexicalCandidates
from .params import Params
from .retriever import Retrieval, Retriever

__all__ = ["BODY_FIELDS", "Bridge", "Decision", "Evidence", "LexicalCandidates", "Params", "REFUSALS", "Reason",
           "Retrieval", "Retriever", "content_words", "decide"]
