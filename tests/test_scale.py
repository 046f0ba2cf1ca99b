"""The approximate index and the streamed unit store, on small synthetic data (no timings).

bench/scale.py measures the same code at a million vectors; these tests check that it is
correct: the index type switches at FLAT_LIMIT, survives a save/load round trip through
memory mapping with its search parameters, and keeps recall against exact search.
"""

import numpy as np
import pytest

from rag import index as index_mod
from rag.engine import Engine
from rag.index import Manifest, Unit


def structured(n: int, dim: int = 64, bases: int = 300, seed: int = 0) -> np.ndarray:
    """Convex mixtures of a few base directions plus noise: clustered like real embeddings.
    (Uniform random vectors have no neighbours worth finding.)"""
    rng = np.random.default_rng(seed)
    base = rng.standard_normal((bases, dim)).astype(np.float32)
    pick = rng.integers(0, bases, size=(n, 2))
    w = rng.dirichlet([1.0, 1.0], size=n).astype(np.float32)
    x = (base[pick] * w[:, :, None]).sum(1) + 0.05 * rng.standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


class TableEmbedder:
    """Looks a unit's vector up by its text ("v<row>")."""

    model_id, dim = "table", 64

    def __init__(self, vectors: np.ndarray):
        self.vectors = vectors

    def encode_passages(self, texts):
        return self.vectors[[int(t[1:]) for t in texts]]

    encode_queries = encode_passages


def exact_top(x: np.ndarray, q: np.ndarray, k: int) -> np.ndarray:
    return np.argsort(-(q @ x.T), axis=1)[:, :k]


def test_small_corpus_gets_exact_index():
    x = structured(500)
    assert type(index_mod.make_index(x)).__name__ == "IndexFlatIP"


def test_large_corpus_gets_ivf_with_recall_and_survives_mmap_round_trip(tmp_path, monkeypatch):
    monkeypatch.setattr("rag.index.vectors.FLAT_LIMIT", 2_000)
    data = structured(20_200)
    x, q = data[:20_000], data[20_000:]  # held-out queries from the same distribution
    units = (Unit(f"§{i // 4}.{i % 4}", "zh" if i % 2 else "en", f"v{i}") for i in range(len(x)))
    want = Manifest(index_mod.FORMAT_VERSION, "table", 64, "doc", "", "p", "", 0, "")
    built = index_mod.build_units(units, TableEmbedder(x), tmp_path / "index", want, total=len(x), progress=False)
    assert built.manifest.index_type == "IndexIVFScalarQuantizer"
    assert built.manifest.search_params.startswith("nprobe=")
    assert not list((built.path).glob("*.tmp")), "the scratch vector file is removed"

    loaded = index_mod.load(tmp_path / "index")
    assert loaded.manifest == built.manifest
    assert f"nprobe={loaded.index.nprobe}" == loaded.manifest.search_params
    assert loaded.index.ntotal == len(loaded.units) == 20_000

    _, found = loaded.index.search(q, 10)
    assert index_mod.recall_at(found, exact_top(x, q, 10)) >= 0.9

    # Units come back by vector id, texts on demand, and (lang, text) lookups find their row.
    assert loaded.units[5] == Unit("§1.1", "zh", "v5")
    assert loaded.units[-1] == Unit("§4999.3", "zh", "v19999")
    assert [u.text for u in loaded.units] == [f"v{i}" for i in range(len(x))]  # read in batches, in id order
    assert loaded.units.rows_of("zh", ["v7", "v8", "nope"]) == [7, None, None]
    assert loaded.units.rows_of("en", ["v8"]) == [8]
    assert loaded.units.paragraph_ids()[:2] == ("§0.0", "§0.1")
    np.testing.assert_allclose(loaded.index.reconstruct(42), x[42], atol=0.05)


def test_engine_answers_from_an_ivf_index(config, fake_embedder, monkeypatch):
    monkeypatch.setattr("rag.index.vectors.FLAT_LIMIT", 50)
    engine = Engine.open(config, embedder=fake_embedder)
    assert engine.loaded.manifest.index_type == "IndexIVFScalarQuantizer"
    again = Engine.open(config, embedder=fake_embedder)
    a = again.ask("养老金能按时足额发放吗？")
    assert a.citations and not a.abstained


def test_units_stream_in_paragraph_order_of_first_appearance(tmp_path):
    x = structured(6)
    units = [Unit("§2.1", "zh", "v0"), Unit("§1.1", "en", "v1"), Unit("§2.1", "en", "v2")]
    want = Manifest(index_mod.FORMAT_VERSION, "table", 64, "doc", "", "p", "", 0, "")
    index_mod.build_units(units, TableEmbedder(x), tmp_path / "i", want, progress=False)
    store = index_mod.load(tmp_path / "i").units
    assert list(store) == units
    assert store.paragraph_ids() == ("§2.1", "§1.1")
    assert store.paragraph_positions(["§1.1", "§2.1"]).tolist() == [1, 0, 1]


def test_index_with_paragraphs_the_document_lacks_is_refused(tmp_path):
    units = [Unit("§9.9", "zh", "v0")]
    want = Manifest(index_mod.FORMAT_VERSION, "table", 64, "doc", "", "p", "", 0, "")
    index_mod.build_units(units, TableEmbedder(structured(1)), tmp_path / "i", want, progress=False)
    with pytest.raises(index_mod.IndexStateError, match="rag build"):
        index_mod.load(tmp_path / "i").units.paragraph_positions(["§1.1"])
