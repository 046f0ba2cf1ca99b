"""Which document answers, in a library of several: how often it is the one the question was
written about. The bundled interview plus the first three fixtures, each question of their files.

    python bench/library_routing.py
    python bench/library_routing.py --docs gzunemp shunemp szclaim gzpension shmed bjassist bjpension zjinjury

`--docs` builds the library of other fixtures instead (the bundled interview always in it), and
prints the share answered from their own document also without the routing by place
(rag.library.by_place), in the same run: most of these are the rules of one city or province.

The documents overlap in topic (employment, social insurance), so another document may also
answer a question; this counts only the one it was written for.

The second table is the router a library of more than rag.route.ROUTE_TO documents puts each
question through: how often the document the whole library answers from, and the question's
own document, are among the n documents it routes the question to.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from unittest import mock

from rag.config import Config
from rag.evaluate import read_items
from rag.library import Library, LibraryEngine
from rag.embed import load_embedder

ROOT = Path(__file__).resolve().parent.parent
FILES = {"policy": ["eval/blind4.jsonl"], "notice": ["eval/fixtures/notice.jsonl"], "qa": ["eval/fixtures/qa.jsonl"],
         "measures": ["eval/fixtures/measures.jsonl"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", nargs="+", help="fixture keys to build the library of (default: notice qa measures)")
    args = ap.parse_args()
    if not args.docs:
        return run(FILES)
    files = {"policy": FILES["policy"]} | {key: [f"eval/fixtures/{key}.jsonl"] for key in args.docs}
    run(files)
    with mock.patch("rag.library.by_place", lambda *a: []):
        print("\nWithout the routing by place:")
        run(files, tables=False)


def run(files: dict[str, list[str]], tables: bool = True) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = Config.from_env(index_dir=tmp)
        embedder = load_embedder(config.model, threads=config.threads or None)
        library = Library(config.index_path)
        for key in files:
            if key != "policy":
                library.add(ROOT / "tests/fixtures/docs" / f"{key}.zh.txt", config, embedder)
        engine = LibraryEngine.open(config, embedder=embedder)
        router = None  # made once every document's index is built (at its first question)
        right = total = refused = cited = also = 0
        rows, routed = [], []
        for key, paths in files.items():
            for lang in ("en", "zh"):
                items = [it for path in paths for it in read_items(ROOT / path) if it.gold and it.lang == lang]
                answers = [engine.ask(it.question) for it in items]
                router = router or library.router(config.index_path, embedder.model_id, library.entries())
                for it, a in zip(items, answers):
                    qv = embedder.encode_queries([it.question])[0]
                    chosen = a.citations[0].document if a.citations else None
                    routed.append([(chosen in router.route(qv, n) if chosen else None, key in router.route(qv, n))
                                   for n in (1, 2, 3)])
                own = sum(bool(a.citations) and a.citations[0].document == key for a in answers)
                cited += sum(any(c.document == key for c in a.citations) for a in answers)
                also += sum(len({c.document for c in a.citations}) > 1 for a in answers)
                rows.append(f"| {key} | {lang} | {len(items)} | {own / max(len(items), 1):.2f} |")
                total, right, refused = total + len(items), right + own, refused + sum(a.abstained for a in answers)
        if tables:
            print("| document | lang | in-scope questions | answered from it |\n| --- | --- | --- | --- |")
            print("\n".join(rows))
        print(f"\n{total} in-scope questions on a {len(files)}-document library: answered from their own document "
              f"{right / total:.2f}, refused {refused / total:.2f}; their own document cited, in the answer or named "
              f"under it (rag.library.ALSO), {cited / total:.2f}; a second document named under {also / total:.2f}")
        if not tables:
            return
        print("\n| routed to the n closest documents | n = 1 | n = 2 | n = 3 |\n| --- | --- | --- | --- |")
        for i, label in enumerate(("the document the whole library answers from", "the question's own document")):
            shares = [[r[n][i] for r in routed if r[n][i] is not None] for n in range(3)]
            print(f"| {label} | " + " | ".join(f"{sum(s) / len(s):.2f}" for s in shares) + " |")


if __name__ == "__main__":
    main()
