"""Messages of two questions that two documents of a library answer, one each: how often each
question's own passage is cited. The bundled interview plus four fixtures of other topics.

    python bench/library_parts.py [--docs KEY …] [--per N]

A message is two fixture questions joined as a user types them ("年休假有几天？公积金怎么提取？",
"How many days of leave do I get? Can I withdraw my housing fund?"), each a single question of
its own file, both in one language. Three kinds of message, each counted apart:

- two documents: the questions of two different documents;
- one document: two questions of the same document (answered as before, as one message);
- with one out of scope: a question of one document, then one its file marks out of scope;
- both out of scope: two questions that two documents' files mark out of scope.

A first row asks each in-scope question alone: how often its passage is cited at all.

A question's passage is cited when a citation of the answer is from its own document and holds
its gold text. "Both" counts messages whose two passages are cited; "part refused" counts
messages where the answer says a part is not covered (rag.answer.PART_NOT_COVERED).
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
from pathlib import Path

from rag.answer import PART_NOT_COVERED
from rag.config import Config
from rag.embed import load_embedder
from rag.evaluate import read_items
from rag.library import Library, LibraryEngine
from rag.parts import question_parts
from rag.text import squash

ROOT = Path(__file__).resolve().parent.parent
DOCS = ("nianjia", "housing", "injury", "minwage")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", nargs="+", default=list(DOCS), help="fixture keys (default: %(default)s)")
    ap.add_argument("--per", type=int, default=4, help="questions of each document and language (default: 4)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        config = Config.from_env(index_dir=tmp)
        embedder = load_embedder(config.model, threads=config.threads or None)
        library = Library(config.index_path)
        for key in args.docs:
            library.add(ROOT / "tests/fixtures/docs" / f"{key}.zh.txt", config, embedder)
        engine = LibraryEngine.open(config, embedder=embedder)
        print("| message | lang | messages | first cited | second cited | both cited | part refused | refused |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for lang in ("en", "zh"):
            asked = {key: questions(key, lang, args.per) for key in args.docs}
            alone = [(key, it) for key in args.docs for it in asked[key]["in"]]
            hits = sum(cited(engine.ask(it.question), key, it) for key, it in alone)
            print(f"| one question alone | {lang} | {len(alone)} | {hits / max(len(alone), 1):.2f} | | | | |")
            for label, pairs in messages(asked, args.docs).items():
                row(engine, label, lang, pairs)


def questions(key: str, lang: str, per: int) -> dict[str, list]:
    """A document's first `per` single questions of each kind (in scope, out of scope) in `lang`."""
    items = [it for it in read_items(ROOT / f"eval/fixtures/{key}.jsonl")
             if it.lang == lang and len(question_parts(it.question)) == 1 and it.question.rstrip()[-1:] in "?？"]
    return {"in": [it for it in items if it.gold][:per], "oos": [it for it in items if not it.gold][:per]}


def messages(asked: dict, keys: list[str]) -> dict[str, list]:
    """(key, item) pairs for each kind of message."""
    two = [((a, x), (b, y)) for a, b in itertools.permutations(keys, 2)
           for x, y in zip(asked[a]["in"], asked[b]["in"][1:] + asked[b]["in"][:1])]
    one = [((a, x), (a, y)) for a in keys for x, y in zip(asked[a]["in"], asked[a]["in"][1:])]
    oos = [((a, x), (a, y)) for a in keys for x, y in zip(asked[a]["in"], asked[a]["oos"])]
    none = [((a, x), (b, y)) for a, b in zip(keys, keys[1:] + keys[:1]) for x, y in zip(asked[a]["oos"], asked[b]["oos"])]
    return {"two documents": two, "one document": one, "with one out of scope": oos, "both out of scope": none}


def row(engine, label: str, lang: str, pairs: list) -> None:
    first = second = both = part_refused = refused = 0
    for (a, x), (b, y) in pairs:
        joined = f"{x.question} {y.question}" if lang == "en" else x.question + y.question
        answer = engine.ask(joined)
        hit = [cited(answer, a, x) if x.gold else False, cited(answer, b, y) if y.gold else False]
        first, second, both = first + hit[0], second + hit[1], both + all(hit)
        part_refused += PART_NOT_COVERED[lang] in answer.text
        refused += answer.abstained
    n = max(len(pairs), 1)
    print(f"| {label} | {lang} | {len(pairs)} | {first / n:.2f} | {second / n:.2f} | {both / n:.2f} "
          f"| {part_refused / n:.2f} | {refused / n:.2f} |")


def cited(answer, key: str, item) -> bool:
    gold = [squash(g) for g in item.gold]
    return any(c.document == key and any(g in squash(c.text) for g in gold) for c in answer.citations)


if __name__ == "__main__":
    main()
