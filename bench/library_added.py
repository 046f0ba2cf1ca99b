"""Quality in a library: each fixture added to the default library, as `rag add FILE` leaves it.

After `rag add`, a question goes to the bundled interview as well as to the new document, and
the library answers from whichever answers it better (rag.library.LibraryEngine). This asks each
fixture's blind questions of that two-document library, and of the document alone in the same
run, and prints both: a question counts as found only where the library cites the document it
was written for.

    python bench/library_added.py [--only KEY ...] [--keep DIR] [--interview]

--keep builds the indexes in DIR and reuses them on the next run with the same DIR. --interview
also asks the interview's own held-out questions (eval/heldout.jsonl) of each library: how often
the added document takes one of them.
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
from pathlib import Path

import numpy as np

from rag import evaluate as ev
from rag.config import Config
from rag.embed import load_embedder
from rag.library import Library, LibraryEngine

from documents import PAIRS  # noqa: E402  (bench/ is on the path when run as a script)

ROOT = Path(__file__).resolve().parent.parent
METRICS = (("R@1", "recall1"), ("R@3", "recall3"), ("out of scope refused", "oos_abstained"),
           ("in scope refused", "false_abstained"))


def system(engine: LibraryEngine, own: str, alone: bool) -> ev.System:
    """Cited ids as the evaluation reads them: a citation of another document is no paragraph of
    this one (an id that matches none)."""
    def run(question: str, lang: str):
        a = engine.ask(question, k=3, document=own if alone else None)
        return [c.id.split(" ")[-1] if c.document == own else "" for c in a.citations], a.abstained

    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="+", default=(), help="fixture keys (default: all)")
    ap.add_argument("--keep", help="build the indexes here and reuse them")
    ap.add_argument("--interview", action="store_true", help="also ask the interview's held-out questions")
    args = ap.parse_args()
    pairs = {Path(doc).name.split(".")[0]: (doc, qs) for doc, qs in PAIRS.values()}
    keys = [k for k in pairs if not args.only or k in args.only]
    with (contextlib.nullcontext(args.keep) if args.keep else tempfile.TemporaryDirectory()) as folder:
        config = Config.from_env(index_dir=folder)
        embedder = load_embedder(config.model, threads=config.threads or None)
        library = Library(config.index_path)
        rows, means, interview = [], {}, []
        for key in keys:
            if key not in {e.key for e in library.entries()}:
                library.add(ROOT / pairs[key][0], config, embedder)
            engine = LibraryEngine.over(config, tuple(e for e in library.entries() if e.key in ("policy", key)), embedder)
            items = ev.read_items(ROOT / pairs[key][1])
            doc = engine.engine(key).doc
            for label, alone in (("library", False), ("alone", True)):
                s = ev.score(label, system(engine, key, alone), items, doc)
                cells = [f"{_f(getattr(s, attr)['en'])} / {_f(getattr(s, attr)['zh'])}" for _, attr in METRICS]
                rows.append(f"| {key} | {label} | " + " | ".join(cells) + " |")
                for _, attr in METRICS:
                    for lang in ("en", "zh"):
                        if getattr(s, attr)[lang] is not None:
                            means.setdefault((label, attr, lang), []).append(getattr(s, attr)[lang])
            if args.interview:
                held = ev.read_items(ROOT / "eval/heldout.jsonl")
                interview.append(ev.score(key, system(engine, "policy", False), held, engine.engine("policy").doc))
    print("| document | asked of | " + " | ".join(f"{name} en / zh" for name, _ in METRICS) + " |")
    print("| --- | --- |" + " --- |" * len(METRICS))
    print("\n".join(rows))
    for label in ("library", "alone"):
        cells = [f"{_f(np.mean(means.get((label, attr, 'en'), [np.nan])))} / {_f(np.mean(means.get((label, attr, 'zh'), [np.nan])))}"
                 for _, attr in METRICS]
        print(f"| **mean of {len(keys)}** | {label} | " + " | ".join(cells) + " |")
    if interview:
        for lang in ("en", "zh"):
            r1 = np.mean([s.recall1[lang] for s in interview])
            r3 = np.mean([s.recall3[lang] for s in interview])
            print(f"\nThe interview's held-out questions ({lang}) in those {len(interview)} libraries: R@1 {r1:.3f}, R@3 {r3:.3f}")


def _f(x) -> str:
    return "–" if x is None or (isinstance(x, float) and np.isnan(x)) else f"{x:.2f}"


if __name__ == "__main__":
    main()
