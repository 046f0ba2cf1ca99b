"""A machine edition (rag.translate.translate_document) without a model: what the model is
given, and what is written around its rendering."""

from __future__ import annotations

import json

from rag.parse import parse_text
from rag.translate import english_number, translate_document

DOC = """工伤保险办法

第一章 总则
第一条 为了保障职工权益，制定本办法。
第二条 用人单位应当按时缴纳工伤保险费。
（一）按月申报缴费工资；
（二）按月缴纳保险费。
"""


class Echo:
    """A model that renders every text as the same English sentence, and keeps what it was asked."""

    model_id = "fake-translator"

    def __init__(self):
        self.asked: list[str] = []

    def generate(self, messages, max_tokens=256, temperature=0.0, timeout=60.0):
        self.asked.append(messages[-1]["content"])
        yield "The employer pays the fee."


def test_a_paragraphs_own_number_is_rendered_without_the_model(tmp_path):
    model = Echo()
    rows = [json.loads(line) for line in translate_document(parse_text(DOC), model, tmp_path, progress=False)
            .read_text(encoding="utf-8").splitlines()]
    english = {row["zh"]: row["en"] for row in rows}
    assert english["第二条 用人单位应当按时缴纳工伤保险费。"] == "Article 2 The employer pays the fee."
    assert english["（一）按月申报缴费工资；"] == "(1) The employer pays the fee."
    assert any(en == "Chapter 1 The employer pays the fee." for en in english.values())
    assert not any(number in asked for asked in model.asked for number in ("第一条", "第二条", "（一）", "第一章"))


def test_numbers_in_english():
    assert [english_number(n) for n in ("第二十八条", "第三章", "第二节", "第一部分", "（十二）", "(3)", "六、", "2.")] == [
        "Article 28", "Chapter 3", "Section 2", "Part 1", "(12)", "(3)", "6.", "2."]
    assert english_number("2.1") == "2.1"  # another form, as written


def test_a_failed_translation_is_reported_as_missing_not_as_stale(tmp_path, caplog):
    from rag.edition import with_english

    doc = parse_text(DOC)
    rows = [{"id": p.id, "zh": p.text, "en": "" if i == 1 else "The employer pays the fee.", "machine": True}
            for i, p in enumerate(doc.paragraphs)]
    path = tmp_path / "doc.en.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    with caplog.at_level("WARNING"):
        edition = with_english(doc, path)
    assert sum(not p.en for p in edition.paragraphs) == 1
    assert "1 paragraphs have no English rendering" in caplog.text and "do not match" not in caplog.text


def test_a_number_kept_in_another_form_is_not_missing():
    from rag.translate import numbers_missing, problems

    assert numbers_missing("自2021年10月8日起施行", "It takes effect on October 8, 2021.") == []
    assert numbers_missing("连续居住6个月，每周工作４０小时", "after living there for six months, 40 hours a week") == []
    assert numbers_missing("【颁布日期】19950422 2016-03-04 08:58", "Issued: 1995-04-22, 4 March 2016 at 8:58") == []
    assert numbers_missing("每月补贴2250元，最长24个月", "a subsidy of 2,500 yuan a month") == ["2250", "24"]
    assert problems("每月补贴2250元，最长24个月。", "A subsidy of 2,500 yuan a month, for at most 24 months.") \
        == "numbers missing: 2250"
