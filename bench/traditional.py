"""Questions typed in traditional characters, against the simplified bundled document.

Takes the Chinese questions of the evaluation files, converts them to traditional script
with OpenCC, and scores the pipeline twice: as it runs (the question converted back to the
document's script) and with that conversion switched off.

    .venv/bin/python bench/traditional.py [FILE.jsonl ...]

Defaults: eval/*.jsonl and ../shared/eval/dev.jsonl where present. Prints figures, never asserts.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from rag.config import Config
from rag.engine import Engine
from rag.evaluate import engine_system, format_table, read_items, score
from rag.text import in_script

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import eval_files  # noqa: E402


def main(paths: list[str]) -> None:
    paths = paths or eval_files()
    items = [dataclasses.replace(it, question=in_script(it.question, traditional=True))
             for path in paths for it in read_items(path) if it.lang == "zh"]
    engine = Engine.open(Config.from_env())
    rows = [score("converted to the document's script", engine_system(engine), items, engine.doc)]
    engine.traditional = True  # read questions as traditional: no conversion for these
    rows.append(score("not converted", engine_system(engine), items, engine.doc))
    print(f"{len(items)} Chinese questions in traditional script, from: {', '.join(Path(p).name for p in paths)}")
    print(format_table(rows))


if __name__ == "__main__":
    main(sys.argv[1:])
