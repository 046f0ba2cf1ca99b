"""Files a build writes a line at a time (a machine edition, a document's written questions):
one JSON object a line, so an interrupted build resumes where it stopped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable


def read_rows(path: Path, keep: Callable[[dict], bool]) -> list[dict]:
    """The file's objects that `keep` accepts; a line cut by an interruption is skipped (its
    work is done again)."""
    return _rows(path.read_text(encoding="utf-8").splitlines(), keep) if path.exists() else []


def resume(path: Path, keep: Callable[[dict], bool]) -> list[dict]:
    """The rows done so far, the file rewritten with only those when a line of it was cut or
    refused, so that appending starts on a new line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = _rows(lines, keep)
    if len(rows) != len(lines):
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return rows


def _rows(lines: list[str], keep: Callable[[dict], bool]) -> list[dict]:
    rows = []
    for line in lines:
        try:
            row = json.loads(line)
        except ValueError:
            continue
        if isinstance(row, dict) and keep(row):
            rows.append(row)
    return rows
