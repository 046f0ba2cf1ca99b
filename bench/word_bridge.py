"""English questions on documents with no English edition: the nearest-word bridge, on and off.

For each fixture document (bench/documents.py), the ranking of its blind English questions with
the bridge off and at several settings of Params.word_z (how far above the document's other
words the nearest one must stand). The setting is then chosen leave-one-document-out: for each
document, the one best on the others, scored on it. Ranking only (refusals ignored). Last,
the median time of a search with the bridge off and on (the same questions, each made new so
that no encoding is remembered).

    python bench/word_bridge.py
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from documents import PAIRS, ROOT
from rag import evaluate as ev
from rag.config import Config
from rag.engine import Engine
from rag.text import squash

SETTINGS = (None, 3.0, 3.5, 4.0, 5.0)  # None: the bridge off


def ranks(engine: Engine, items: list, z: float | None, times: list[float] | None = None) -> list[tuple[bool, bool]]:
    """(gold first, gold in the top 3) for each answerable English question; each search's
    seconds are added to `times`."""
    r = engine.retriever
    saved = r.words
    r.words = None if z is None else saved
    r.params = replace(r.params, word_z=z or r.params.word_z)
    out = []
    try:
        for it in items:
            start = time.perf_counter()
            hits = r.search(it.question, "en", k=3).hits
            if times is not None:
                times.append(time.perf_counter() - start)
            found = [any(squash(g) in squash(h.paragraph.text) for g in it.gold) for h in hits]
            out.append((bool(found[:1] and found[0]), any(found)))
    finally:
        r.words = saved
    return out


def main() -> None:
    table: dict[str, dict[float | None, list[tuple[bool, bool]]]] = {}
    timed_off: list[float] = []
    timed_on: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, (doc, questions) in PAIRS.items():
            engine = Engine.open(Config.from_env(document=str(ROOT / doc), index_dir=str(Path(tmp) / Path(doc).stem)))
            items = [it for it in ev.read_items(ROOT / questions) if it.lang == "en" and it.gold]
            table[name.split()[0]] = {z: ranks(engine, items, z) for z in SETTINGS}
            for _ in range(3):  # timed again, alternating, once the query memo is warm for neither
                for z, sink in ((None, timed_off), (engine.retriever.params.word_z, timed_on)):
                    ranks(engine, [replace(it, question=f"{it.question} ({len(sink)})") for it in items], z, sink)

    def score(rows: list[tuple[bool, bool]]) -> tuple[float, float]:
        return float(np.mean([a for a, _ in rows])), float(np.mean([b for _, b in rows]))

    print("| document | " + " | ".join("off" if z is None else f"z {z}" for z in SETTINGS) + " |")
    print("|---|" + "---|" * len(SETTINGS))
    for doc, by_z in table.items():
        print(f"| {doc} | " + " | ".join("%.2f / %.2f" % score(by_z[z]) for z in SETTINGS) + " |")
    print("\nleave-one-document-out (R@1 / R@3 of the held-out document, bridge off -> on):")
    held = []
    for doc in table:
        others = [d for d in table if d != doc]
        best = max(SETTINGS[1:], key=lambda z: np.mean([sum(score(table[d][z])) for d in others]))
        off, on = score(table[doc][None]), score(table[doc][best])
        held.append((off, on))
        print(f"  {doc}: z {best}: {off[0]:.2f} / {off[1]:.2f} -> {on[0]:.2f} / {on[1]:.2f}")
    print("  mean: %.3f / %.3f -> %.3f / %.3f" % (*np.mean([h[0] for h in held], axis=0), *np.mean([h[1] for h in held], axis=0)))
    t_off, t_on = np.median(timed_off), np.median(timed_on)
    print(f"\nsearch time, median of {len(timed_on)} English searches each: bridge off {1000 * t_off:.1f} ms, "
          f"on {1000 * t_on:.1f} ms ({t_on / t_off:.2f}x)")


if __name__ == "__main__":
    main()
