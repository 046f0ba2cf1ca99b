"""Can a local model judge answerability? The judge's probability of "Yes" on the questions the
pipeline answers, out of scope against in scope, on the documents of bench/documents.py.

For each document, every question the "not covered" model answers (a typed rule's decisions are
left out, as rag.judge leaves them) is put to the model with rag.judge's prompt: all those out
of scope, and every --every-th of those in scope (the model takes seconds a question). Prints
the ROC AUC, and at each threshold the share of those out of scope it would refuse beside the
share of those in scope, per language; and the refusal rates of the whole pipeline with the
judge at the model's own threshold (PinnedModel.judge_below), in-scope ones estimated from the
sample.

    python bench/judge.py [--model qwen2.5-coder-1.5b] [--every 3] [--only KEY ...] [--keep DIR] [--out FILE]
    python bench/judge.py --bundled [--every 1]    # the bundled interview's held-out set instead

Needs the model installed (python -m rag.models NAME) and llama-cpp-python (scripts/setup --llm).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from documents import PAIRS, ROOT
from rag import evaluate as ev
from rag.config import Config
from rag.engine import Engine
from rag.generator import PINNED, load_generator
from rag.judge import messages
from rag.retrieve.answerability import Reason


def rows_for(engine: Engine, questions: Path, model, every: int, key: str) -> list[dict]:
    out, seen = [], 0
    for it in ev.read_items(questions):
        oos = it.kind == "oos" or not it.gold
        r = engine.retrieve(it.question, it.lang, 3)
        row = {"doc": key, "id": it.id, "lang": it.lang, "oos": oos, "refused": r.abstain, "p": None,
               "covered": r.decision.reason is Reason.COVERED}
        if r.decision.reason is Reason.COVERED and (oos or seen % every == 0):
            t = time.monotonic()
            row |= {"p": model.yes_probability(messages(it.question, r.hits)), "s": time.monotonic() - t}
        seen += r.decision.reason is Reason.COVERED and not oos
        out.append(row)
    return out


def auc(pos: list[float], neg: list[float]) -> float:
    """P(an in-scope question's probability > an out-of-scope one's), ties counting half."""
    if not pos or not neg:
        return float("nan")
    return float(roc_auc_score([1] * len(pos) + [0] * len(neg), pos + neg))


def report(rows: list[dict], below: float | None) -> None:
    for lang in ("en", "zh", "all"):
        rs = [r for r in rows if lang in ("all", r["lang"])]
        judged_in = [r["p"] for r in rs if r["p"] is not None and not r["oos"]]
        judged_out = [r["p"] for r in rs if r["p"] is not None and r["oos"]]
        print(f"\n{lang}: {len(judged_out)} answered out of scope, {len(judged_in)} in scope judged; "
              f"AUC {auc(judged_in, judged_out):.3f}")
        print("| refuse under | out of scope answered, refused | in scope answered, refused |\n|---|---|---|")
        for t in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
            caught = np.mean(np.array(judged_out) < t) if judged_out else float("nan")
            lost = np.mean(np.array(judged_in) < t) if judged_in else float("nan")
            print(f"| {t:.2f}{' (the model’s)' if below == t else ''} | {caught:.3f} | {lost:.3f} |")
        if below is not None:
            whole(rs, below)


def whole(rs: list[dict], below: float) -> None:
    """The pipeline's refusal rates, means over documents, without and with the judge. Of the
    in-scope questions only a sample was judged: its refused share stands for all it judges."""
    rates: dict[str, list[tuple[float, float]]] = {"out of scope": [], "in scope": []}
    for doc in dict.fromkeys(r["doc"] for r in rs):
        for oos, name in ((True, "out of scope"), (False, "in scope")):
            g = [r for r in rs if r["doc"] == doc and r["oos"] == oos]
            judged = [r["p"] for r in g if r["p"] is not None]
            if not g:
                continue
            share = float(np.mean(np.array(judged) < below)) if judged else 0.0
            covered = sum(r["covered"] for r in g)
            refused = sum(r["refused"] for r in g)
            rates[name].append((refused / len(g), (refused + share * covered) / len(g)))
    print("whole pipeline, means over documents: " + "; ".join(
        f"{name} refused {np.mean([b for b, _ in v]):.3f} → {np.mean([a for _, a in v]):.3f}" for name, v in rates.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="qwen2.5-coder-1.5b", choices=sorted(PINNED))
    ap.add_argument("--every", type=int, default=3, help="judge every n-th in-scope question answered")
    ap.add_argument("--only", nargs="+", default=(), metavar="KEY")
    ap.add_argument("--keep", default="", metavar="DIR", help="build the indexes in DIR and reuse them")
    ap.add_argument("--out", default="", metavar="FILE", help="append each question's row (JSON lines) here")
    ap.add_argument("--bundled", action="store_true", help="the bundled interview and eval/heldout.jsonl instead")
    args = ap.parse_args()
    model = load_generator(Config(generator="llama", llm_model=args.model))
    rows = []
    with contextlib.nullcontext(args.keep) if args.keep else tempfile.TemporaryDirectory() as tmp:
        pairs = {"bundled": (None, "eval/heldout.jsonl")} if args.bundled else PAIRS
        for name, (doc, questions) in pairs.items():
            key = name.split()[0]
            if args.only and key not in args.only:
                continue
            where = {"document": str(ROOT / doc)} if doc else {}
            config = Config.from_env(**where, index_dir=str(Path(tmp) / (Path(doc).stem if doc else "bundled")),
                                     generator="", judge=False)
            got = rows_for(Engine.open(config), ROOT / questions, model, args.every, key)
            rows += got
            if args.out:
                with open(args.out, "a", encoding="utf-8") as f:
                    f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in got)
            print(f"{key}: {sum(r['p'] is not None for r in got)} judged", flush=True)
    report(rows, PINNED[args.model].judge_below)


if __name__ == "__main__":
    main()
