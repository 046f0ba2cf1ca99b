"""Composing an extractive answer from retrieved paragraphs (no model: scores are given)."""

import numpy as np

from rag.answer import compose
from rag.document import Hit, Paragraph


def para(pid: str, text: str) -> Paragraph:
    return Paragraph(id=pid, section=4, number=3, role="answer", section_title="社保", text=text, line=1)


def scored(best: str):
    """Sentence scores: 1 for the sentence `best`, 0 for the others."""
    return lambda texts: np.array([1.0 if t == best else 0.0 for t in texts])


def test_a_measures_heading_brings_what_follows_it():
    p = para("§4.3", "一是进一步扩大社会保险覆盖面。支持灵活就业人员参加职工养老保险。推动职业伤害保障试点扩大到全国。")
    a = compose("扩大社保覆盖面有哪些措施？", "zh", (Hit(p, 1.0),), scored("一是进一步扩大社会保险覆盖面。"))
    assert a.citations[0].used == ("一是进一步扩大社会保险覆盖面。", "支持灵活就业人员参加职工养老保险。",
                                   "推动职业伤害保障试点扩大到全国。")
    assert a.text.index("一是") < a.text.index("支持灵活就业") < a.text.index("推动职业伤害")


def test_a_plain_sentence_stands_alone():
    p = para("§4.4", "完善并落实全国统筹制度，确保养老金按时足额发放。扩大企业年金覆盖范围。")
    a = compose("养老金能按时发吗？", "zh", (Hit(p, 1.0),), scored("完善并落实全国统筹制度，确保养老金按时足额发放。"))
    assert a.citations[0].used == ("完善并落实全国统筹制度，确保养老金按时足额发放。",)
