"""Does a CC-CEDICT bridge help English questions on a document without an English edition?

The bundled policy is copied to a temporary file (so the engine treats it as any other
document: no glossary) and indexed with the English edition switched off. English
questions are then scored with four bridges from English query words to Chinese BM25
tokens: none, the project's hand-made glossary (built the way Retriever.__init__ builds
it), CC-CEDICT (rag.bridge), and both; then CC-CEDICT capped at one Chinese word per
phrase and uncapped, to see what the cap of three does. Recall is over in-scope
questions; the English out-of-scope questions are kept so that the refusal rates can be
compared too.

Without an English edition the "not covered" signals count every English word of the
question, a word without a translation as missing (Retriever._english_coverage): the bridged
Chinese words alone are all in the document by construction, so an off-topic question with
one translatable word would look fully covered. That first ran here as a prototype and now
lives in the retriever, so every row uses it.

    .venv/bin/python bench/bridge_experiment.py
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from pathlib import Path

from rag.bridge import cedict, dictionary_bridge
from rag.config import BUNDLED_DOCUMENT, Config
from rag.edition import load_glossary
from rag.config import DATA
from rag.engine import Engine
from rag.edition import load_background
from rag.engine import BACKGROUND
from rag.retrieve import Bridge, Retriever
from rag.evaluate import EvalItem, Scores, engine_system, format_table, read_items, score
from rag.text import en_tokens, zh_tokens

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [ROOT / "eval" / "questions.jsonl", ROOT / "eval" / "blind.jsonl",
             ROOT.parent / "shared" / "eval" / "dev.jsonl"]

Phrases = list[tuple[tuple[str, ...], list[str]]]


def glossary_bridge(glossary: dict[str, str]) -> Phrases:
    """The same entries Bridge.for_document builds from a glossary."""
    out = [(tuple(en_tokens(en)), zh_tokens(zh)) for zh, en in glossary.items() if en_tokens(en)]
    return sorted(out, key=lambda b: -len(b[0]))


def combined(*bridges: Phrases) -> Phrases:
    """Longest phrases first; on equal length the earlier bridge wins (bridged() uses the
    first entry that matches and marks those query words as used)."""
    return sorted([b for bridge in bridges for b in bridge], key=lambda b: -len(b[0]))


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    items: dict[str, list[EvalItem]] = {
        p.name: [it for it in read_items(p) if it.lang == "en"] for p in QUESTIONS if p.exists()
    }
    with tempfile.TemporaryDirectory() as tmp:
        doc_path = Path(tmp) / "policy-copy.zh.txt"
        shutil.copyfile(BUNDLED_DOCUMENT, doc_path)
        t = time.perf_counter()
        engine = Engine.open(Config(document=doc_path, english=None, index_dir=Path(tmp) / "index"))
        print(f"index built in {time.perf_counter() - t:.1f} s; English edition: {engine.doc.has_english}; "
              f"default bridge entries: {len(engine.retriever.bridge)}")
        t = time.perf_counter()
        cedict()
        load = time.perf_counter() - t
        # The document's jieba words: the BM25 vocabulary less character bigrams.
        terms = engine.retriever.lexical.vocabulary()
        t = time.perf_counter()
        ced = dictionary_bridge(terms)
        build = time.perf_counter() - t
        print(f"CC-CEDICT: parsed in {load * 1000:.0f} ms, bridge of {len(ced)} phrases over "
              f"{len(terms)} document words built in {build * 1000:.0f} ms")
        gloss = glossary_bridge(load_glossary(DATA / "policy.glossary.json"))
        settings: dict[str, Phrases] = {
            "no bridge": [],
            "glossary": gloss,
            "CC-CEDICT": ced,
            "glossary + CC-CEDICT": combined(gloss, ced),
            "CC-CEDICT, 1 word/phrase": dictionary_bridge(terms, limit=1),
            "CC-CEDICT, uncapped": dictionary_bridge(terms, limit=1000),
        }
        rows: list[Scores] = []
        background = load_background(BACKGROUND)  # as Engine.open gives it (no thesaurus: a copy has none)
        for name, phrases in settings.items():
            # A retriever is read-only once built: each bridge gets its own, over the same index.
            r = engine.retriever
            retriever = Retriever(engine.doc, engine.loaded, engine.embedder, r.params, background=background,
                                  bridge=Bridge.of(phrases), lexical=r.lexical)
            engine = Engine(engine.config, engine.doc, engine.embedder, engine.loaded, retriever)
            everything: list[EvalItem] = []
            for file, its in items.items():
                rows.append(score(f"{name} · {file}", engine_system(engine), its, engine.doc))
                everything += its
            rows.append(score(f"**{name} · all**", engine_system(engine), everything, engine.doc))
        print(format_table(rows))


if __name__ == "__main__":
    main()
