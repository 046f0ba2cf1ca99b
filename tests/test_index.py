"""The index on disk: round trip, staleness, atomic writes, and broken files."""

import json
import logging
import os
import sqlite3
from dataclasses import replace

import pytest

from rag import index as index_mod
from rag.engine import Engine, build_index, load_document
from rag.errors import IndexStateError
from tests.conftest import FakeEmbedder


def current_build(root):
    return root / "builds" / (root / "CURRENT").read_text().strip()


def test_round_trip(config, fake_embedder):
    doc = load_document(config)
    built = build_index(config, force=True, embedder=fake_embedder)
    loaded = index_mod.load(config.index_path)
    assert loaded.manifest == built.manifest
    assert list(loaded.units) == list(built.units)
    assert loaded.index.ntotal == len(loaded.units) == loaded.manifest.count
    m = loaded.manifest
    assert (m.model, m.dim, m.document_sha256) == ("fake-bigram-64", 64, doc.sha256)
    assert m.format_version == index_mod.FORMAT_VERSION and m.built_at and m.parser_version
    raw = json.loads((current_build(config.index_path) / "manifest.json").read_text())
    assert set(raw) >= {"format_version", "model", "dim", "document_sha256", "parser_version", "built_at"}
    # The questions a paragraph answers are indexed beside its text, marked as such.
    asked = [u for u in loaded.units if u.kind == "question"]
    assert asked and all(u.text in doc.get(u.pid).questions_zh + doc.get(u.pid).questions_en for u in asked)
    assert loaded.units.rows_of(asked[0].lang, [asked[0].text]) == [None]  # not the document's text


def test_missing_index_is_built_and_logged(config, fake_embedder, caplog):
    with caplog.at_level(logging.INFO, logger="rag.engine"):
        Engine.open(config, embedder=fake_embedder)
    assert [r.message for r in caplog.records if "building the index" in r.message]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]  # a first build is not a fault
    assert (config.index_path / "CURRENT").exists()


def test_current_index_is_reused(config, fake_embedder, caplog):
    Engine.open(config, embedder=fake_embedder)
    first = current_build(config.index_path)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="rag.engine"):
        Engine.open(config, embedder=fake_embedder)
    assert current_build(config.index_path) == first
    assert not [r for r in caplog.records if "rebuilding" in r.message]


def test_changed_document_is_detected(config, fake_embedder, tmp_path, caplog):
    Engine.open(config, embedder=fake_embedder)
    changed = tmp_path / "changed.txt"
    changed.write_text(config.document.read_text(encoding="utf-8") + "\n\n新的段落。\n", encoding="utf-8")
    cfg = replace(config, document=changed)
    with pytest.raises(IndexStateError, match="document changed.*rag build"):
        Engine.open(replace(cfg, rebuild=False), embedder=fake_embedder)
    with caplog.at_level(logging.WARNING, logger="rag.engine"):
        Engine.open(cfg, embedder=fake_embedder)
    assert any("the document changed" in r.message for r in caplog.records)


def test_changed_model_is_detected(config, fake_embedder):
    Engine.open(config, embedder=fake_embedder)
    with pytest.raises(IndexStateError, match="model changed"):
        Engine.open(replace(config, rebuild=False), embedder=FakeEmbedder("another-model"))


def test_crash_mid_write_leaves_old_index(config, fake_embedder, monkeypatch):
    Engine.open(config, embedder=fake_embedder)
    before = current_build(config.index_path)

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("rag.index.manifest._fsync", boom)
    with pytest.raises(IndexStateError, match="Cannot write the index"):
        build_index(config, force=True, embedder=fake_embedder)
    monkeypatch.undo()
    assert current_build(config.index_path) == before
    loaded = index_mod.load(config.index_path)
    assert loaded.index.ntotal == loaded.manifest.count


@pytest.mark.parametrize("damage", ["truncate_faiss", "garbage_manifest", "drop_unit", "missing_current", "bad_pointer"])
def test_broken_files_are_rebuilt(config, fake_embedder, damage, caplog):
    Engine.open(config, embedder=fake_embedder)
    build = current_build(config.index_path)
    if damage == "truncate_faiss":
        data = (build / "vectors.faiss").read_bytes()
        (build / "vectors.faiss").write_bytes(data[: len(data) // 3])
    elif damage == "garbage_manifest":
        (build / "manifest.json").write_text("{not json")
    elif damage == "drop_unit":
        with sqlite3.connect(build / "units.sqlite") as db:
            db.execute("DELETE FROM units WHERE id = (SELECT max(id) FROM units)")
    elif damage == "missing_current":
        (config.index_path / "CURRENT").unlink()
    elif damage == "bad_pointer":
        (config.index_path / "CURRENT").write_text("../../etc\n")
    caplog.clear()
    with pytest.raises(IndexStateError, match="rag build"):
        Engine.open(replace(config, rebuild=False), embedder=fake_embedder)
    with caplog.at_level(logging.WARNING, logger="rag.engine"):
        engine = Engine.open(config, embedder=fake_embedder)
    assert any("rebuilding" in r.message for r in caplog.records)
    assert engine.ask("养老金能按时足额发放吗？").citations


def test_manifest_with_other_dimension(config, fake_embedder):
    Engine.open(config, embedder=fake_embedder)
    path = current_build(config.index_path) / "manifest.json"
    m = json.loads(path.read_text())
    m["dim"] = 512
    path.write_text(json.dumps(m))
    with pytest.raises(IndexStateError):
        Engine.open(replace(config, rebuild=False), embedder=fake_embedder)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_folder_gives_clear_error(config, fake_embedder):
    config.index_path.mkdir(parents=True)
    config.index_path.chmod(0o500)
    try:
        with pytest.raises(IndexStateError, match="writable"):
            Engine.open(config, embedder=fake_embedder)
    finally:
        config.index_path.chmod(0o700)


def test_old_builds_are_removed(config, fake_embedder):
    for _ in range(3):
        build_index(config, force=True, embedder=fake_embedder)
    assert len(list((config.index_path / "builds").iterdir())) == 1


def test_bm25_shares_weigh_rare_words():
    from rag.lexical import BM25

    bm = BM25([["social", "insur", "social", "insur"], ["social", "insur", "actuari"], ["wage"]])
    s = bm.shares(["actuari", "social", "insur"])
    assert s[1] == pytest.approx(1.0) and 0 < s[0] < 0.6 and s[2] == 0
    assert bm.shares([]).tolist() == [0, 0, 0]
