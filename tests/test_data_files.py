"""The English edition, glossary, thesaurus and evaluation files agree with the document."""

import json
import re
from pathlib import Path

import pytest

from rag.config import BUNDLED_DOCUMENT, BUNDLED_ENGLISH, DATA
from rag.edition import with_english
from rag.parse import read_document

ROOT = Path(__file__).resolve().parent.parent


def squash(s: str) -> str:
    return "".join(s.split())


@pytest.fixture(scope="module")
def doc():
    return read_document(BUNDLED_DOCUMENT)


def test_every_paragraph_has_exactly_one_rendering(doc):
    rows = [json.loads(line) for line in BUNDLED_ENGLISH.read_text(encoding="utf-8").splitlines() if line.strip()]
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids in the English edition"
    para_ids = {p.id for p in doc.paragraphs}
    section_ids = {f"§{s.number}" for s in doc.sections}
    assert set(ids) == para_ids | section_ids
    for r in rows:
        assert r["en"].strip(), f"empty rendering for {r['id']}"


def test_renderings_attach_to_every_paragraph(doc):
    d = with_english(doc, BUNDLED_ENGLISH)
    assert all(p.en for p in d.paragraphs)
    assert all(s.title_en for s in d.sections)
    assert d.get("§4.4").en.startswith("Second,")


def test_every_answer_has_questions_in_both_languages(doc):
    d = with_english(doc, BUNDLED_ENGLISH)
    for p in d.paragraphs:
        if p.section == 0 or p.role == "question":
            assert p.questions_zh == p.questions_en == (), p.id  # headers and the reporter's questions have none
        else:
            assert len(p.questions_zh) >= 4 and len(p.questions_en) >= 4, p.id
            assert all(re.search(r"[\u4e00-\u9fff]", q) for q in p.questions_zh), p.id
            assert not any(re.search(r"[\u4e00-\u9fff]", q) for q in p.questions_en), p.id


def test_stale_rendering_is_dropped(doc, tmp_path):
    rows = [json.loads(line) for line in BUNDLED_ENGLISH.read_text(encoding="utf-8").splitlines()]
    rows[7]["zh"] = "changed"
    path = tmp_path / "en.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    d = with_english(doc, path)
    assert not d.get(rows[7]["id"]).en
    assert not d.get(rows[7]["id"]).questions_zh  # nor the questions it was said to answer


def test_glossary_terms_occur_in_document():
    text = squash(BUNDLED_DOCUMENT.read_text(encoding="utf-8"))
    glossary = json.loads((DATA / "policy.glossary.json").read_text(encoding="utf-8"))
    assert len(glossary) >= 30
    assert [k for k in glossary if squash(k) not in text] == []


def test_thesaurus_shape():
    t = json.loads((DATA / "policy.thesaurus.json").read_text(encoding="utf-8"))
    for lang in ("zh", "en"):
        assert all(isinstance(v, list) and v for v in t[lang].values())


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "eval").glob("*.jsonl")))
def test_own_eval_files(name):
    text = squash(BUNDLED_DOCUMENT.read_text(encoding="utf-8"))
    rows = [json.loads(line) for line in (ROOT / "eval" / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert set(r) == {"id", "lang", "kind", "question", "gold"}
        assert r["lang"] in ("en", "zh") and r["kind"] in ("fact", "paraphrase", "meta", "oos")
        assert (r["kind"] == "oos") == (not r["gold"])
        assert all(squash(g) in text for g in r["gold"]), r["id"]


def test_background_questions_stay_off_the_documents_topic():
    """The off-topic prototypes must not speak of the document's subject, or in-scope
    questions near them would be refused."""
    from rag.edition import load_background

    questions = load_background(DATA / "background.txt")
    assert len(questions) >= 200
    domain = re.compile(r"就业|工作|工资|社保|保险|养老|退休|培训|技能|岗位|失业|招聘|毕业|人社|"
                        r"\b(jobs?|work(er|ers|ing)?|wages?|salar(y|ies)|pensions?|retire\w*|insurance|"
                        r"training|skills?|employ\w*|unemploy\w*|labou?r|hiring|graduates?)\b", re.I)
    assert [q for q in questions if domain.search(q)] == []
