"""Paragraphs by id or by phrase: the citation ids (§2.4, notice §2.4), a paragraph in context,
the ids nearest a wrong one, and a phrase search. Pure functions of a Document."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .document import Document, Paragraph
from .errors import CitationError
from .text import in_script, normalize

_ID = re.compile(r"^\s*(?:([a-z0-9][a-z0-9-]{0,23})\s*[:：\s]\s*)?(?:§\s*)?(\d+)\s*[.\-_/·]\s*(\d+)\s*$", re.I)
MAX_PHRASE_CHARS = 500  # no paragraph holds a longer phrase: not worth normalizing


@dataclass(frozen=True)
class CiteView:
    """A paragraph in context: its section, its neighbours, and where it sits."""

    paragraph: Paragraph
    section_title: str
    context: tuple[Paragraph, ...]


def parse_citation_id(ref: str) -> str | None:
    """'§2.4', '2.4' and '2-4' -> '§2.4'; 'notice §2.4' and 'notice:2.4' -> 'notice §2.4' (a
    document's library key first); None if it is not an id."""
    m = _ID.match(normalize((ref or "")[:64]))
    if not m:
        return None
    pid = f"§{int(m.group(2))}.{int(m.group(3))}"
    return f"{m.group(1).lower()} {pid}" if m.group(1) else pid


def clean_question(raw: object) -> str:
    """The question as typed, less control characters, lone surrogates and extra space."""
    text = raw if isinstance(raw, str) else str(raw or "")
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates -> '?'
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return re.sub(r"\s+", " ", text).strip()


def cite(doc: Document, key: str, ref: str, before: int = 1, after: int = 1) -> CiteView:
    """The paragraph `ref` names, with `before` and `after` neighbours; a CitationError naming
    the nearest ids otherwise. `key` is the document's key in a library."""
    pid = parse_citation_id(ref)
    if pid and " " in pid:
        asked, pid = pid.split(" ", 1)
        if asked != key:
            raise CitationError(f"No document {asked!r} here: this is {key!r}. Ids look like §2.4.",
                                suggestions=(pid,))
    p = doc.get(pid) if pid else None
    if p is None:
        near = nearest_ids(doc, pid or ref)
        raise CitationError(
            f"No paragraph {ref!r} in the document. Ids look like §2.4 (also 2.4 or 2-4): "
            f"{_id_scheme(doc)}, then the paragraph; §0.n is the header. Nearest: {', '.join(near)}.",
            suggestions=near,
        )
    return CiteView(p, p.title_in("zh") or "(header)", doc.neighbours(p.id, before, after))


def nearest_ids(doc: Document, ref: str, n: int = 3) -> tuple[str, ...]:
    """The ids closest to the numbers in `ref` (section first, then paragraph)."""
    nums = [int(x) for x in re.findall(r"\d+", (ref or "")[:64])][:2] or [1, 1]
    s, q = (nums + [1])[:2]

    def dist(p: Paragraph) -> tuple:
        a, b = _numbers(p.id)
        return (abs(a - s) * 100 + abs(b - q), a, b)

    return tuple(p.id for p in sorted(doc.paragraphs, key=dist)[:n])


def _numbers(pid: str) -> tuple[int, int]:
    a, _, b = pid.lstrip("§").partition(".")
    return int(a), int(b)


def _id_scheme(doc: Document) -> str:
    """What an id's first number counts in this document (rag.parse: its own numbering)."""
    body = doc.body()
    if any(_numbers(p.id)[0] != p.section for p in body):
        articles = sorted({_numbers(p.id)[0] for p in body})
        return f"article {articles[0]}-{articles[-1]}"
    return f"section 1-{len(doc.sections)}"


def find(doc: Document, phrase: str, traditional: bool = False, limit: int = 5) -> tuple[Paragraph, ...]:
    """Paragraphs whose original or English text contains the phrase (spaces ignored); the
    phrase is read in the document's script (`traditional`)."""
    if len(phrase or "") > MAX_PHRASE_CHARS:
        return ()
    needle = "".join(in_script(clean_question(phrase), traditional).split()).lower()
    if not needle:
        return ()
    out = [p for p in doc.paragraphs
           if needle in "".join(unicodedata.normalize("NFKC", p.text).split()).lower()
           or (p.en and needle in "".join(p.en.split()).lower())]
    return tuple(out[:limit])
