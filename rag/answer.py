"""Compose an extractive answer: the document's own sentences, each with its citation.

Only the fixed phrases below are written around the quoted sentences, so an answer never
says anything the document does not.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from .document import Answer, Citation, Document, Hit, Lang
from .text import en_tokens, split_sentences, zh_tokens

LEAD = {"en": "According to the interview:", "zh": "根据访谈原文："}
NOT_COVERED = {
    "en": "{why}, so I cannot answer it from the source. It covers: {topics}.",
    "zh": "{why}，无法依据原文回答。文件涉及的内容有：{topics}。",
}
# Why, where an answer-type rule (qtype.unanswered) decided: what the question asks for that
# the paragraphs nearest to it do not give. The plain reason otherwise.
_NEAREST = {"en": "The document does not cover this question: the paragraphs nearest to it ",
            "zh": "文件没有涉及这个问题：与之最接近的段落"}
WHY_NOT_COVERED = {
    "": {"en": "The document does not cover this question", "zh": "文件没有涉及这个问题"},
    "figure": {"en": _NEAREST["en"] + "give no such figure", "zh": _NEAREST["zh"] + "没有给出所问的数字"},
    "people": {"en": _NEAREST["en"] + "do not speak of foreign nationals or of residents of Hong Kong, Macao and Taiwan",
               "zh": _NEAREST["zh"] + "没有谈及外籍人员或港澳台居民"},
    "places": {"en": _NEAREST["en"] + "name no provinces or cities", "zh": _NEAREST["zh"] + "没有列出省份或城市"},
}
_PREFIX = re.compile(r"^(答|问|A|Q)\s*[：:]\s*")
# The lead sentence of a numbered measure ("一是进一步扩大社会保险覆盖面。", "First, further
# expand social insurance coverage.") names it; the sentences after it say what it is.
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]是|(?:First|Second|Third|Fourth|Fifth|Sixth),)")
MAX_SENTENCES = 4
# A sentence loses this times its paragraph's retrieval score below the top one: retrieval
# weighs far more evidence than one sentence's similarity, so the answer leads with the top
# paragraph. Chosen with bench/answer_sentences.py over all five evaluation files: the share
# of answers whose sentences all come from a gold paragraph is 0.67 with none, 0.87 at 0.5 and
# 0.89 at 1.0; the first sentence's share rises from 0.90 to 0.93 at 0.5 and stays there.
GAP_WEIGHT = 1.0


OVERVIEW_LEAD = {"en": "The interview is in {n} parts:", "zh": "访谈分为{n}个部分："}


def overview(question: str, lang: Lang, doc: Document) -> Answer:
    """What the article is about as a whole: its section titles, each citing the paragraph
    where the section's answer begins."""
    lines, citations = [], []
    for sec in doc.sections:
        paras = [p for p in doc.paragraphs if p.section == sec.number]
        first = next((p for p in paras if p.role != "question"), paras[0] if paras else None)
        if first is None:
            continue
        title = sec.title_en if lang == "en" and sec.title_en else sec.title
        lines.append(f"{len(lines) + 1}. {title}[{first.id}]")
        lead = split_sentences(first.text_in(lang))[:1]
        citations.append(Citation(id=first.id, section=first.title_in(lang), text=first.text, score=None,
                                  translation=first.en if lang == "en" and first.en else "", used=tuple(lead)))
    if not lines:
        return abstain(question, lang, doc)
    text = LEAD[lang] + "\n" + OVERVIEW_LEAD[lang].format(n=len(lines)) + "\n" + "\n".join(lines)
    return Answer(question, lang, text, False, tuple(citations))


def not_covered(doc: Document, lang: Lang, missing: str = "") -> str:
    sep = "; " if lang == "en" else "；"
    topics = sep.join(s.title_en if lang == "en" and s.title_en else s.title for s in doc.sections)
    why = WHY_NOT_COVERED.get(missing, WHY_NOT_COVERED[""])[lang]
    return NOT_COVERED[lang].format(why=why, topics=topics)


