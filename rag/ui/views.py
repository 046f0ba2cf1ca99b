"""The page's other views (a paragraph looked up, the contents, the documents) and the JSON API."""

import functools
import json
import logging
from typing import Any, Callable

from ..document import Lang
from ..engine import Engine, parse_citation_id
from ..errors import CitationError, RagError
from ..ingest import SUFFIXES
from ..library import catalog_of, within
from ..render import cite_html, cite_json, cite_ref, esc, suggestions_html, toc_html
from .labels import LABELS, size_text

log = logging.getLogger(__name__)


def lookup_html(engine: Engine, query: str, lang: Lang, used: tuple[str, ...] = ()) -> str:
    """A paragraph in context, by id or by a phrase of its text; a message otherwise. `used`:
    the sentences an answer quoted from it, marked."""
    labels = LABELS[lang]
    query = (query or "").strip()
    if not query:
        return f'<p class="lookup-hint">{esc(labels["lookup_empty"])}</p>'
    try:
        # Anything that looks like an id goes to cite(), whose error lists the nearest ids.
        if parse_citation_id(query) or query.startswith("§") or not any(ch.isalpha() for ch in query):
            view = engine.cite(query)
            return cite_html(view.section_title, view.paragraph, view.context, lang, used)
        found = engine.find(query)
        if not found:
            return suggestions_html(labels["not_found"].format(phrase=query[:80]), ())
        view = engine.cite(found[0].id)
        shown = cite_html(view.section_title, view.paragraph, view.context, lang)
        if len(found) > 1:
            shown += suggestions_html(labels["also"], tuple(p.id for p in found[1:]))
        return shown
    except CitationError as e:
        return suggestions_html(str(e), e.suggestions)
    except RagError as e:
        return suggestions_html(labels["error"].format(message=str(e)), ())
    except Exception:
        log.exception("unexpected error looking up %r", query[:200])
        return suggestions_html(labels["oops"], ())



def ask_json(engine: Engine, question: str, k: int | None = None, document: str | None = None) -> dict[str, Any]:
    """The answer as `rag ask --json` prints it, from the whole library or from one document
    (`document`, its key). A question that is not text, a k that is not a whole number from 1
    to 20, or an unknown document is refused with the reason."""
    if not isinstance(question, str):
        raise RagError(f"question must be text, got {type(question).__name__}.")
    if document is not None and not isinstance(document, str):
        raise RagError(f"document must be a document's key (text), got {type(document).__name__}.")
    engine = within(engine, (document or "")[:64])
    if k is not None and k != "":
        if isinstance(k, bool) or not isinstance(k, (int, float, str)):
            raise RagError(f"k must be between 1 and 20 (a whole number), got {type(k).__name__}.")
        try:
            value = float(k)
        except ValueError:
            raise RagError(f"k must be between 1 and 20 (a whole number), got {str(k)[:20]!r}.") from None
        if not value.is_integer() or not 1 <= value <= 20:
            raise RagError(f"k must be between 1 and 20 (a whole number), got {str(k)[:20]}.")
        k = int(value)
    return engine.ask(question, k=k or None).to_json()


def cite_payload(engine: Engine, ref: str) -> dict[str, Any]:
    """A paragraph as `rag cite --json` prints it, or {error, suggestions} for an unknown id."""
    try:
        view = engine.cite(ref)
    except CitationError as e:
        return {"error": str(e), "suggestions": list(e.suggestions)}
    return cite_json(view.section_title, view.paragraph, view.context)


def header_html(engine: Engine, lang: Lang) -> str:
    """The page's title and what it answers from: one document's title, subtitle and date line,
    or a library's first titles and how many more."""
    labels = LABELS[lang]
    engines = getattr(engine, "engines", None)
    if not engines or len(engines) == 1:
        m = (next(iter(engines.values())) if engines else engine).doc.metadata
        intro, source = labels["intro"], " · ".join(x for x in (m.title, m.subtitle.lstrip("—- "), m.dateline) if x)
    else:
        listed = catalog_of(engine)
        titles = [e.title or e.key for e in listed]
        rest = len(titles) - 3
        intro = labels["intro_many"].format(n=len(titles), key=listed[0].key)
        source = " · ".join(titles[:3]) + (" · " + labels["more_docs"].format(n=rest) if rest > 0 else "")
    return (f'<div class="rag-header"><h1>{esc(labels["title"])}</h1>'
            f'<p>{esc(intro)}</p><p class="lbl" lang="zh">{esc(source)}</p></div>')


def _places(entry, lang: Lang) -> str:
    """The places a document is the rules of, as the reader writes them; none for a national one."""
    from ..library import places_of
    from ..qtype import place_name

    return ("、" if lang == "zh" else ", ").join(place_name(p, lang) for p in places_of(entry))


