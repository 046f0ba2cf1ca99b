"""The "not covered" decision by how hard a question is for the plain dense baseline.

`../shared/eval/README.md` says that on the held-out set the dense baseline (one vector per
Chinese paragraph, cosine only) gives its out-of-scope questions a top cosine of at most
0.37 and its in-scope questions at least 0.27. Our own files reach well past both ends:
near-topic out-of-scope questions that score like covered ones, and colloquial in-scope
ones that score like chit-chat. This splits the refusal figures at those two values, so the
figures for questions inside the held-out's range and those outside it are seen apart.

    .venv/bin/python bench/abstention_bands.py eval/questions.jsonl eval/blind.jsonl \
        eval/blind2.jsonl ../shared/eval/dev.jsonl

Prints counts, never asserts.
"""

from __future__ import annotations

import sys
from collections import defaultdict

from rag.config import Config
from rag.engine import Engine
from rag.evaluate import read_items

OOS_MAX = 0.37  # the held-out set's highest out-of-scope top cosine under the dense baseline
IN_MIN = 0.27  # the held-out set's lowest in-scope top cosine under the same


def main(paths: list[str]) -> None:
    engine = Engine.open(Config.from_env())
    paras = engine.doc.paragraphs
    vecs = engine.embedder.encode_passages([p.text for p in paras])
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])  # (kind, band) -> [refused, n]
    leaks: list[str] = []
    for path in paths:
        for it in read_items(path):
            top = float((vecs @ engine.embedder.encode_queries([it.question])[0]).max())
            refused = engine.ask(it.question).abstained
            oos = it.kind == "oos" or not it.gold
            if oos:
                band = f"top cosine <= {OOS_MAX}" if top <= OOS_MAX else f"top cosine > {OOS_MAX}"
            else:
                band = f"top cosine >= {IN_MIN}" if top >= IN_MIN else f"top cosine < {IN_MIN}"
            c = counts[("out of scope" if oos else "in scope", band)]
            c[0] += refused
            c[1] += 1
            if oos and not refused:
                leaks.append(f"{top:.2f}  {it.question}")
    print(f"files: {', '.join(paths)}")
    print("| questions | dense-baseline band | refused | n | share refused |")
    print("|---|---|---|---|---|")
    for (kind, band), (refused, n) in sorted(counts.items()):
        print(f"| {kind} | {band} | {refused} | {n} | {refused / n:.2f} |")
    if leaks:
        print("\nout-of-scope questions answered (dense-baseline top cosine, question):")
        print("\n".join(sorted(leaks)))


if __name__ == "__main__":
    main(sys.argv[1:] or ["eval/questions.jsonl"])
