from pathlib import Path

import pytest

from rag.config import BUNDLED_DOCUMENT
from rag.errors import ParseError
from rag.parse import parse_bytes, parse_text, read_document

SHARED_DOC = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "policy.zh.txt"


@pytest.fixture(scope="module")
def doc():
    return read_document(BUNDLED_DOCUMENT)


def test_bundled_copy_is_unchanged():
    if not SHARED_DOC.exists():
        pytest.skip("shared corpus not beside the checkout")
    assert BUNDLED_DOCUMENT.read_bytes() == SHARED_DOC.read_bytes()


def test_metadata(doc):
    m = doc.metadata
    assert m.title == "全力以赴稳就业 扩大社保覆盖面"
    assert "王晓萍" in m.subtitle and "人力资源社会保障部" in m.subtitle
    assert m.reporter == "新华社记者 张晓洁"
    assert m.columns == ("开局“十五五”", "权威访谈")
    assert m.dateline == "新华社北京1月20日电"


def test_sections_and_ids(doc):
    assert [s.title for s in doc.sections] == [
        "投资于人，厚植人力资源优势",
        "全力确保就业大局稳定",
        "培养更多适应发展需要的技能人才",
        "推动社保制度更加优化更可持续",
    ]
    assert [len(s.paragraph_ids) for s in doc.sections] == [3, 7, 9, 5]
    assert [p.id for p in doc.paragraphs if p.section == 0] == [f"§0.{i}" for i in range(1, 7)]
    assert doc.get("§4.4").text.startswith("二是持续深化社保重点改革")
    assert "确保养老金按时足额发放" in doc.get("§4.4").text


def test_roles(doc):
    assert doc.get("§1.1").role == "question"
    assert doc.get("§1.2").role == "answer"
    assert doc.get("§2.4").role == "answer" and doc.get("§2.4").text.startswith("一是")
    assert doc.get("§0.1").role == "header"
    assert doc.get("§2.4").section_title == "全力确保就业大局稳定"


@pytest.mark.parametrize(
    "pid, joined",
    [("§2.4", "加强政策储备。"), ("§3.1", "今年将从哪些方面发力？"), ("§3.9", "技能改变世界，技能照亮前程")],
)
def test_page_break_splits_are_repaired(doc, pid, joined):
    assert joined in doc.get(pid).text


def test_ids_are_stable_and_pure():
    text = BUNDLED_DOCUMENT.read_text(encoding="utf-8")
    a, b = parse_text(text), parse_text(text)
    assert [(p.id, p.text) for p in a.paragraphs] == [(p.id, p.text) for p in b.paragraphs]
    assert a.sha256 == b.sha256


def test_line_numbers_point_into_the_source(doc):
    lines = BUNDLED_DOCUMENT.read_text(encoding="utf-8").split("\n")
    for p in doc.paragraphs:
        assert lines[p.line - 1].strip() and p.text.startswith(lines[p.line - 1].strip()[:5])


def test_another_interview():
    text = (
        "稳就业的新举措\n\n——访某部部长李四\n\n新华社记者 王五\n\n第一部分标题\n\n问：今年怎么做？\n\n"
        "答：我们将做好三件事。\n\n一是加强培训。\n\n第二部分标题\n\n问：社保呢？\n\n答：扩大覆盖面。\n\n新华社上海3月1日电"
    )
    d = parse_text(text)
    assert [s.title for s in d.sections] == ["第一部分标题", "第二部分标题"]
    assert [p.id for p in d.body()] == ["§1.1", "§1.2", "§1.3", "§2.1", "§2.2"]
    assert d.metadata.reporter == "新华社记者 王五" and d.metadata.dateline == "新华社上海3月1日电"


def test_markdown_with_headings():
    md = "# Policy notes\n\nIntro line that is a sentence.\n\n## Jobs\n\nFirst paragraph.\n\nSecond paragraph.\n\n## Pensions\n\nPaid on time.\n"
    d = parse_text(md)
    assert d.metadata.title == "Policy notes"
    assert [s.title for s in d.sections] == ["Jobs", "Pensions"]
    assert [p.id for p in d.body()] == ["§1.1", "§1.2", "§2.1"]
    assert all(p.role == "text" for p in d.body())


def test_plain_text_without_headings():
    d = parse_text("One sentence here.\n\nAnother sentence there.\n")
    assert [p.id for p in d.body()] == ["§1.1", "§1.2"]


@pytest.mark.parametrize(
    "raw, where, what",
    [
        (b"", ":1:", "empty"),
        (b"   \n\n  \n", ":1:", "empty"),
        (b"hello\n\x00\x01binary", ":2:", "binary"),
        (b"ok line\n\xff\xfe broken", ":2:", "UTF-8"),
        (b"line one\n\x07bell", ":2:", "control character"),
    ],
)
def test_unparseable_input_names_file_and_line(raw, where, what):
    with pytest.raises(ParseError) as e:
        parse_bytes(raw, name="doc.txt")
    assert f"doc.txt{where}" in str(e.value) and what in str(e.value)


def test_only_headings_is_an_error():
    with pytest.raises(ParseError, match="no paragraphs"):
        parse_text("# Title\n\n## Empty section\n", name="x.md")


def test_missing_file(tmp_path):
    with pytest.raises(ParseError, match="cannot read"):
        read_document(tmp_path / "nope.txt")
