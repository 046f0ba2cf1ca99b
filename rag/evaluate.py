"""Retrieval evaluation: Recall@1, Recall@3 and MRR per language, and abstention rates.

The file format is described in eval/README.md: one JSON object a line with id, lang,
kind, question and gold (substrings of the Chinese original; empty for out-of-scope).
A paragraph is correct when its Chinese text, with white space removed, contains a gold
substring. An answer that abstains cites nothing, so it counts as a miss for recall.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from .answer import FIGURES, GLOSSES, NO_EDITION
from .document import Document
from .errors import RagError
from .text import HAN_CHAR, squash, tokens

LANGS = ("en", "zh")


@dataclass(frozen=True)
class EvalItem:
    id: str
    lang: str
    kind: str
    question: str
    gold: tuple[str, ...]


@dataclass(frozen=True)
class Scores:
    name: str
    recall1: dict[str, float]
    recall3: dict[str, float]
    mrr: dict[str, float]
    n: dict[str, int]
    oos_abstained: dict[str, float | None]  # per language: share of out-of-scope questions refused
    false_abstained: dict[str, float | None]  # per language: share of in-scope questions wrongly refused
    misses: tuple[str, ...] = ()
    # per language: share of answered in-scope questions answered in the question's language
    in_language: dict[str, float | None] = None  # type: ignore[assignment]
    # per language: share of answered in-scope questions whose answer quotes a gold passage;
    # None where the answer is not a quote of the Chinese original (an English edition's)
    quotes_gold: dict[str, float | None] = None  # type: ignore[assignment]


def read_items(path: str | Path) -> list[EvalItem]:
    items = []
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise RagError(f"{path}: cannot read the evaluation file ({e.strerror or e}).") from e
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            items.append(EvalItem(str(d["id"]), d["lang"], d.get("kind", "fact"), d["question"], tuple(d.get("gold") or ())))
        except (ValueError, KeyError, TypeError) as e:
            raise RagError(f"{path}:{n}: expected an object with id, lang, question and gold ({e}).") from e
    if not items:
        raise RagError(f"{path}: no questions.")
    return items


# A system under test: question, lang -> (ranked paragraph ids, abstained or None if it cannot),
# optionally with a third item, whether the answer is in the question's language, and a fourth,
# the answer's text.
System = Callable[[str, str], tuple]


def score(name: str, system: System, items: Iterable[EvalItem], doc: Document) -> Scores:
    texts = {p.id: squash(p.text) for p in doc.paragraphs}
    r1 = {lang: [] for lang in LANGS}
    r3 = {lang: [] for lang in LANGS}
    rr = {lang: [] for lang in LANGS}
    oos = {lang: [] for lang in LANGS}
    false_abs = {lang: [] for lang in LANGS}
    in_lang = {lang: [] for lang in LANGS}
    quotes = {lang: [] for lang in LANGS}
    english = any(p.en for p in doc.paragraphs)
    misses = []
    for it in items:
        ids, abstained, *rest = system(it.question, it.lang)
        if it.kind == "oos" or not it.gold:
            if abstained is not None:
                oos[it.lang].append(bool(abstained))
            continue
        if abstained is not None:
            false_abs[it.lang].append(bool(abstained))
        if rest and rest[0] is not None and not abstained:
            in_lang[it.lang].append(bool(rest[0]))
        ids = [] if abstained else list(ids)
        gold = [squash(g) for g in it.gold]
        if len(rest) > 1 and not abstained and (it.lang == "zh" or not english):
            quoted = squash(_unmarked(rest[1]))
            quotes[it.lang].append(any(g in quoted for g in gold))
        ranks = [i for i, pid in enumerate(ids) if any(g in texts.get(pid, "") for g in gold)]
        first = ranks[0] if ranks else None
        r1[it.lang].append(first == 0)
        r3[it.lang].append(first is not None and first < 3)
        rr[it.lang].append(1.0 / (first + 1) if first is not None else 0.0)
        if first is None or first >= 3:
            misses.append(it.id)
    mean = lambda xs: float(np.mean(xs)) if xs else float("nan")  # noqa: E731
    share = lambda d: {k: (float(np.mean(v)) if v else None) for k, v in d.items()}  # noqa: E731
    return Scores(
        name,
        {k: mean(v) for k, v in r1.items()},
        {k: mean(v) for k, v in r3.items()},
        {k: mean(v) for k, v in rr.items()},
        {k: len(v) for k, v in r1.items()},
        share(oos),
        share(false_abs),
        tuple(misses),
        share(in_lang),
        share(quotes),
    )


def _unmarked(text: str) -> str:
    """An answer's text without its citation marks ("[§4.3]")."""
    return re.sub(r"\[[^\]]*\]", "", text)


