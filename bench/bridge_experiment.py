"""Does a CC-CEDICT bridge help English questions on a document without an English edition?

The bundled policy is copied to a temporary file (so the engine treats it as any other
document: no glossary) and indexed with the English edition switched off. English
questions are then scored with four bridges from English query words to Chinese BM25
tokens: none, the project's hand-made glossary (built the way Retriever.__init__ builds
it), CC-CEDICT (rag.bridge), and both; then CC-CEDICT capped at one Chinese word per
phrase and uncapped, to see what the cap of three does. Recall is over in-scope
questions; the English out-of-scope questions are kept so that the refusal rates can be
compared too.

One more row tries a change to Retriever.coverage that the bridge makes necessary (a
prototype here, patched onto the instance): without an English edition, the "not covered"
signals see only the bridged Chinese words, all of which are in the document by
construction, so an off-topic question with one translatable word looks fully covered.
The prototype counts every English query word instead, a word without a translation as
missing.

    .venv/bin/python bench/bridge_experiment.py
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
import types
from pathlib import Path

from rag.bridge import cedict, dictionary_bridge
from rag.config import BUNDLED_DOCUMENT, Config
from rag.edition import load_glossary
from rag.engine import GLOSSARY, Engine
from rag.evaluate import EvalItem, Scores, engine_system, format_table, read_items, score
from rag.retrieve import Retriever
from rag.text import en_tokens, zh_tokens

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [ROOT / "eval" / "questions.jsonl", ROOT / "eval" / "blind.jsonl",
             Path("/work/shared/eval/dev.jsonl")]

Bridge = list[tuple[tuple[str, ...], list[str]]]


def glossary_bridge(glossary: dict[str, str]) -> Bridge:
    """The same entries Retriever.__init__ builds from a glossary."""
    out = [(tuple(en_tokens(en)), zh_tokens(zh)) for zh, en in glossary.items() if en_tokens(en)]
    return sorted(out, key=lambda b: -len(b[0]))


def combined(*bridges: Bridge) -> Bridge:
    """Longest phrases first; on equal length the earlier bridge wins (bridged() uses the
    first entry that matches and marks those query words as used)."""
    return sorted([b for bridge in bridges for b in bridge], key=lambda b: -len(b[0]))


def per_word(bridge: Bridge, toks: list[str]) -> list[list[str]]:
    """The Chinese words each English token reaches, matching phrases as bridged() does."""
    out: list[list[str]] = [[] for _ in toks]
    used = [False] * len(toks)
    for phrase, zh in bridge:
        n = len(phrase)
        for i in range(len(toks) - n + 1):
            if tuple(toks[i : i + n]) == phrase and not any(used[i : i + n]):
                for j in range(i, i + n):
                    out[j], used[j] = list(zh), True
    return out


def english_word_coverage(self: Retriever, query: str, rest: str, lang: str, top: int) -> tuple[float, float]:
    """Prototype Retriever.coverage for an English question and no English edition: the
    idf-weighted share of the question's English words whose translations occur in the top
    paragraph, and anywhere. A word with no translation weighs as a word in no document."""
    if self.bm25_en is not None or lang != "en":
        return Retriever.coverage(self, query, rest, lang, top)
    toks = en_tokens(query)
    explained = set(toks) - set(en_tokens(rest))  # words the thesaurus answered count as found
    bm = self.bm25_zh
    weight = found_top = found_any = 0.0
    for tok, zh in zip(toks, per_word(self.bridge, toks)):
        zh = [t for t in zh if not t.startswith("~") and t in bm.idf]
        w = max((bm.idf[t] for t in zh), default=bm.unknown_idf)
        weight += w
        found_any += w if zh or tok in explained else 0.0
        found_top += w if tok in explained or any(t in bm.doc_terms[top] for t in zh) else 0.0
    return (found_top / weight, found_any / weight) if weight else (0.0, 0.0)


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
        terms = [t for t in engine.retriever.bm25_zh.idf if not t.startswith("~")]
        t = time.perf_counter()
        ced = dictionary_bridge(terms)
        build = time.perf_counter() - t
        print(f"CC-CEDICT: parsed in {load * 1000:.0f} ms, bridge of {len(ced)} phrases over "
              f"{len(terms)} document words built in {build * 1000:.0f} ms")
        gloss = glossary_bridge(load_glossary(GLOSSARY))
        settings: dict[str, Bridge] = {
            "no bridge": [],
            "glossary": gloss,
            "CC-CEDICT": ced,
            "glossary + CC-CEDICT": combined(gloss, ced),
            "CC-CEDICT, 1 word/phrase": dictionary_bridge(terms, limit=1),
            "CC-CEDICT, uncapped": dictionary_bridge(terms, limit=1000),
        }
        rows: list[Scores] = []
        coverage = engine.retriever.coverage
        for name, bridge in [*settings.items(), ("CC-CEDICT, English-word coverage (prototype)", ced)]:
            engine.retriever.bridge = bridge
            engine.retriever.coverage = (types.MethodType(english_word_coverage, engine.retriever)
                                         if "prototype" in name else coverage)
            everything: list[EvalItem] = []
            for file, its in items.items():
                rows.append(score(f"{name} · {file}", engine_system(engine), its, engine.doc))
                everything += its
            rows.append(score(f"**{name} · all**", engine_system(engine), everything, engine.doc))
        print(format_table(rows))


if __name__ == "__main__":
    main()
