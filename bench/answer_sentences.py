"""Do the answer's quoted sentences come from a paragraph that answers the question, and
are they the sentences that answer it?

Retrieval figures (`rag eval`) judge the citations; this judges the answer text. Over the
in-scope questions that get an answer, it reports the share whose first quoted sentence
comes from a gold paragraph, the share whose quoted sentences all do, and the mean number
of sentences quoted, for each value of `rag.answer.GAP_WEIGHT` given (the weight of a
paragraph's retrieval score below the top one in choosing sentences).

At the sentence level, a gold sentence is one holding a gold substring (for an English
answer, the English sentence aligned with such a Chinese one: by position where the two
renderings have as many sentences, else by the model's cosine). It reports the share of
answers that quote a gold sentence, and the share of all quoted sentences that are gold:
the gold substrings mark the shortest distinctive phrase, so the second is a lower bound.

    .venv/bin/python bench/answer_sentences.py [--gap 0 0.5 1.0] [FILE.jsonl ...]
    .venv/bin/python bench/answer_sentences.py --document tests/fixtures/docs/housing.zh.txt eval/fixtures/housing.jsonl

Defaults: the current weight, over eval/*.jsonl and ../shared/eval/dev.jsonl where present.
Prints figures, never asserts.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

import rag.answer as answer
from rag.config import Config
from rag.engine import Engine
from rag.evaluate import read_items
from rag.text import squash as _squash
from rag.text import split_sentences

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, eval_files  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="*")
    ap.add_argument("--gap", type=float, nargs="*", default=[answer.GAP_WEIGHT])
    ap.add_argument("--document", help="another document (its questions as FILES), indexed in a scratch folder")
    args = ap.parse_args()
    files = args.files or eval_files()
    scratch = tempfile.TemporaryDirectory()
    engine = Engine.open(Config.from_env(document=args.document, index_dir=scratch.name) if args.document
                         else Config.from_env())
    texts = {p.id: _squash(p.text) for p in engine.doc.paragraphs}
    items = [it for f in files for it in read_items(f) if it.kind != "oos" and it.gold]
    gold = {it.id: {pid for pid, t in texts.items() if any(_squash(g) in t for g in it.gold)} for it in items}
    aligned = align(engine)
    print(f"files: {', '.join(os.path.relpath(f, ROOT) for f in files)}")
    print("| GAP_WEIGHT | answered | first sentence from a gold paragraph | all sentences from gold paragraphs "
          "| a gold sentence quoted | quoted sentences that are gold | sentences per answer |")
    print("|---|---|---|---|---|---|---|")
    for w in args.gap:
        answer.GAP_WEIGHT = w
        first = every = n = sentences = quoted_gold = gold_sentences = 0
        for it in items:
            a = engine.ask(it.question)
            # A list's lead quoted before its item is context (score None), not the answer.
            context = {c.id for c in a.citations if c.score is None}
            cited = [c for c in re.findall(r"\[(§[\d.]+)\]", a.text) if c not in context]
            if a.abstained or not cited:
                continue
            n += 1
            first += cited[0] in gold[it.id]
            every += all(c in gold[it.id] for c in cited)
            sentences += len(cited)
            hits = [any(_squash(g) in _squash(aligned[c.id].get(s, s)) for g in it.gold) for c in a.citations for s in c.used]
            quoted_gold += any(hits)
            gold_sentences += sum(hits)
        print(f"| {w:g} | {n} | {first / n:.3f} | {every / n:.3f} | {quoted_gold / n:.3f} | "
              f"{gold_sentences / sentences:.3f} | {sentences / n:.2f} |")


def align(engine: Engine) -> dict[str, dict[str, str]]:
    """For each paragraph, its English sentences -> the Chinese sentence each renders."""
    out: dict[str, dict[str, str]] = {}
    for p in engine.doc.paragraphs:
        zh, en = split_sentences(p.text), split_sentences(p.en) if p.en else []
        if len(zh) == len(en):
            out[p.id] = dict(zip(en, zh))
        elif en:
            sims = engine.embedder.encode_passages(en) @ engine.embedder.encode_passages(zh).T
            out[p.id] = {s: zh[int(sims[i].argmax())] for i, s in enumerate(en)}
        else:
            out[p.id] = {}
    return out


if __name__ == "__main__":
    sys.exit(main())
