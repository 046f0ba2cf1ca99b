"""Thesaurus expansion: the document's terms for the everyday words a question uses.

The thesaurus travels with the document (edition.load_thesaurus): {"zh": {lay: [terms]},
"en": {lay phrase: [terms]}}. Not handled: an everyday word inside a longer Chinese word is
replaced all the same (substring match), and English phrases match stemmed tokens only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..bridge import read_tsv
from ..config import DATA
from ..document import Lang
from ..text import HAN_CHAR, en_tokens

LAY = DATA / "lay.tsv"


@lru_cache(maxsize=1)
def field_lay() -> dict[str, tuple[str, ...]]:
    """The field's everyday Chinese words and the terms texts write for them (rag/data/lay.tsv)."""
    return read_tsv(LAY)


def with_field_words(text: str, own: dict[str, dict[str, list[str]]] | None) -> dict[str, dict[str, list[str]]]:
    """A document's thesaurus: the field's everyday words whose terms its `text` has, each with
    those terms only (a word none of whose terms it has is left as asked, for the "not covered"
    rule to weigh), under the document's own thesaurus, which wins."""
    own = own or {}
    found = {lay: [t for t in terms if t in text] for lay, terms in field_lay().items()}
    return {"zh": {lay: terms for lay, terms in found.items() if terms} | own.get("zh", {}), "en": dict(own.get("en", {}))}

# An English lay phrase: its tokens, the document's terms for it, and those terms of several
# words as " token token " strings, to see whether a question already uses one.
LayPhrase = tuple[tuple[str, ...], list[str], tuple[str, ...]]


@dataclass(frozen=True)
class Thesaurus:
    lay_zh: list[tuple[str, list[str]]] = field(default_factory=list)  # longest first
    lay_en: dict[str, list[LayPhrase]] = field(default_factory=dict)  # by first token

    @classmethod
    def of(cls, thesaurus: dict[str, dict[str, list[str]]] | None) -> "Thesaurus":
        thesaurus = thesaurus or {}
        lay_zh = sorted(thesaurus.get("zh", {}).items(), key=lambda kv: -len(kv[0]))
        lay_en: dict[str, list[LayPhrase]] = {}
        for k, v in thesaurus.get("en", {}).items():
            if phrase := tuple(en_tokens(k)):
                own = tuple(f" {' '.join(en_tokens(t))} " for t in v if " " in t)
                lay_en.setdefault(phrase[0], []).append((phrase, v, own))
        return cls(lay_zh, lay_en)

    def expand(self, query: str, lang: Lang) -> tuple[list[str], str]:
        """The document's terms for everyday words in the query, and the query with those
        words taken out (what is left for the "not covered" signals to find)."""
        out: list[str] = []
        rest = query
        has_han = bool(HAN_CHAR.search(query))
        if lang == "zh" or has_han:
            for lay, terms in self.lay_zh:
                if lay in rest:
                    out.extend(terms)
                    rest = rest.replace(lay, " ")
        toks = en_tokens(query)
        found = [False] * len(toks)
        said = " " + " ".join(toks) + " "
        for i, tok in enumerate(toks):
            for phrase, terms, own in self.lay_en.get(tok, ()):
                if tuple(toks[i : i + len(phrase)]) == phrase:
                    found[i : i + len(phrase)] = [True] * len(phrase)
                    if any(form in said for form in own):
                        continue  # the question already uses one of the document's terms for it
                    out.extend(terms)
        if any(found) and not has_han:
            rest = " ".join(t for t, f in zip(toks, found) if not f)
        return list(dict.fromkeys(out)), rest