def documents_html(engine: Engine, lang: Lang, editable: bool = False, limit: int = 20 * 2**20,
                   status: str = "", failed: bool = False) -> str:
    """The documents the app answers from: key, title, kind, places, date and size, all escaped. With
    `editable`, a form to add a file (of at most `limit` bytes) and a remove button a document,
    which the page script sends to rag.ui.uploads; `status`: what the last of them did."""
    labels = LABELS[lang]
    head = "".join(f"<th>{esc(h)}</th>" for h in labels["docs_head"] + ((labels["docs_actions"],) if editable else ()))
    keyed = bool(getattr(engine, "engines", None))  # a library's ids name their document
    rows = "".join(
        f"<tr><td>{esc(e.key)}</td><td lang=\"zh\">{_open_link(e, keyed, labels)}</td>"
        f"<td>{esc(e.kind)}</td><td>{esc(_places(e, lang))}</td><td>{esc(e.date)}</td><td>{e.paragraphs}</td>"
        + (_remove_cell(e.key, labels) if editable else "") + "</tr>"
        for e in catalog_of(engine))
    shown = (f'<p class="lbl">{esc(labels["docs_note_edit" if editable else "docs_note"])}</p>'
             # On a phone the table scrolls sideways in its own box, which the keyboard can reach.
             f'<div class="docs-scroll" tabindex="0" role="region" aria-label="{esc(labels["docs_tab"])}">'
             f'<table class="docs"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>')
    if not editable:
        return shown
    said = ('<p id="rag-docs-status" class="docs-status error" role="alert">' if failed
            else '<p id="rag-docs-status" class="docs-status" role="status">')
    return shown + _add_form(labels, lang, limit) + f"{said}{esc(status)}</p>"


def _open_link(entry, keyed: bool, labels: dict) -> str:
    """The document's title, a link opening its first lines in the lookup tab with its contents
    beside them (the page script's, as for a contents link)."""
    pid = f"{entry.key} §0.1" if keyed else "§0.1"
    named = esc(labels["docs_open"].format(key=entry.key))
    return (f'<a class="cite doc-open" href="?cite={esc(cite_ref(pid))}" data-cite="{esc(pid)}" '
            f'title="{named}">{esc(entry.title or entry.key)}</a>')


def _remove_cell(key: str, labels: dict) -> str:
    named = esc(labels["docs_remove_label"].format(key=key))
    return (f'<td><button type="button" class="doc-remove" data-key="{esc(key)}" aria-label="{named}">'
            f'{esc(labels["docs_remove"])}</button></td>')


def _add_form(labels: dict, lang: Lang, limit: int) -> str:
    """A file input and its button; the page script's messages ride along as data attributes."""
    said = " ".join(f'data-{name}="{esc(labels["docs_" + name])}"'
                    for name in ("pick", "adding", "added", "confirm", "removing", "removed", "failed"))
    accept = ",".join(SUFFIXES)
    hint = labels["docs_types"].format(size=size_text(limit))
    return (f'<form id="rag-doc-add" class="doc-add" data-lang="{lang}" {said}>'
            f'<label for="rag-doc-file">{esc(labels["docs_add"])}</label> '
            f'<input type="file" id="rag-doc-file" name="file" accept="{esc(accept)}" '
            f'aria-describedby="rag-doc-types"> '
            f'<button type="submit" id="rag-doc-add-go">{esc(labels["docs_add_go"])}</button>'
            f'<span class="lbl" id="rag-doc-types">{esc(hint)}</span></form>')


def page_status(message: str) -> tuple[str, bool]:
    """What the page script says happened, {"text": …, "failed": …}, as (text, failed)."""
    try:
        said = json.loads(message or "{}")
        return str(said.get("text", ""))[:600], bool(said.get("failed"))
    except (ValueError, AttributeError):
        return "", False


def contents_html(engine: Engine, lang: Lang, ref: str = "") -> str:
    """The contents of the document a looked-up id is of ("gzlink §7.3": that document's), else of
    the first (the library's default). In a library each is named by its title and its ids are
    keyed, the first one's too: an id alone names no document there."""
    heading = f'<h3>{esc(LABELS[lang]["toc"])}</h3>'
    engines = getattr(engine, "engines", None)
    if not engines:
        return heading + toc_html(engine.doc, lang, snippet=48)
    first = next(iter(engines))
    key = (parse_citation_id(ref or "") or "").rpartition(" ")[0]
    key = key if key in engines else first
    try:
        doc = engine.engine(key).doc
    except RagError as e:  # a document that cannot be opened now: the first one's, and the lookup says why
        log.warning("contents of %s: %s", key, e)
        key, doc = first, engine.engine(first).doc
    title = f'<p class="toc-doc">{esc(doc.metadata.title or key)} ({esc(key)})</p>'
    return heading + title + toc_html(doc, lang, snippet=48, key=key)


def _api_errors(fn: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """API callers get gr.Error with a message, never a traceback."""
    import gradio as gr

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            return fn(*args, **kwargs)
        except RagError as e:
            raise gr.Error(str(e)) from None
        except Exception:
            log.exception("unexpected error in %s", fn.__name__)
            raise gr.Error("Internal error; it has been logged.") from None

    return wrapper