_NOTES = tuple(line.split("{")[0] for line in (NO_EDITION, FIGURES, GLOSSES))  # how each note line opens


def in_language(text: str, lang: str) -> bool:
    """Whether an answer reads in `lang`: an English answer is mostly Latin letters (Chinese
    quoted as a term or an id aside), a Chinese one holds Han characters. The English notes
    around an untranslated quote (that it is Chinese, its figures, its glosses) are not read:
    a quote with notes is not an answer in English."""
    body = _unmarked("\n".join(line for line in text.splitlines() if not line.startswith(_NOTES)))
    han = len(HAN_CHAR.findall(body))
    latin = len(re.findall(r"[A-Za-z]", body))
    return han > 0 if lang == "zh" else latin > 3 * han


def engine_system(engine, k: int = 3) -> System:
    def run(question: str, lang: str):
        a = engine.ask(question, k=k)
        # A library's ids carry the document's key ("notice §3.2"); the paragraph id is last.
        return [c.id.split(" ")[-1] for c in a.citations], a.abstained, in_language(a.text, lang), a.text

    return run


# -- baselines ---------------------------------------------------------------------------------
def dense_baseline(engine, k: int = 3) -> System:
    """One vector per Chinese paragraph, cosine only: the plain tutorial pipeline."""
    paras = [p for p in engine.doc.paragraphs]
    vecs = engine.embedder.encode_passages([p.text for p in paras])

    def run(question: str, lang: str):
        q = engine.embedder.encode_queries([question])[0]
        order = np.argsort(-(vecs @ q))[:k]
        return [paras[i].id for i in order], None

    return run


def bm25_baseline(engine, k: int = 3) -> System:
    """BM25 over jieba tokens of the Chinese paragraphs."""
    from .lexical import BM25

    paras = list(engine.doc.paragraphs)
    bm = BM25([tokens(p.text, "zh") for p in paras])

    def run(question: str, lang: str):
        s = bm.scores(tokens(question, "zh") if lang == "zh" else tokens(question, "en"))
        order = np.argsort(-s, kind="stable")[:k]
        return [paras[i].id for i in order], None

    return run


def chunk_baseline(engine, k: int = 3, size: int = 200, overlap: int = 20) -> System:
    """Fixed-size chunks of the whole text (200 characters, 20 overlap), same model.
    A chunk is credited to every paragraph it overlaps, in order."""
    paras = list(engine.doc.paragraphs)
    full, spans = "", []
    for p in paras:
        start = len(full)
        full += p.text + "\n"
        spans.append((start, len(full), p.id))
    chunks, owners = [], []
    step = size - overlap
    for s in range(0, max(1, len(full) - overlap), step):
        chunks.append(full[s : s + size])
        owners.append([pid for a, b, pid in spans if a < s + size and b > s])
    vecs = engine.embedder.encode_passages(chunks)

    def run(question: str, lang: str):
        q = engine.embedder.encode_queries([question])[0]
        out: list[str] = []
        for i in np.argsort(-(vecs @ q)):
            for pid in owners[i]:
                if pid not in out:
                    out.append(pid)
            if len(out) >= k:
                break
        return out[:k], None

    return run


BASELINES = {
    "dense (zh paragraphs)": dense_baseline,
    "BM25 (jieba)": bm25_baseline,
    "chunks 200/20": chunk_baseline,
}


def format_table(rows: Sequence[Scores]) -> str:
    head = ("| pipeline | lang | n | Recall@1 | Recall@3 | MRR | OOS refused | in-scope refused | in language "
            "| quotes gold |")
    lines = [head, "|" + "---|" * 10]
    fmt = lambda v: "—" if v is None else f"{v:.2f}"  # noqa: E731
    for s in rows:
        for lang in LANGS:
            if not s.n.get(lang):
                continue
            lines.append(
                f"| {s.name} | {lang} | {s.n[lang]} | {s.recall1[lang]:.2f} | {s.recall3[lang]:.2f} | "
                f"{s.mrr[lang]:.2f} | {fmt(s.oos_abstained.get(lang))} | {fmt(s.false_abstained.get(lang))} | "
                f"{fmt((s.in_language or {}).get(lang))} | {fmt((s.quotes_gold or {}).get(lang))} |"
            )
    return "\n".join(lines)
