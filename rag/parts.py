"""A message of several questions, split into them: "谁发布的？缴费比例是多少？", "Who issued
this notice, and what is the contribution rate?".

A question ends at its question mark; in English, a clause that opens with ", and" and a
question word ("…, and how long is it valid?") is a question of its own. A part with no words
to search by ("是吗？", "How much") stays with the one before it, and statements before a
question stay with it ("我辞职了。能领失业金吗？" is one question).

Not handled: questions run together without a mark or a conjunction ("多少钱怎么交"), and
"and" between two questions' words without a comma ("how much and how long").
"""

from __future__ import annotations

import re

from .document import Lang
from .retrieve import content_words
from .text import HAN_CHAR, detect_language

MAX_PARTS = 3  # a message of more questions is answered as one: each part would be a whole answer
# After a question mark, the next question begins; ", and what…" begins one too, as does
# ", and is/can/does…" (a yes-or-no question of its own).
_BREAK = re.compile(r"(?<=[?？])\s*(?=\S)"
                    r"|,\s+and\s+(?=(?:what|how|who|whom|when|where|which|why|whether)\b)"
                    r"|,\s+and\s+(?=(?:is|are|was|were|does|do|did|can|could|will|would|should|must|has|have)\s)",
                    re.I)


def question_parts(question: str) -> tuple[str, ...]:
    """The questions of `question`, each as typed, in order: one element when it asks one thing."""
    pieces = [p.strip() for p in _BREAK.split(question) if p.strip()]
    parts: list[str] = []
    for piece in pieces:
        if parts and not _searchable(piece):
            parts[-1] = f"{parts[-1]} {piece}" if piece[:1].isascii() else parts[-1] + piece
        else:
            parts.append(piece)
    if len(parts) > 1 and not _searchable(parts[0]):  # "How much, and …": the first joins the second
        parts[:2] = [f"{parts[0]} {parts[1]}"]
    return tuple(parts) if 1 < len(parts) <= MAX_PARTS else (question,)


def _searchable(part: str) -> bool:
    lang: Lang = detect_language(part)
    return bool(content_words(part, lang))


# A question that leans on the one before: its subject is a pronoun, among its first words ("what
# threshold must it reach?", "how are they split?"; not "…since it was issued", whose "it" is its
# own), it opens on the one before ("If not, where…", "那…"), or, in Chinese, it is too short to
# name a subject of its own ("参照的是什么？", "给多长时间？"). "这份文件…" names the document, not the
# question before.
_LEANS_EN = re.compile(r"^\W*(?:\S+\s+){0,4}(?:it|its|they|them|their)\b"
                       r"|^\W*(?:if (?:not|so)|and|also|then|what about|how about)\b", re.I)
_LEANS_ZH = re.compile(r"^(?:那|那么|还有|另外|而|对于|至于|它|其|如果不|否则)")
SHORT_ZH = 6  # Han characters: "要多久？" leans on what it follows; "公积金怎么提取？" does not


def leans_on_before(part: str) -> bool:
    """Whether a later question of a message means what it means only after the one before."""
    if detect_language(part) == "en":
        return bool(_LEANS_EN.search(part))
    return bool(_LEANS_ZH.match(part.strip())) or len(HAN_CHAR.findall(part)) <= SHORT_ZH
