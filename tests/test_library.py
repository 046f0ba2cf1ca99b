"""The document library: add, remove, list; keyed ids across documents; nothing half-done."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from rag.config import Config
from rag.errors import CitationError, ParseError, RagError
from rag.library import Entry, Library, LibraryEngine, document_key, open_engine
from rag.parse import parse_text
from tests.test_ingest import word97  # noqa: F401  (a fixture: a Word 97 file's bytes)

FIXTURES = Path(__file__).parent / "fixtures" / "docs"


@pytest.fixture
def lib_config(tmp_path) -> Config:
    return Config(index_dir=tmp_path / "index")


@pytest.mark.parametrize("name, key", [("notice.zh.txt", "notice"), ("MedIns 2024.docx", "medins-2024"),
                                       ("社会保险经办条例.pdf", None)])
def test_keys_come_from_the_file_name(name, key):
    got = document_key(name)
    assert got == key if key else got.startswith("doc-") and got == document_key(name)


def test_the_bundled_interview_is_the_default_library(lib_config):
    entries = Library(lib_config.index_path).entries()
    assert [e.key for e in entries] == ["policy"] and entries[0].path.name == "policy.zh.txt"


def test_add_list_remove(lib_config, fake_embedder):
    lib = Library(lib_config.index_path)
    e = lib.add(FIXTURES / "notice.zh.txt", lib_config, fake_embedder)
    assert (e.key, e.kind, e.date) == ("notice", "opinion", "2018-11-16")
    assert [x.key for x in lib.entries()] == ["policy", "notice"]
    assert (lib.root / "index" / "notice").is_dir() and Path(e.file).is_file()
    with pytest.raises(RagError, match="already has"):
        lib.add(FIXTURES / "notice.zh.txt", lib_config, fake_embedder)
    lib.remove("notice")
    assert [x.key for x in lib.entries()] == ["policy"]
    assert not (lib.root / "index" / "notice").exists() and not Path(e.file).exists()
    with pytest.raises(RagError, match="only document"):
        lib.remove("policy")


def test_adding_only_embeds_the_new_document(lib_config, fake_embedder):
    lib = Library(lib_config.index_path)
    lib.add(FIXTURES / "notice.zh.txt", lib_config, fake_embedder)
    before = sorted(p.stat().st_mtime_ns for p in (lib.root / "index" / "notice").rglob("*") if p.is_file())
    lib.add(FIXTURES / "qa.zh.txt", lib_config, fake_embedder)
    after = sorted(p.stat().st_mtime_ns for p in (lib.root / "index" / "notice").rglob("*") if p.is_file())
    assert before == after


def test_a_word_97_file_is_added_as_any_other(lib_config, fake_embedder, tmp_path, word97):
    path = tmp_path / "subsidy.doc"
    path.write_bytes(word97)
    e = Library(lib_config.index_path).add(path, lib_config, fake_embedder)
    assert (e.key, e.kind, e.title) == ("subsidy", "notice", "关于测试补贴的通知")
    engine = open_engine(lib_config)
    assert [p.id for p in engine.engine("subsidy").doc.paragraphs if p.section == 2] == ["§2.1", "§2.2"]


@pytest.mark.parametrize("content, error", [(b"\x00\x01binary", ParseError), (b"", ParseError)])
def test_a_bad_file_changes_nothing(lib_config, fake_embedder, tmp_path, content, error):
    lib = Library(lib_config.index_path)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    with pytest.raises(error):
        lib.add(bad, lib_config, fake_embedder)
    assert [x.key for x in lib.entries()] == ["policy"] and not (lib.root / "files").exists()


def test_a_failed_build_leaves_no_trace(lib_config, fake_embedder, monkeypatch):
    import rag.engine

    def broken(*a, **k):
        raise RagError("disk full")

    monkeypatch.setattr(rag.engine, "build_index", broken)
    lib = Library(lib_config.index_path)
    with pytest.raises(RagError, match="disk full"):
        lib.add(FIXTURES / "notice.zh.txt", lib_config, fake_embedder)
    assert [x.key for x in lib.entries()] == ["policy"] and not list((lib.root / "files").glob("notice*"))


def test_the_manifest_is_replaced_whole(lib_config, fake_embedder):
    lib = Library(lib_config.index_path)
    lib.add(FIXTURES / "notice.zh.txt", lib_config, fake_embedder)
    data = json.loads(lib.manifest.read_text(encoding="utf-8"))
    assert [d["key"] for d in data["documents"]] == ["policy", "notice"]
    assert not list(lib.root.glob("*.tmp"))


def test_several_documents_answer_with_keyed_ids(lib_config, fake_embedder):
    Library(lib_config.index_path).add(FIXTURES / "measures.zh.txt", lib_config, fake_embedder)
    engine = open_engine(lib_config, embedder=fake_embedder)
    assert isinstance(engine, LibraryEngine) and set(engine.engines) == {"policy", "measures"}
    a = engine.ask("用人单位应当自成立之日起多少日内办理社会保险登记？")
    assert not a.abstained
    assert all(c.id.startswith(c.document + " §") for c in a.citations)
    assert f"[{a.citations[0].id}]" in a.text or any(f"[{c.id}]" in a.text for c in a.citations)
    assert a.to_json()["citations"][0]["document"] in ("policy", "measures")
    assert engine.cite("measures:6.1").paragraph.id == "measures §6.1"
    assert engine.cite("measures §6.1").paragraph.text.startswith("第六条")
    with pytest.raises(CitationError, match="Say which document"):
        engine.cite("2.1")
    one = open_engine(lib_config, document="measures", embedder=fake_embedder)
    assert all(c.id.startswith("measures §") for c in one.ask("社会保险登记").citations)


def test_a_question_about_the_document_is_answered_by_each_document_or_the_one_named(lib_config, fake_embedder):
    Library(lib_config.index_path).add(FIXTURES / "measures.zh.txt", lib_config, fake_embedder)
    engine = open_engine(lib_config, embedder=fake_embedder)
    title = engine.catalog[1].title
    a = engine.ask("这份文件叫什么？")
    assert a.text.startswith("资料库中的各份文件分别如下：") and f"{title} (measures)" in a.text
    assert {c.document for c in a.citations} == {"policy", "measures"}
    assert all(f"[{c.id}]" in a.text for c in a.citations)
    one = engine.ask(f"《{title}》的标题是什么？")  # named by its title: that document alone
    assert {c.document for c in one.citations} == {"measures"} and not one.text.startswith("资料库")
    article = engine.ask("第六条是怎么规定的？")  # only one document has articles: its own answer
    assert article.citations[0].id == "measures §6.1" and not article.text.startswith("资料库")


def test_a_document_flag_bypasses_the_library(lib_config, fake_embedder):
    from dataclasses import replace

    Library(lib_config.index_path).add(FIXTURES / "measures.zh.txt", lib_config, fake_embedder)
    engine = open_engine(replace(lib_config, document=FIXTURES / "qa.zh.txt", index_dir=lib_config.index_path / "qa"),
                         embedder=fake_embedder)
    assert not isinstance(engine, LibraryEngine) and engine.doc.metadata.kind == "Q&A"


def test_another_document_gets_an_index_of_its_own_under_the_default_folder(monkeypatch, tmp_path):
    """`--document FILE` never rebuilds the bundled document's index, nor another file's."""
    monkeypatch.setattr("rag.config.default_index_dir", lambda: tmp_path / "index")
    bundled, qa, notice = Config(), Config(document=FIXTURES / "qa.zh.txt"), Config(document=FIXTURES / "notice.zh.txt")
    assert bundled.index_path == bundled.root_path == tmp_path / "index"
    assert qa.index_path.parent == notice.index_path.parent == tmp_path / "index" / "documents"
    assert qa.index_path != notice.index_path and qa.index_path.name.startswith("qa.zh.txt-")
    assert qa.feedback_path == bundled.feedback_path and qa.temp_path == bundled.temp_path
    explicit = Config(document=FIXTURES / "qa.zh.txt", index_dir=tmp_path / "mine")
    assert explicit.index_path == explicit.root_path == tmp_path / "mine"


def test_documents_are_compared_by_how_close_their_cited_text_is(fake_engine):
    """Closeness is measured on the Chinese text every document has, so an English edition or
    hand-written questions do not make one document win; support only tips a near tie."""
    from rag.document import Answer, Citation
    from rag.library import _choice

    def citing(p):
        return Answer("q", "en", "…", False, (Citation(p.id, p.section_title, p.text, 1.0),))

    para, other = fake_engine.doc.body()[3], fake_engine.doc.body()[10]
    qv = fake_engine.embedder.encode_queries([para.text])[0]
    near, far = citing(para), citing(other)
    assert fake_engine.closeness(qv, near) > fake_engine.closeness(qv, far)
    assert fake_engine.closeness(qv, near) > 0.99
    assert _choice(0.80, 0.90) > _choice(0.60, 0.999)  # closer text beats surer support
    assert _choice(0.70, 0.99) > _choice(0.70, 0.60)  # a tie goes to the surer


@pytest.fixture
def routed_library(lib_config, fake_embedder, monkeypatch):
    """Four documents, routed as a library of hundreds is: each question to the two closest."""
    import rag.library as L

    monkeypatch.setattr(L, "ROUTE_TO", 2)
    lib = Library(lib_config.index_path)
    for name in ("notice", "qa", "measures"):
        lib.add(FIXTURES / f"{name}.zh.txt", lib_config, fake_embedder)
    open_engine(lib_config, embedder=fake_embedder).ask("就业")  # builds the bundled interview's index
    return lib


def test_a_start_opens_no_document_and_a_question_only_those_it_goes_to(lib_config, fake_embedder, routed_library):
    engine = LibraryEngine.open(lib_config, embedder=fake_embedder)
    assert engine.engines.opened() == {}
    assert [e.key for e in engine.catalog] == ["policy", "notice", "qa", "measures"]
    assert all(e.title for e in engine.catalog) and set(engine.engines.opened()) <= {"policy"}  # listed untitled
    assert engine._titles("en", shown=2).endswith("; and 2 more") and "另有2份文件" in engine._titles("zh", shown=2)
    a = engine.ask("用人单位办理社会保险登记要提交哪些材料？")
    routed = engine.routed("用人单位办理社会保险登记要提交哪些材料？")
    assert len(routed) == 2 and a.citations and a.citations[0].document in routed
    assert set(engine.engines.opened()) <= set(routed) | {"policy"}


def test_the_router_is_saved_remade_when_the_library_changes_and_never_embeds(lib_config, fake_embedder,
                                                                              routed_library, monkeypatch):
    import rag.route as R

    open_engine(lib_config, embedder=fake_embedder).ask("社会保险登记")
    saved = sorted(routed_library.root.glob("router-*.npy"))
    assert len(saved) == 1
    monkeypatch.setattr(R, "_make", lambda *a: pytest.fail("a saved router was made again"))
    open_engine(lib_config, embedder=fake_embedder).ask("社会保险登记")
    monkeypatch.undo()
    import rag.library as L

    monkeypatch.setattr(L, "ROUTE_TO", 2)
    routed_library.remove("qa")
    seen, real = [], fake_embedder.encode_queries
    for name in ("encode_queries", "encode_passages"):
        monkeypatch.setattr(fake_embedder, name, lambda texts: seen.extend(texts) or real(texts))
    engine = open_engine(lib_config, embedder=fake_embedder)
    engine.ask("社会保险登记")
    # The question, and a cited list item read with its lead (Engine.closeness); no document again.
    assert 1 <= len(seen) <= 6 and "社会保险登记" in seen
    now = sorted(routed_library.root.glob("router-*.npy"))
    assert len(now) == 1 and now != saved and "qa" not in engine.routed("社会保险登记")


@pytest.mark.parametrize("question", ["", "   ", "x" * 5000])
def test_a_rejected_question_opens_one_document_at_most(lib_config, fake_embedder, routed_library, question):
    engine = LibraryEngine.open(lib_config, embedder=fake_embedder)
    a = engine.ask(question)
    assert a.message and not a.citations and len(engine.engines.opened()) <= 1


def test_concurrent_first_questions_open_each_document_once(lib_config, fake_embedder, routed_library, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    import rag.engine as E

    opened = []
    real_open = E.Engine.open.__func__

    def counting_open(cls, config, *a, **kw):
        opened.append(kw.get("key"))
        return real_open(cls, config, *a, **kw)

    monkeypatch.setattr(E.Engine, "open", classmethod(counting_open))
    engine = LibraryEngine.open(lib_config, embedder=fake_embedder)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(engine.ask, ["社会保险登记怎么办理？", "促进就业有哪些措施？"] * 8))
    assert all(a.citations for a in answers)
    assert sorted(opened) == sorted(set(opened))  # none twice


def test_a_question_calling_its_document_by_a_kind_is_asked_of_documents_of_that_kind():
    from rag.library import of_kind

    catalog = (Entry("policy", "", title="全力以赴稳就业", kind="interview"),
               Entry("aid", "a.txt", title="某市就业援助规定", kind="provisions"),
               Entry("med", "m.txt", title="关于印发《某市医疗保险办法》的通知", kind="notice"))
    keys = tuple(e.key for e in catalog)
    assert of_kind(keys, "这部规定对就业困难人员有哪些帮扶？", catalog) == ("aid",)
    assert of_kind(keys, "Under this regulation, who counts as having difficulty finding work?", catalog) == ("aid", "med")
    assert of_kind(keys, "What did the minister say in the interview about young people?", catalog) == ("policy",)
    assert of_kind(keys, "该通知什么时候施行？", catalog) == ("med",)
    assert of_kind(keys, "这份意见提了哪些措施？", catalog) == keys  # no opinion in the library: all of them
    assert of_kind(keys, "规定的工作时间是多少？", catalog) == keys  # 规定 as an everyday word
    assert of_kind(keys, "本暂行办法什么时候施行？", catalog) == ("med",)  # a kind's modifier between


def test_this_regulation_is_answered_by_the_regulation(lib_config, fake_embedder):
    Library(lib_config.index_path).add(FIXTURES / "measures.zh.txt", lib_config, fake_embedder)
    engine = open_engine(lib_config, embedder=fake_embedder)
    for q in ("本条例对养老金发放有什么规定？", "What does this regulation say about pensions?"):  # the interview's topic too
        a = engine.ask(q)
        assert a.citations and {c.document for c in a.citations} == {"measures"}, q
    assert {c.document for c in engine.ask("访谈里对养老金发放怎么说？").citations} == {"policy"}


def test_a_document_is_of_the_places_its_title_or_issuer_or_body_names():
    from rag.library import document_places
    from rag.parse import parse_text

    assert document_places(parse_text("广州市失业保险常见问题解答\n\n1.问：怎么申领？\n答：到窗口办理。")) == ("广州",)
    body = "失业保险金申领操作规程\n\n" + "\n\n".join(f"{i}. 最后参保地为深圳的，可以申领。" for i in range(1, 4))
    assert document_places(parse_text(body)) == ("深圳",)
    assert document_places(parse_text("工伤保险条例\n\n第一条 为了保障职工权益，制定本条例。")) == ()


def test_a_question_naming_places_goes_to_each_places_own_documents():
    from rag.library import by_place

    catalog = (Entry("policy", ""), Entry("gz", "gz.txt", title="广州市失业保险常见问题解答", places=("广州",)),
               Entry("sz", "sz.txt", title="失业保险金申领操作规程", places=("广东", "深圳")),
               Entry("sh", "sh.txt", title="上海市失业保险金申领发放实施办法"))  # no places listed: its title's
    assert by_place("广州和上海的失业金有什么不同？", catalog) == [("上海", ("sh",)), ("广州", ("gz",))]
    assert by_place("How do Shenzhen's rules differ from Guangzhou's?", catalog) == [("广州", ("gz",)), ("深圳", ("sz",))]
    assert by_place("在深圳怎么领失业金？", catalog) == [("深圳", ("sz",))]
    assert by_place("失业金怎么领？", catalog) == [] and by_place("北京的失业金是多少？", catalog) == []


def test_a_manifest_written_before_places_were_listed_still_reads(lib_config):
    lib = Library(lib_config.index_path)
    lib.root.mkdir(parents=True)
    lib.manifest.write_text(json.dumps({"version": 1, "documents": [{"key": "policy", "file": ""}]}), encoding="utf-8")
    assert lib.entries() == (Entry("policy", ""),)


def test_places_compared_are_answered_by_each_places_document(lib_config, fake_embedder):
    lib = Library(lib_config.index_path)
    for name in ("gzunemp.zh.txt", "shunemp.zh.txt"):
        lib.add(FIXTURES / name, lib_config, fake_embedder)
    assert [e.places for e in lib.entries()] == [(), ("广州",), ("上海",)]
    engine = open_engine(lib_config, embedder=fake_embedder)
    a = engine.ask("广州和上海的失业保险金分别怎么申领？")
    assert a.text.startswith("以下分别依据各地自己的文件回答：")
    assert {c.document for c in a.citations} == {"gzunemp", "shunemp"}
    one = engine.ask("上海的失业保险金怎么申领？")
    assert {c.document for c in one.citations} <= {"shunemp"}
    from rag.ui.views import documents_html

    assert "<td>Guangzhou</td>" in documents_html(engine, "en") and "<td>上海</td>" in documents_html(engine, "zh")


def test_a_place_whose_documents_do_not_answer_is_said_so(lib_config, fake_embedder):
    lib = Library(lib_config.index_path)
    for name in ("gzunemp.zh.txt", "shunemp.zh.txt"):
        lib.add(FIXTURES / name, lib_config, fake_embedder)
    engine = open_engine(lib_config, embedder=fake_embedder)
    a = engine.ask("广州和上海的失业保险金发放标准是每月多少元？")  # Shanghai's rules state no amount
    assert {c.document for c in a.citations} == {"gzunemp"} and "2250元" in a.text
    assert a.text.endswith("关于上海，资料库中的文件没有回答这个问题。")


_STUB_DOC = parse_text("某规定\n一、总则\n第一段。\n二、细则\n第二段。\n")


class _Stub:
    """A document that answers every question with one passage, at a closeness set by the test."""

    def __init__(self, key, closeness, refuses=False, nearness=-1.0, score=0.5):
        from types import SimpleNamespace

        self.key, self._closeness, self.refuses, self.nearness = key, closeness, refuses, nearness
        self.score = score  # None: quoted from its own structure (a named article), unranked
        self.embedder = SimpleNamespace(encode_queries=lambda qs: [[0.0]])
        self.doc, self.cited, self.used = _STUB_DOC, "§2.1", ()

    def ask(self, question, k=None, history=()):
        from rag.document import Answer, Citation

        cite = Citation(self.cited, "", f"{self.key}的条文。", self.score, used=self.used, document=self.key)
        return Answer(question, "zh", f"{self.key}的回答 [{self.cited}]", self.refuses, () if self.refuses else (cite,),
                      support=0.9, nearness=self.nearness if self.refuses else -1.0)

    def closeness(self, qv, answer):
        return self._closeness


@pytest.mark.parametrize("second, named", [(0.79, True), (0.70, False)])
def test_a_document_answering_nearly_as_well_is_named_under_the_answer(lib_config, monkeypatch, second, named):
    from types import SimpleNamespace

    engines = {"city": _Stub("city", 0.80), "state": _Stub("state", second), "other": _Stub("other", 0.9, refuses=True)}
    entries = tuple(Entry(key, f"{key}.txt", title=f"{key}的规定") for key in engines)
    monkeypatch.setattr(LibraryEngine, "catalog", property(lambda self: entries))
    library = LibraryEngine(lib_config, engines, SimpleNamespace(encode_queries=lambda qs: [[0.0]]))
    a = library.ask("失业金怎么领？")
    assert a.text.startswith("city的回答 [city §2.1]") and a.citations[0].id == "city §2.1"
    assert ("另见《state的规定》：[state §2.1]" in a.text) == named
    # Its passage is quoted where its answer quoted it: the sentence it opens with.
    engines["state"].used = ("state的条文第一句。",)
    assert ("另见《state的规定》：state的条文第一句。[state §2.1]" in library.ask("失业金怎么领？").text) == named
    assert [c.id for c in a.citations] == (["city §2.1", "state §2.1"] if named else ["city §2.1"])


@pytest.mark.parametrize("question, shown", [
    ("第十二条规定了什么？", ["leave", "wages", "injury"]),  # asked of each regulation: each one's article 12
    ("What does Article 12 say?", ["leave", "wages", "injury"]),
    ("第十二条规定的年休假怎么折算？", ["leave", "wages"]),  # of those near its topic alone
    ("Under Article 12, how is leave prorated?", ["leave", "wages"]),
])
def test_an_article_every_regulation_has_is_quoted_from_those_near_the_question(lib_config, monkeypatch, question, shown):
    from types import SimpleNamespace

    engines = {key: _Stub(key, close, score=None) for key, close in (("leave", 0.60), ("wages", 0.57), ("injury", 0.40))}
    entries = tuple(Entry(key, f"{key}.txt", title=f"{key}的规定") for key in engines)
    monkeypatch.setattr(LibraryEngine, "catalog", property(lambda self: entries))
    library = LibraryEngine(lib_config, engines, SimpleNamespace(encode_queries=lambda qs: [[0.0]]))
    assert [c.document for c in library.ask(question).citations] == shown


@pytest.mark.parametrize("near, refused", [(0.90, True), (0.82, False)])
def test_a_library_refuses_what_the_document_nearest_to_the_question_refuses(lib_config, monkeypatch, near, refused):
    from types import SimpleNamespace

    engines = {"wages": _Stub("wages", 0.80), "leave": _Stub("leave", 0.0, refuses=True, nearness=near)}
    entries = tuple(Entry(key, f"{key}.txt", title=f"{key}的规定") for key in engines)
    monkeypatch.setattr(LibraryEngine, "catalog", property(lambda self: entries))
    library = LibraryEngine(lib_config, engines, SimpleNamespace(encode_queries=lambda qs: [[0.0]]))
    a = library.ask("工作满十年，年休假有几天？")
    assert a.abstained == refused
    assert [c.id for c in a.citations] == ([] if refused else ["wages §2.1"])
    assert ("《leave的规定》没有回答" in a.text) == refused  # the refusal names the document nearest the question


def test_closeness_reads_a_numbered_item_with_the_lead_of_its_list(lib_config, fake_embedder, monkeypatch):
    from dataclasses import replace

    from rag.engine import Engine

    engine = Engine.open(replace(lib_config, document=FIXTURES / "housing.zh.txt"), embedder=fake_embedder)
    item = next(p for p in engine.doc.paragraphs if engine.doc.lead_of(p.id) is not None)
    lead = engine.doc.lead_of(item.id)
    read = []
    monkeypatch.setattr(engine, "_sentence_scores", lambda qv, lang, texts: read.extend(texts) or np.zeros(len(texts)))
    engine._closeness(np.zeros(8), [item])
    assert item.text in read and lead.text + item.text in read


def test_one_document_asked_alone_refuses_in_its_own_words(lib_config, monkeypatch):
    from types import SimpleNamespace

    from rag.library import within

    engines = {"leave": _Stub("leave", 0.0, refuses=True), "wages": _Stub("wages", 0.8)}
    entries = tuple(Entry(key, f"{key}.txt", title=f"{key}的规定") for key in engines)
    monkeypatch.setattr(LibraryEngine, "catalog", property(lambda self: entries))
    library = LibraryEngine(lib_config, engines, SimpleNamespace(encode_queries=lambda qs: [[0.0]]))
    a = within(library, "leave").ask("年休假有几天？")
    assert a.abstained and a.text == "leave的回答 [§2.1]"  # the document's own refusal, not the library's


class _Topic(_Stub):
    """A document that answers a question naming its topic, closer the more of it the question is."""

    def __init__(self, key, topic):
        super().__init__(key, 0.0)
        self.topic, self.asked = topic, []

    def ask(self, question, k=None, history=()):
        self.asked.append((question, tuple(history)))
        self.refuses = self.topic not in question
        self._closeness = 0.0 if self.refuses else len(self.topic) / len(question)
        return super().ask(question, k, history)


@pytest.fixture
def topics(lib_config, monkeypatch):
    from types import SimpleNamespace

    engines = {"leave": _Topic("leave", "年休假"), "fund": _Topic("fund", "公积金")}
    entries = tuple(Entry(key, f"{key}.txt", title=f"{key}的规定") for key in engines)
    monkeypatch.setattr(LibraryEngine, "catalog", property(lambda self: entries))
    return LibraryEngine(lib_config, engines, SimpleNamespace(encode_queries=lambda qs: [[0.0]])), engines


def test_questions_two_documents_answer_are_each_answered_by_its_own(topics):
    from rag.library import PART_NOT_COVERED

    library, engines = topics
    a = library.ask("年休假有几天？公积金怎么提取？")
    assert not a.abstained and [c.id for c in a.citations] == ["leave §2.1", "fund §2.1"]
    assert a.text.index("“年休假有几天？”\nleave的规定 (leave)\nleave的回答 [leave §2.1]") < a.text.index(
        "“公积金怎么提取？”\nfund的规定 (fund)\nfund的回答 [fund §2.1]")
    assert ("公积金怎么提取？", ("年休假有几天？",)) in engines["fund"].asked  # a follow-up of the first
    three = library.ask("年休假有几天？公积金怎么提取？外国人能领失业金吗？")
    assert three.text.rstrip().endswith(PART_NOT_COVERED["zh"]) and len(three.citations) == 2


def test_an_answer_from_the_second_text_of_a_file_is_headed_by_that_texts_title(topics):
    from tests.test_genres import LABELLED_GUIDE

    library, engines = topics
    guides = parse_text(LABELLED_GUIDE)
    step = next(p for p in guides.body() if p.part == "失业登记注销指南")
    engines["fund"].doc, engines["fund"].cited = guides, step.id
    a = library.ask("年休假有几天？公积金怎么提取？")
    assert f"“公积金怎么提取？”\n失业登记注销指南 (fund)\nfund的回答 [fund {step.id}]" in a.text
    assert "leave的规定 (leave)" in a.text  # a file of one text: its title as listed


@pytest.mark.parametrize("message", ["年休假有几天？年休假能跨年吗？", "年休假有几天？失业金领多久？", "失业金领多久？工伤怎么认定？"])
def test_a_message_one_document_or_none_answers_is_answered_as_one(topics, message):
    library, _ = topics
    a = library.ask(message)
    assert "“" not in a.text and {c.document for c in a.citations} <= {"leave"}
    assert a.abstained == ("年休假" not in message)


class _Scripted(_Stub):
    """A document that answers a question holding one of its words, as close as the word says."""

    def __init__(self, key, words):
        super().__init__(key, 0.0)
        self.words = words

    def ask(self, question, k=None, history=()):
        close = [c for word, c in self.words.items() if word in question]
        self.refuses, self._closeness = not close, max(close, default=0.0)
        return super().ask(question, k, history)


def test_a_later_question_leaning_on_the_first_is_asked_of_the_first_ones_document(lib_config, monkeypatch):
    from types import SimpleNamespace

    engines = {"leave": _Scripted("leave", {"年休假": 0.8, "跨年": 0.5}), "fund": _Scripted("fund", {"公积金": 0.8}),
               "broad": _Scripted("broad", {"跨年": 0.9, "公积金": 0.3})}
    entries = tuple(Entry(key, f"{key}.txt", title=f"{key}的规定") for key in engines)
    monkeypatch.setattr(LibraryEngine, "catalog", property(lambda self: entries))
    library = LibraryEngine(lib_config, engines, SimpleNamespace(encode_queries=lambda qs: [[0.0]]))
    a = library.ask("年休假有几天？公积金怎么提取？能跨年吗？")  # "能跨年吗？" is the leave's, though "broad" is closer
    assert [b.splitlines()[1] for b in a.text.split("\n\n")] == ["leave的规定 (leave)", "fund的规定 (fund)", "leave的规定 (leave)"]
    alone = library.ask("能跨年吗？")
    assert alone.citations[0].document == "broad"


@pytest.mark.parametrize("question, keys", [
    ("Who put out the Minimum Wage Provisions?", ("minwage",)),
    ("When were the Housing Provident Fund Regulations adopted?", ("housing",)),
    ("《最低工资规定》是哪天公布的？", ("minwage",)),
    ("When was the Labour Contract Law adopted?", ()),  # in no title of the library
])
def test_a_document_is_named_by_its_title_or_its_english_name(question, keys):
    from rag.library import named

    catalog = (Entry("minwage", "minwage.txt", title="最低工资规定"), Entry("housing", "housing.txt", title="住房公积金管理条例"),
               Entry("injury", "injury.txt", title="工伤保险条例"))
    assert named(question, catalog) == keys
