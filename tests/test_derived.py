"""What a start reads instead of recomputing (rag.index.derived): BM25 tokens, the bridge, the
off-topic prototypes; remade when stale, and a read-only index is served all the same."""

import json

import numpy as np
import pytest

from rag.embed import QueryMemo
from rag.engine import Engine
from rag.index.derived import remembered_json, remembered_vectors
from rag.lexical import BM25


def _build_folder(engine):
    return engine.loaded.path


def test_a_second_start_reads_the_saved_tokens_instead_of_cutting_them(config, fake_embedder, monkeypatch):
    first = Engine.open(config, embedder=fake_embedder)
    saved = _build_folder(first)
    assert (saved / "terms.json").exists() and (saved / "offtopic.json").exists()

    def no_cutting(doc):
        raise AssertionError("tokens were cut again")

    monkeypatch.setattr("rag.engine.token_lists", no_cutting)
    again = Engine.open(config, embedder=fake_embedder)
    q = "养老金能按时足额发放吗？"
    assert [c.id for c in again.ask(q).citations] == [c.id for c in first.ask(q).citations]
    assert again.retriever.lexical.zh.idf == first.retriever.lexical.zh.idf
    assert len(again.retriever.bridge) == len(first.retriever.bridge) > 0


def test_stale_or_broken_saved_data_is_made_again(tmp_path):
    path = tmp_path / "terms.json"
    assert remembered_json(path, "k1", lambda: {"a": 1}) == {"a": 1}
    assert remembered_json(path, "k1", lambda: pytest.fail("should be read")) == {"a": 1}
    assert remembered_json(path, "k2", lambda: {"a": 2}) == {"a": 2}  # another key: made again
    path.write_text("{not json", encoding="utf-8")
    assert remembered_json(path, "k2", lambda: {"a": 3}) == {"a": 3}
    assert json.loads(path.read_text(encoding="utf-8"))["key"] == "k2"
    assert [p.name for p in tmp_path.iterdir()] == ["terms.json"]  # no scratch files left


