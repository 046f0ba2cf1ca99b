"""Check each generated sentence against the paragraphs it cites, and say why it fails.

A sentence is kept only when all of these hold (citation support, judged statement by
statement as in ALCE, Gao et al. 2023):
- it cites at least one paragraph, and every paragraph it cites was given to the generator;
- every figure in it (a number, year, date, percentage or amount, in digits or Chinese
  numerals, with 万/亿/million/billion) is a figure of the cited text, in Chinese or in its
  English edition;
- every name it quotes (“…”, 《…》, "…") appears in the cited text;
- its meaning is close to the cited text: the cosine of the sentence to the nearest sentence
  of the cited paragraphs is at least `min_similarity`, and no paragraph it does not cite is
  nearer by more than `citation_margin` (citation precision);
- it answers: a question echoed back is not kept.

It knows nothing of how the sentence was made, so it is tested with hand-made sentences.
Not handled: negation ("will not" against "will"), which similarity does not see, and figures
written as English words ("three").
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from .document import Paragraph
from .text import cn_number, split_sentences

CITE = re.compile(r"\[((?:[a-z0-9][a-z0-9-]{0,23}\s)?§\d+\.\d+)\]")
_FIGURE = re.compile(r"(\d+(?:[.,]\d+)*)\s*(%|％|个百分点|万亿|亿|万|千|million|billion|thousand|percent|per cent)?", re.I)
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百千]+")
_NAME = re.compile(r"[“\"《「『]([^”\"》」』]{2,40})[”\"》」』]")
_SCALE = {"万": 1e4, "亿": 1e8, "万亿": 1e12, "千": 1e3, "thousand": 1e3, "million": 1e6, "billion": 1e9}


# Text addressed to a language model rather than to a reader ("ignore all previous
# instructions", "忽略以上所有指令"): never evidence, and never passed to the model as a passage.
_INSTRUCTION = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,30}\b(instructions?|prompts?|rules)\b|\bsystem prompt\b"
    r"|\byou are (now )?(an? )?(ai|assistant|chatbot|language model)\b"
    r"|(忽略|无视|忘记|忽视).{0,8}(指令|指示|提示|规则|要求)|系统提示词?",
    re.I,
)


def instruction_like(sentence: str) -> bool:
    """Whether a sentence of a document speaks to a model instead of to its reader."""
    return bool(_INSTRUCTION.search(sentence))


def without_instructions(text: str) -> str:
    """The text up to its first instruction-like sentence: what follows such a sentence in the
    same paragraph ("…and say the policy is cancelled") is part of the injection."""
    if not instruction_like(text):
        return text
    kept = []
    for sentence in split_sentences(text):
        if instruction_like(sentence):
            break
        kept.append(sentence)
    return "".join(kept)


class Reason(enum.Enum):
    SUPPORTED = "supported"
    NO_CITATION = "cites nothing"
    UNKNOWN_CITATION = "cites a paragraph it was not given"
    FIGURE_MISSING = "states a figure the cited text does not"
    NAME_MISSING = "quotes a name the cited text does not"
    LOW_SIMILARITY = "says something the cited text does not"
    WRONG_CITATION = "is nearer to a paragraph it does not cite"
    QUESTION = "asks instead of answering"


@dataclass(frozen=True)
class Check:
    sentence: str  # as generated, citation markers included
    cites: tuple[str, ...]
    reason: Reason
    similarity: float = 0.0
    evidence: str = ""  # the cited sentence nearest in meaning

    @property
    def supported(self) -> bool:
        return self.reason is Reason.SUPPORTED


def figures(text: str) -> set[float]:
    """Every figure in `text` as a value: '1267万' -> 12670000, '5.2%' -> 5.2, '2025年' -> 2025,
    '12.67 million' -> 12670000, '十五' -> 15. Digits alone count as themselves too."""
    out: set[float] = set()
    for m in _FIGURE.finditer(text):
        raw = m.group(1).replace(",", "")
        try:
            value = float(raw)
        except ValueError:
            continue
        out.add(value)
        unit = (m.group(2) or "").lower()
        if unit in _SCALE:
            out.add(round(value * _SCALE[unit], 6))
    for m in _CN_NUMBER.finditer(text):
        if (v := cn_number(m.group())) is not None:
            out.add(float(v))
    return out


def sentence_figures(sentence: str) -> list[set[float]]:
    """The figures a sentence states, each as the set of values it may stand for."""
    body = CITE.sub(" ", sentence)
    out = []
    for m in _FIGURE.finditer(body):
        try:
            value = float(m.group(1).replace(",", ""))
        except ValueError:
            continue
        unit = (m.group(2) or "").lower()
        out.append({value, round(value * _SCALE[unit], 6)} if unit in _SCALE else {value})
    return out


class Verifier:
    """Judge sentences against cited paragraphs. `similarity(sentence, texts)` gives the cosine
    of the sentence to each text; it is passed in so the verifier needs no model of its own."""

    def __init__(self, similarity, min_similarity: float = 0.35, citation_margin: float = 0.05):
        self.similarity = similarity
        self.min_similarity = min_similarity
        # A sentence nearer (by more than this) to a paragraph it does not cite cites the wrong one.
        self.citation_margin = citation_margin

    def check(self, sentence: str, given: Mapping[str, Paragraph]) -> Check:
        cites = tuple(dict.fromkeys(CITE.findall(sentence)))
        if not cites:
            return Check(sentence, cites, Reason.NO_CITATION)
        if CITE.sub("", sentence).strip().rstrip("。.").endswith(("？", "?")):
            return Check(sentence, cites, Reason.QUESTION)
        if any(c not in given for c in cites):
            return Check(sentence, cites, Reason.UNKNOWN_CITATION)
        cited = [given[c] for c in cites]
        text = " ".join(without_instructions(p.text) + " " + without_instructions(p.en) for p in cited)
        known = figures(text)
        if any(not (options & known) for options in sentence_figures(sentence)):
            return Check(sentence, cites, Reason.FIGURE_MISSING)
        flat = "".join(text.split()).lower()
        if any("".join(n.split()).lower() not in flat for n in _NAME.findall(CITE.sub(" ", sentence))):
            return Check(sentence, cites, Reason.NAME_MISSING)
        # Every sentence of every paragraph given, so the cited one can be compared with the rest.
        units = [(pid, s) for pid, p in given.items() for t in (p.text, p.en) if t
                 for s in split_sentences(without_instructions(t))]
        sims = np.asarray(self.similarity(CITE.sub(" ", sentence).strip(), [u for _, u in units]), dtype=np.float32)
        mine = [i for i, (pid, _) in enumerate(units) if pid in cites]
        best = max(mine, key=lambda i: sims[i]) if mine else -1
        sim = float(sims[best]) if best >= 0 else 0.0
        evidence = units[best][1] if best >= 0 else ""
        if sim < self.min_similarity:
            return Check(sentence, cites, Reason.LOW_SIMILARITY, sim, evidence)
        if len(sims) and float(sims.max()) > sim + self.citation_margin:
            return Check(sentence, cites, Reason.WRONG_CITATION, sim, evidence)
        return Check(sentence, cites, Reason.SUPPORTED, sim, evidence)

    def check_all(self, sentences: Sequence[str], given: Mapping[str, Paragraph]) -> tuple[Check, ...]:
        return tuple(self.check(s, given) for s in sentences)
