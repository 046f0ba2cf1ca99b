"""English questions searched in Chinese too: what rendering them costs, and what it changes.

For each document of bench/documents.py, each English question is rendered in Chinese by the
local model (rag.translate.translate_question) and searched both ways. Prints, per language
group of documents, the ranking's Recall@1 and Recall@3 of the in-scope questions with the
English question alone and with its rendering too (ranking only: the whole pipeline, refusals
included, is `RAG_GENERATOR=llama RAG_LLM_MODEL=… RAG_TRANSLATE=0 python bench/documents.py`),
the share of renderings used, and the median seconds a rendering takes against the median
seconds of the whole answer without it (the floor, measured in the same run).

    python bench/question_translation.py [--model qwen2.5-coder-1.5b] [--only KEY ...] [--keep DIR]

Needs the model installed (python -m rag.models NAME) and llama-cpp-python (scripts/setup --llm).
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
import time
from pathlib import Path

import numpy as np

from _common import machine
from documents import PAIRS, ROOT
from rag import evaluate as ev
from rag.config import Config
from rag.engine import Engine
from rag.generator import GeneratorError, load_generator
from rag.text import squash
from rag.translate import _question_in_chinese


def found_at(engine: Engine, question: str, also: str, gold: list[str]) -> int | None:
    hits = engine.retriever.search(question, "en", 3, also=also).hits
    ranks = [i for i, h in enumerate(hits) if any(g in squash(h.paragraph.text) for g in gold)]
    return ranks[0] if ranks else None


def rows_for(engine: Engine, questions: Path, model) -> list[dict]:
    out = []
    for it in ev.read_items(questions):
        if it.lang != "en" or it.kind == "oos" or not it.gold:
            continue
        t = time.monotonic()
        try:  # not the cache: each rendering timed
            zh = _question_in_chinese.__wrapped__(it.question, model, 60.0)
        except GeneratorError:
            zh = ""
        rendering = time.monotonic() - t
        gold = [squash(g) for g in it.gold]
        t = time.monotonic()
        engine.ask(it.question)  # the floor: the whole answer, without a rendering
        answer = time.monotonic() - t
        out.append({"alone": found_at(engine, it.question, "", gold), "both": found_at(engine, it.question, zh, gold),
                    "used": bool(zh), "rendering": rendering, "answer": answer})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="qwen2.5-coder-1.5b")
    ap.add_argument("--only", nargs="+", default=(), metavar="KEY")
    ap.add_argument("--keep", default="", metavar="DIR", help="build the indexes in DIR and reuse them")
    args = ap.parse_args()
    model = load_generator(Config(generator="llama", llm_model=args.model))
    print(machine(), "\n")
    print("| document | n | R@1 alone → both | R@3 alone → both | renderings used | s a rendering | s an answer without it |")
    print("|---|---|---|---|---|---|---|")
    every = []
    with contextlib.nullcontext(args.keep) if args.keep else tempfile.TemporaryDirectory() as tmp:
        for name, (doc, questions) in PAIRS.items():
            key = name.split()[0]
            if args.only and key not in args.only:
                continue
            engine = Engine.open(Config.from_env(document=str(ROOT / doc), index_dir=str(Path(tmp) / Path(doc).stem),
                                                 generator="", judge=False))
            rows = rows_for(engine, ROOT / questions, model)
            every.append(rows)
            at = lambda k, n: np.mean([r[k] is not None and r[k] < n for r in rows])  # noqa: E731
            print(f"| {key} | {len(rows)} | {at('alone', 1):.2f} → {at('both', 1):.2f} | {at('alone', 3):.2f} → "
                  f"{at('both', 3):.2f} | {np.mean([r['used'] for r in rows]):.2f} | "
                  f"{np.median([r['rendering'] for r in rows]):.2f} | {np.median([r['answer'] for r in rows]):.3f} |")
    mean = lambda f: np.mean([f(rows) for rows in every])  # noqa: E731  (documents weigh the same)
    at = lambda k, n: mean(lambda rows: np.mean([r[k] is not None and r[k] < n for r in rows]))  # noqa: E731
    flat = [r for rows in every for r in rows]
    print(f"\nmean of {len(every)} documents: Recall@1 {at('alone', 1):.3f} → {at('both', 1):.3f}, "
          f"Recall@3 {at('alone', 3):.3f} → {at('both', 3):.3f}; renderings used "
          f"{np.mean([r['used'] for r in flat]):.2f}; median s a rendering {np.median([r['rendering'] for r in flat]):.2f}, "
          f"an answer without it (the floor) {np.median([r['answer'] for r in flat]):.3f}")


if __name__ == "__main__":
    main()
