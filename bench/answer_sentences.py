"""Do the answer's quoted sentences come from a paragraph that answers the question, and
are they the sentences that answer it?

Retrieval figures (`rag eval`) judge the citations; this judges the answer text. Over the
in-scope questions that get an answer, it reports the share whose first quoted sentence
comes from a gold paragraph, the share whose quoted sentences all do, and the mean number
of sentences quoted, for each value of `rag.answer.GAP_WEIGHT` given (the weight of a
paragraph's retrieval score below the top one in choosing sentences) and of `rag.answer.WINDOW`
(how near the best sentence's score another must come to be quoted too).

At the sentence level, a gold sentence is one holding a gold substring (for an English
answer, the English sentence aligned with such a Chinese one: by position where the two
renderings have as many sentences, else by the model's cosine). It reports the share of
answers that quote a gold sentence, and the share of all quoted sentences that are gold:
the gold substrings mark the shortest distinctive phrase, so the second is a lower bound.

    .venv/bin/python bench/answer_sentences.py [--gap 0 0.5 1.0] [FILE.jsonl ...]
    .venv/bin/python bench/answer_sentences.py --document tests/fixtures/docs/housing.zh.txt eval/fixtures/housing.jsonl
    .venv/bin/python bench/answer_sentences.py --fixtures [KEY ...] --gap 1 2 --window 0.12 0.06

Defaults: the current weight, over eval/*.jsonl and ../shared/eval/dev.jsonl where present.
Prints figures, never asserts.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from collections import Counter
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
    ap.add_argument("--window", type=float, nargs="*", default=[answer.WINDOW],
                    help="how near the best sentence's score another must come to be quoted (rag.answer.WINDOW)")
    ap.add_argument("--document", help="another document (its questions as FILES), indexed in a scratch folder")
    ap.add_argument("--fixtures", nargs="*", metavar="KEY",
                    help="the fixture documents of bench/documents.py with their questions (none named: all), pooled")
    args = ap.parse_args()
    scratch = tempfile.TemporaryDirectory()
    if args.fixtures is not None:
        from documents import PAIRS

        pairs = [(ROOT / doc, [ROOT / qs]) for name, (doc, qs) in PAIRS.items()
                 if not args.fixtures or name.split()[0] in args.fixtures]
        print(f"documents: {', '.join(doc.stem for doc, _ in pairs)}")
    else:
        pairs = [(args.document, args.files or eval_files())]
        print(f"files: {', '.join(os.path.relpath(f, ROOT) for f in pairs[0][1])}")
    cases = []
    for n, (document, files) in enumerate(pairs):
        config = (Config.from_env(document=str(document), index_dir=f"{scratch.name}/{n}") if document
                  else Config.from_env())
        engine = Engine.open(config)
        texts = {p.id: _squash(p.text) for p in engine.doc.paragraphs}
        items = [it for f in files for it in read_items(f) if it.kind != "oos" and it.gold]
        cases.append((engine, items, {it.id: {pid for pid, t in texts.items() if any(_squash(g) in t for g in it.gold)}
                                      for it in items}, align(engine)))
    print("| GAP_WEIGHT | WINDOW | language | answered | first sentence from a gold paragraph | all sentences from gold paragraphs "
          "| a gold sentence quoted | quoted sentences that are gold | sentences per answer |")
    print("|---|---|---|---|---|---|---|---|---|")
    for w in args.gap:
        for window in args.window:
            answer.GAP_WEIGHT, answer.WINDOW = w, window
            for lang in ("en", "zh"):
                t = sum((measure(*c, lang) for c in cases), Tally())
                print(f"| {w:g} | {window:g} | {lang} | " + " | ".join(_format(t)) + " |", flush=True)


class Tally(Counter):
    """Counts over the answered questions: n, first, every, quoted_gold, sentences, gold_sentences."""


def measure(engine: Engine, items, gold: dict, aligned: dict, lang: str) -> Tally:
    t = Tally()
    for it in (it for it in items if it.lang == lang):
        a = engine.ask(it.question)
        # A list's lead quoted before its item is context (score None), not the answer.
        context = {c.id for c in a.citations if c.score is None}
        cited = [c for c in re.findall(r"\[(§[\d.]+)\]", a.text) if c not in context]
        if a.abstained or not cited:
            continue
        hits = [any(_squash(g) in _squash(aligned[c.id].get(s, s)) for g in it.gold) for c in a.citations for s in c.used]
        t.update(n=1, first=cited[0] in gold[it.id], every=all(c in gold[it.id] for c in cited), sentences=len(cited),
                 quoted_gold=any(hits), gold_sentences=sum(hits))
    return t


def _format(t: Tally) -> list[str]:
    n = max(1, t["n"])
    return [str(t["n"]), f"{t['first'] / n:.3f}", f"{t['every'] / n:.3f}", f"{t['quoted_gold'] / n:.3f}",
            f"{t['gold_sentences'] / max(1, t['sentences']):.3f}", f"{t['sentences'] / n:.2f}"]


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