def test_an_unwritable_folder_is_served_without_saving(tmp_path, monkeypatch):
    def refuse(*args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("rag.index.derived.os.replace", refuse)  # as on a read-only index
    assert remembered_json(tmp_path / "t.json", "k", lambda: {"a": 1}) == {"a": 1}
    assert list(tmp_path.iterdir()) == []  # neither the file nor a scratch copy


def test_vectors_are_saved_per_model_and_texts(tmp_path):
    calls = []

    def encode(texts):
        calls.append(list(texts))
        return np.ones((len(texts), 4), dtype=np.float32)

    a = remembered_vectors(tmp_path, "bg", "model-a", ["x", "y"], encode)
    b = remembered_vectors(tmp_path, "bg", "model-a", ["x", "y"], encode)
    remembered_vectors(tmp_path, "bg", "model-b", ["x", "y"], encode)
    remembered_vectors(tmp_path, "bg", "model-a", ["x", "z"], encode)
    assert np.array_equal(a, b) and len(calls) == 3


def test_vectors_for_a_build_removed_meanwhile_do_not_make_its_folder_again(tmp_path):
    build = tmp_path / "builds" / "old"
    build.mkdir(parents=True)

    def encode(texts):  # slow, as the second model is: another process's build replaces this one
        build.rmdir()
        return np.ones((len(texts), 4), dtype=np.float32)

    assert remembered_vectors(build, "second", "m", ["x"], encode).shape == (1, 4)
    assert not build.exists()


def test_the_query_memo_encodes_a_repeated_question_once(fake_embedder):
    counted = []
    inner = fake_embedder

    class Counting:
        model_id, dim = inner.model_id, inner.dim

        def encode_queries(self, texts):
            counted.append(tuple(texts))
            return inner.encode_queries(texts)

        encode_passages = encode_queries

    memo = QueryMemo(Counting(), size=2)
    first = memo.encode_queries(["养老金"])
    assert np.array_equal(memo.encode_queries(["养老金"]), first) and len(counted) == 1
    assert not first.flags.writeable  # shared between callers: nobody may change it
    memo.encode_queries(["a"]), memo.encode_queries(["b"])  # the oldest is dropped
    memo.encode_queries(["养老金"])
    memo.encode_queries(["a", "b"])  # several texts are not remembered
    assert len(counted) == 5


@pytest.mark.parametrize("docs", [[], [[]], [["a"], [], ["a", "b", "a"]], [["x"] * 5, ["y"], ["x", "y", "z"]]])
def test_bm25_matches_the_okapi_formula(docs):
    import math

    bm = BM25(docs)
    n = len(docs)
    avg = (sum(map(len, docs)) / n if n and sum(map(len, docs)) else 1.0)
    for term in {t for d in docs for t in d}:
        df = sum(term in d for d in docs)
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        want = [idf * d.count(term) * 2.2 / (d.count(term) + 1.2 * (0.25 + 0.75 * len(d) / avg)) for d in docs]
        assert np.allclose(bm.scores([term]), want, atol=1e-5)
    assert bm.scores(["absent"]).tolist() == [0.0] * n


@pytest.mark.parametrize("text", [
    "用人单位应当为劳动者缴纳社会保险费。",  # the lexicon's own text
    "社会保险费由用人单位缴纳吗？",  # its characters, in another order
    "2025年GDP增长5%，A股和T恤",  # digits and Latin letters
    "包饺子的时候社会保险怎么办",  # characters the lexicon lacks: cut with jieba's whole dictionary
    "",
])
def test_a_lexicon_of_the_documents_characters_cuts_as_jieba_does(text, monkeypatch):
    from rag import text as T

    monkeypatch.setattr(T, "_LEXICON", [])
    want = T.zh_tokens(text)
    chars = T.lexicon_chars(["用人单位应当为劳动者缴纳社会保险费。年增长"])
    lexicon = T.lexicon_for(chars)
    assert 0 < len(lexicon["freqs"]) < len(T._jieba().dt.FREQ) / 5
    T.use_lexicon(chars, lexicon)
    assert T.zh_tokens(text) == want
    inside = chars.issuperset(T._JIEBA_BLOCK.findall(T.normalize(text)))
    assert (T._cutter(T.normalize(text)) is not T._jieba().dt) == inside


def test_the_library_saves_its_lexicon_and_questions_use_it(config, fake_embedder, monkeypatch):
    from rag import text as T
    from rag.library import open_engine

    monkeypatch.setattr(T, "_LEXICON", [])
    engine = open_engine(config, embedder=fake_embedder)
    saved = json.loads((config.index_path / "lexicon.json").read_text(encoding="utf-8"))
    assert saved["key"] and T._LEXICON
    assert T._cutter("养老金能按时足额发放吗") is T._LEXICON[0][1]
    assert engine.ask("养老金能按时足额发放吗？").citations


def test_the_parsed_document_is_saved_and_read_again_until_the_file_changes(tmp_path, monkeypatch):
    from rag.engine import saved_document

    source = tmp_path / "notice.zh.txt"
    source.write_text("关于做好就业工作的通知\n\n一、总体要求\n\n稳就业是头等大事。\n\n二、主要措施\n\n加大补贴力度。\n",
                      encoding="utf-8")
    first = saved_document(source, tmp_path / "index")
    assert (tmp_path / "index" / "document.json").exists()

    def no_parsing(path):
        raise AssertionError("parsed again")

    monkeypatch.setattr("rag.parse.read_document", no_parsing)
    again = saved_document(source, tmp_path / "index")
    assert again == first and again.paragraphs == first.paragraphs and again.get("§2.1") is not None
    source.write_text(source.read_text(encoding="utf-8") + "\n三、保障\n\n落实责任。\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="parsed again"):
        saved_document(source, tmp_path / "index")  # a changed file is parsed again


def test_an_oversized_file_is_refused_before_it_is_read_for_its_hash(tmp_path, monkeypatch):
    from pathlib import Path

    from rag.engine import saved_document
    from rag.errors import ParseError

    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(21 * 2**20)  # sparse: 21 MiB on paper

    def no_reading(self):
        raise AssertionError("read whole")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    with pytest.raises(ParseError, match="limit"):
        saved_document(big, tmp_path / "index")


def test_a_document_without_an_edition_saves_its_words_vectors_once(config, fake_embedder, tmp_path, monkeypatch):
    from dataclasses import replace

    doc = tmp_path / "pilot.zh.txt"
    doc.write_text("培训补贴办法\n第一条 参加失业保险的职工可以申领技能提升补贴。\n第二条 补贴按月发放。\n"
                   "第三条 本办法自发布之日起施行。\n", encoding="utf-8")
    own = replace(config, document=doc, english=None, index_dir=tmp_path / "index")
    first = Engine.open(own, embedder=fake_embedder)
    assert first.retriever.words is not None and "补贴" in first.retriever.words.words
    assert list(first.loaded.path.glob("words-*.npy"))
    monkeypatch.setattr(fake_embedder, "encode_queries", _counting(fake_embedder.encode_queries, calls := []))
    again = Engine.open(own, embedder=fake_embedder)
    assert again.retriever.words.words == first.retriever.words.words
    assert not any(len(texts) == len(first.retriever.words.words) for texts in calls)  # read, not encoded
    # The bundled document has its own glossary: its English questions are bridged by that.
    assert Engine.open(config, embedder=fake_embedder).retriever.words is None


def test_the_words_english_is_saved_apart_and_read_at_the_first_english_question(config, fake_embedder, tmp_path,
                                                                                 monkeypatch):
    from dataclasses import replace

    doc = tmp_path / "pilot.zh.txt"
    doc.write_text("公积金管理办法\n第一条 住房公积金按照国家规定的利率计息。\n第二条 单位应当按时足额缴存。\n", encoding="utf-8")
    own = replace(config, document=doc, english=None, index_dir=tmp_path / "index")
    first = Engine.open(own, embedder=fake_embedder)
    (saved,) = first.loaded.path.glob("gloss-*.json")
    assert "interest" in json.loads(saved.read_text(encoding="utf-8"))["利率"]
    assert "gloss" not in json.loads((first.loaded.path / "terms.json").read_text(encoding="utf-8"))["data"]

    def no_making(lists):
        raise AssertionError("the glosses were made again")

    monkeypatch.setattr("rag.engine.glosses_for", no_making)
    again = Engine.open(own, embedder=fake_embedder)
    assert "gloss" not in again.retriever.lexical.__dict__  # a start does not read them
    assert again.retrieve("Does the fund earn interest?", "en", 2).hits[0].paragraph.id == "§1.1"
    assert again.retriever.lexical.gloss is not None
    saved.unlink()  # gone, or never saved on a read-only index: made when needed
    monkeypatch.undo()
    assert Engine.open(own, embedder=fake_embedder).retriever.lexical.gloss is not None
    saved.write_text("[1, 2]", encoding="utf-8")  # broken: made again
    assert Engine.open(own, embedder=fake_embedder).retriever.lexical.gloss is not None


def _counting(encode, calls):
    def wrapped(texts):
        calls.append(list(texts))
        return encode(texts)
    return wrapped


@pytest.mark.slow
def test_a_start_with_a_saved_parse_does_not_load_the_parser(tmp_path):
    import subprocess
    import sys

    code = ("import sys; from rag.config import Config; from rag.engine import Engine; "
            f"e = Engine.open(Config(index_dir={str(tmp_path)!r})); e.ask('养老金能按时足额发放吗？'); "
            "print('rag.parse' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
            for _ in range(2)]
    assert runs == [["True"], ["False"]]  # the first start builds, and reads the file; the second does not