def abstain(question: str, lang: Lang, doc: Document, missing: str = "") -> Answer:
    """The "not covered" answer; `missing` says what the question asked that the document lacks."""
    return Answer(question, lang, not_covered(doc, lang, missing), True, ())


@lru_cache(maxsize=8192)
def _sentence_tokens(sentence: str, lang: Lang) -> frozenset[str]:
    """Document sentences recur across questions: tokenize each once."""
    return frozenset(zh_tokens(sentence) if lang == "zh" else en_tokens(sentence))


def _overlap(question_tokens: set[str], sentence: str, lang: Lang) -> float:
    return len(question_tokens & _sentence_tokens(sentence, lang)) / max(1, len(question_tokens))


def compose(question: str, lang: Lang, hits: tuple[Hit, ...], sentence_scores,
            expansions: tuple[str, ...] = ()) -> Answer:
    """Pick the sentences that best answer `question` from the retrieved paragraphs.

    `sentence_scores(texts) -> np.ndarray` gives each candidate sentence's similarity to the
    question; it is passed in so this stays a pure function of its inputs. `expansions` are
    the document's words for the question's everyday ones; they count as question words.
    """
    tok = zh_tokens if lang == "zh" else en_tokens
    qtok = set(tok(question)) | {t for e in expansions for t in tok(e)}
    candidates: list[tuple[int, int, str]] = []  # (hit rank, sentence position, sentence)
    for rank, h in enumerate(hits):
        p = h.paragraph
        if p.role == "question" and any(x.paragraph.role != "question" for x in hits):
            continue  # a question turn restates, it does not answer
        for j, s in enumerate(split_sentences(p.text_in(lang))):
            if rank > 0 and _HEADING.match(s):
                continue  # another paragraph's heading matches by its generic words alone
            candidates.append((rank, j, s))
    if not candidates:
        return Answer(question, lang, "", True, ())
    sims = np.asarray(sentence_scores([c[2] for c in candidates]), dtype=np.float32)
    top = hits[0].score
    scores = np.array(
        [sims[i] + 0.3 * _overlap(qtok, c[2], lang) - 0.03 * c[0] - GAP_WEIGHT * (top - hits[c[0]].score)
         for i, c in enumerate(candidates)]
    )
    best = float(scores.max())
    order = [i for i in np.argsort(-scores, kind="stable") if scores[i] >= best - 0.12][:MAX_SENTENCES]
    chosen: list[tuple[int, int, str]] = []
    for i in order:
        rank, j, s = candidates[i]
        if candidates[i] in chosen:
            continue
        chosen.append(candidates[i])
        if _HEADING.match(s) and not any(candidates[k][0] == rank and candidates[k][1] > j for k in order):
            # A measure's heading alone says little: what follows it in the paragraph answers,
            # unless a sentence after it is chosen on its own merits: then the rest is not needed.
            rest = [c for c in candidates if c[0] == rank and c[1] > j and c not in chosen]
            chosen.extend(rest[: max(0, MAX_SENTENCES - len(chosen))])
        if len(chosen) >= MAX_SENTENCES:
            break
    # Read as the document reads: each paragraph's sentences together and in their order,
    # paragraphs in the order their best sentence was chosen.
    first_pick: dict[int, int] = {}
    for n, (rank, _, _) in enumerate(chosen):
        first_pick.setdefault(rank, n)
    chosen.sort(key=lambda c: (first_pick[c[0]], c[1]))
    used: dict[str, list[str]] = {}
    parts = []
    for rank, _, s in chosen:
        pid = hits[rank].paragraph.id
        used.setdefault(pid, []).append(s)
        parts.append(f"{_PREFIX.sub('', s)}[{pid}]")
    sep = " " if lang == "en" else ""
    text = LEAD[lang] + ("\n" if lang == "en" else "\n") + sep.join(parts)
    citations = tuple(
        Citation(
            id=h.paragraph.id,
            section=h.paragraph.title_in(lang),
            text=h.paragraph.text,
            score=h.score,
            translation=h.paragraph.en if lang == "en" and h.paragraph.en else "",
            used=tuple(used.get(h.paragraph.id, ())),
        )
        for h in hits
    )
    return Answer(question, lang, text, False, citations)
