"""Choose the ranking weights on several documents, and check the choice leave-one-document-out.

The ranking (rag.retrieve.fusion) adds to each paragraph's dense cosine the lexical score times
`lexical_weight` and the share of the question's words it holds times `coverage_weight`. Both
were first set on the bundled interview. Here each pair of a grid is scored on every document
by its ranking alone (refusals ignored: the "not covered" rule is fitted afterwards, on the
ranking chosen, by bench/fit_abstention_docs.py): the mean over the document's two languages
of (Recall@1 + Recall@3) / 2. For each document held out, the pair best on the others is
scored on it, beside the current pair.

    python bench/fit_fusion_docs.py

The bundled interview is scored on its development files (never on eval/heldout.jsonl).
"""

from __future__ import annotations

import itertools
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fit_abstention_docs import DOCS, ROOT  # noqa: E402

from rag.config import Config  # noqa: E402
from rag.embed import load_embedder  # noqa: E402
from rag.engine import Engine  # noqa: E402
from rag.evaluate import read_items  # noqa: E402
from rag.retrieve import Params  # noqa: E402
from rag.text import squash  # noqa: E402

LEXICAL = (0.2, 0.35, 0.5, 0.7)
COVERAGE = (0.0, 0.1, 0.2, 0.3)


def ranking_score(engine: Engine, files: list[str]) -> float:
    texts = {p.id: squash(p.text) for p in engine.doc.paragraphs}
    per_lang: dict[str, list[float]] = {}
    for path in files:
        for it in read_items(ROOT / path):
            if not it.gold:
                continue
            ids = [h.paragraph.id for h in engine.retrieve(it.question, it.lang, 3).hits]
            gold = [squash(g) for g in it.gold]
            ranks = [i for i, pid in enumerate(ids) if any(g in texts[pid] for g in gold)]
            per_lang.setdefault(it.lang, []).append(((ranks[:1] == [0]) + bool(ranks)) / 2)
    return float(np.mean([np.mean(v) for v in per_lang.values()]))


def main() -> None:
    grid = list(itertools.product(LEXICAL, COVERAGE))
    current = (Params().lexical_weight, Params().coverage_weight)
    embedder = load_embedder(Config.from_env().model)
    scores: dict[str, dict[tuple[float, float], float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, (doc, files) in DOCS.items():
            overrides = {"document": str(ROOT / doc), "index_dir": str(Path(tmp) / name)} if doc else {}
            config = Config.from_env(**overrides)
            scores[name] = {}
            for lw, cw in grid:
                params = replace(Params(), lexical_weight=lw, coverage_weight=cw)
                scores[name][(lw, cw)] = ranking_score(Engine.open(config, embedder=embedder, params=params), files)
    print("| held out | pair chosen on the others | its score there | current pair's score |\n|---|---|---|---|")
    for held in scores:
        others = [n for n in scores if n != held]
        best = max(grid, key=lambda g: (np.mean([scores[n][g] for n in others]), g == current))
        print(f"| {held} | {best} | {scores[held][best]:.3f} | {scores[held][current]:.3f} |")
    best = max(grid, key=lambda g: (np.mean([scores[n][g] for n in scores]), g == current))
    print(f"\nchosen on all documents: lexical_weight={best[0]}, coverage_weight={best[1]} "
          f"(mean {np.mean([scores[n][best] for n in scores]):.3f}; current {current}: "
          f"{np.mean([scores[n][current] for n in scores]):.3f})")


if __name__ == "__main__":
    main()
