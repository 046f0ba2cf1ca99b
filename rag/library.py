"""The document library: the bundled interview by default, plus the documents `rag add` brings.

    library = Library(config.root_path)
    entry = library.add(Path("notice.docx"), config, embedder)  # parse, copy, embed it alone
    library.remove("notice")

Under the index folder:
    library/library.json          the manifest: one entry a document
    library/files/<key>.<suffix>  the file as added, with its own data (<key>.en.jsonl, …)
    library/index/<key>/          its own index: adding or removing a document touches no other
The bundled interview keeps the index folder's own index, as with one document.

Adding parses and embeds the new document first, then replaces the manifest (a temporary
file and os.replace, under a file lock): a running app or a concurrent command sees the
library before or after the change, never half of it. A running app follows the library
through a LiveLibrary: one stat of the manifest before each question, and on a change only the
new documents are opened.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import threading
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator, Mapping

from .config import BUNDLED_DOCUMENT, Config
from .errors import RagError
from .ingest import SUFFIXES
from .route import ROUTE_TO

log = logging.getLogger(__name__)

BUNDLED_KEY = "policy"
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,23}$")
COMPANIONS = ("en.jsonl", "glossary.json", "thesaurus.json", "examples.json")


@dataclass(frozen=True)
class Entry:
    key: str  # short and stable: from the file's name, never from the order of adding
    file: str  # the stored copy; "" for the bundled interview
    sha256: str = ""
    title: str = ""
    kind: str = ""
    date: str = ""
    paragraphs: int = 0
    added: str = ""
    places: tuple[str, ...] = ()  # the provinces and cities it is the rule of (document_places)
    parts: tuple[str, ...] = ()  # the titles of the texts a file of several holds (document_parts)

    @property
    def path(self) -> Path:
        return Path(self.file) if self.file else BUNDLED_DOCUMENT


def document_key(path: str | Path) -> str:
    """'社会保险经办条例.pdf' -> 'doc-…' ; 'MedIns 2024.zh.txt' -> 'medins-2024'."""
    stem = Path(path).name.split(".")[0].lower()
    key = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:24].strip("-")
    if len(key) < 2:
        import hashlib

        key = "doc-" + hashlib.sha256(Path(path).name.encode("utf-8")).hexdigest()[:6]
    return key


class Library:
    def __init__(self, index_root: Path):
        self.root = Path(index_root) / "library"
        self.manifest = self.root / "library.json"

    def entries(self) -> tuple[Entry, ...]:
        """The documents, in the order they were added; the bundled interview when none were."""
        if not self.manifest.exists():
            return (Entry(BUNDLED_KEY, ""),)
        try:
            rows = json.loads(self.manifest.read_text(encoding="utf-8"))["documents"]
            return tuple(Entry(**(row | {"places": tuple(row.get("places", ())), "parts": tuple(row.get("parts", ()))}))
                         for row in rows)
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise RagError(f"{self.manifest}: the library manifest cannot be read ({e}). Restore it, or delete "
                           "the library folder to start again from the bundled interview.") from e

    def get(self, key: str) -> Entry:
        for e in self.entries():
            if e.key == key:
                return e
        raise RagError(f"No document {key!r} in the library; it holds: {', '.join(e.key for e in self.entries())}.")

    @property
    def lock(self) -> Path:
        return self.root / "library.lock"

    def stamp(self) -> tuple[int, int, int] | None:
        """Changes whenever the manifest is replaced (a new file each time): one stat, no read."""
        try:
            st = self.manifest.stat()
        except FileNotFoundError:
            return None
        return st.st_ino, st.st_mtime_ns, st.st_size

    def index_dir(self, entry: Entry, index_root: Path) -> Path:
        return Path(index_root) if not entry.file else self.root / "index" / entry.key

    def router(self, index_root: Path, model_id: str, entries: tuple[Entry, ...]):
        """The router over `entries` (rag.route), made from their builds when they changed."""
        from .route import library_router

        return library_router(self.root, {e.key: self.index_dir(e, index_root) for e in entries}, model_id)

    def add(self, path: str | Path, config: Config, embedder, key: str | None = None) -> Entry:
        """Parse, copy and embed one document, then list it. Nothing changes if any step fails."""
        from .engine import build_index, saved_document
        from .parse import read_document

        path = Path(path)
        if path.suffix.lower() not in SUFFIXES:
            raise RagError(f"{path}: unsupported file type {path.suffix!r}; use one of {', '.join(SUFFIXES)}.")
        doc = read_document(path)  # a broken file fails here, before anything is written
        key = key or document_key(path)
        if not _KEY.match(key):
            raise RagError(f"{key!r} is not a usable key: 1-24 lower-case letters, digits or '-'; pass --key.")
        with _file_lock(self.lock):
            current = self.entries()
            if any(e.key == key for e in current):
                raise RagError(f"The library already has a document {key!r}; `rag remove {key}` first, or pass --key.")
            files = self.root / "files"
            files.mkdir(parents=True, exist_ok=True)
            stored = files / f"{key}{path.suffix.lower()}"
            copied = [stored]
            shutil.copyfile(path, stored)
            for kind in COMPANIONS:
                own = path.with_name(f"{path.name.split('.')[0]}.{kind}")
                if own.is_file():
                    copied.append(files / f"{key}.{kind}")
                    shutil.copyfile(own, copied[-1])
            entry = Entry(key, str(stored.resolve()), doc.sha256, doc.metadata.title, doc.metadata.kind,
                          doc.metadata.date, len(doc.body()), datetime.now(timezone.utc).isoformat(timespec="seconds"),
                          document_places(doc), document_parts(doc))
            try:
                folder = self.index_dir(entry, config.root_path)
                saved_document(stored, folder, replace(doc, name=str(stored)))  # so the build does not read it again
                build_index(replace(config, document=stored, index_dir=folder), embedder=embedder)
            except BaseException:
                for f in copied:
                    f.unlink(missing_ok=True)
                shutil.rmtree(self.root / "index" / key, ignore_errors=True)
                raise
            self._write(current + (entry,))
        return entry

    def remove(self, key: str) -> Entry:
        with _file_lock(self.lock):
            current = self.entries()
            gone = next((e for e in current if e.key == key), None)
            if gone is None:
                raise RagError(f"No document {key!r} in the library; it holds: {', '.join(e.key for e in current)}.")
            if len(current) == 1:
                raise RagError(f"{key!r} is the only document; `rag add` another before removing it.")
            self._write(tuple(e for e in current if e.key != key))
            if gone.file:
                for f in (self.root / "files").glob(f"{key}.*"):
                    f.unlink(missing_ok=True)
                shutil.rmtree(self.root / "index" / key, ignore_errors=True)
        return gone

    def _write(self, entries: tuple[Entry, ...]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.manifest.with_suffix(".json.tmp")
        tmp.write_text(json.dumps({"version": 1, "documents": [asdict(e) for e in entries]}, ensure_ascii=False,
                                  indent=1), encoding="utf-8")
        tmp.replace(self.manifest)


NOT_COVERED = {
    "en": "None of the documents covers this question, so I cannot answer it from the sources. The library holds: {titles}.",
    "zh": "资料库中的文件都没有涉及这个问题，无法依据原文回答。资料库包括：{titles}。",
}
MORE = {"en": "; and {n} more", "zh": "等，另有{n}份文件"}
# The document nearest a question refused it, and a further one's answer was withheld (NEARER_MARGIN).
NEAREST_REFUSES = {
    "en": "The document closest to this question, “{title}”, does not answer it, so I cannot answer it from the sources.",
    "zh": "与这个问题最接近的文件《{title}》没有回答这个问题，无法依据原文回答。",
}
# A question about "the document" that several documents answer from their own header or
# articles: each answers for itself, under its title.
EACH = {"en": "Each document of the library answers this for itself:", "zh": "资料库中的各份文件分别如下："}
# A question naming several places that documents of the library are the rules of ("广州和深圳…"):
# each place's document answers for itself.
EACH_PLACE = {"en": "Each place's own document answers this for itself:", "zh": "以下分别依据各地自己的文件回答："}
PLACE_UNANSWERED = {"en": "For {places}, the library's documents do not answer this.",
                    "zh": "关于{places}，资料库中的文件没有回答这个问题。"}
EACH_MORE = {"en": "…and {n} more documents. Pick one to ask it alone.", "zh": "……另有{n}份文件。可选定一份文件单独提问。"}
EACH_SHOWN = 4
# A second document whose answer is nearly as close as the best one's is named under the answer,
# with its passage among the sources: documents of a library overlap (a city's rules and the
# national regulation), and the best by a hair is not the only one that speaks to the question.
# Under an answer of several documents: the documents it quotes, by title and key.
ORIGIN = {"en": "From: {documents}", "zh": "出自：{documents}"}
ALSO = {"en": "Also in {title}: {quote}{ref}", "zh": "另见《{title}》：{quote}{ref}"}
ALSO_QUOTED = 160  # characters of the second document's sentence quoted; a longer one is cut, with "…"
# How near, in the choice score (closeness plus a little support), a second document must come.
# On a library of eight single-place documents and the bundled interview (bench/library_routing.py
# --docs …, 2026-12-04), 0.02 names a second document under 0.20 of answers, and the question's
# own document is then cited for 0.79 of them, against 0.73 answering; wider margins name one
# under far more answers for little more (0.05: under 0.43, in a trial without routing by place).
ALSO_MARGIN = 0.02
# A question of a message of several (LibraryEngine._in_parts) that no document answers.
PART_NOT_COVERED = {"en": "The library's documents do not cover this part of the question.",
                    "zh": "资料库中的文件没有涉及这一问。"}


class LibraryEngine:
    """Several documents answered as one. A question goes to every document (past ROUTE_TO
    documents, to the ROUTE_TO closest: rag.route); of those that do not refuse it, the one
    whose cited text is closest to the question (Engine.closeness, with a little of its
    retrieval's support: _choice) answers, with its citations keyed by the document
    ("notice §3.2"). `document=` asks one document only.

    `engines` maps each key to its Engine; from `open`, each is opened the first time it is
    asked (OpenOnUse), so a start opens no document and a question only those it goes to.

    A question naming several places whose own documents the library holds ("广州和深圳…") is
    answered by each place's documents, each answer under its title (by_place).

    A second document whose answer comes within ALSO_MARGIN of the best is named under it, its
    passage cited among the sources (_with_also). A message of several questions that different
    documents answer gets each question answered by its own (_in_parts). Not handled: one
    answer to one question composed from several documents' passages."""

    def __init__(self, config: Config, engines: Mapping, embedder=None, router=None):
        self.config = config
        self.engines = engines
        self.embedder = embedder or next(iter(engines.values())).embedder
        self._router = router  # a Router, None (ask every document), or a function making one
        self._lock = threading.Lock()

    @classmethod
    def open(cls, config: Config, embedder=None) -> "LibraryEngine":
        from .embed import QueryMemo, load_embedder
        from .engine import prepare_tokenizer

        prepare_tokenizer(config)
        embedder = QueryMemo(embedder or load_embedder(config.model, threads=config.threads or None,
                                                       allow_download=config.allow_download))
        return cls.over(config, Library(config.root_path).entries(), embedder)

    @classmethod
    def over(cls, config: Config, entries: tuple[Entry, ...], embedder, opened: dict | None = None) -> "LibraryEngine":
        """The library's `entries`, each opened when first asked (`opened`: engines to reuse)."""
        library = Library(config.root_path)
        engines = OpenOnUse(entries, opener(config, embedder), opened)
        return cls(config, engines, embedder, lambda: library.router(config.root_path, embedder.model_id, entries))

    @property
    def catalog(self) -> tuple[Entry, ...]:
        """Each document's key, title, kind, date and paragraph count: as the library lists
        them, opening only a document listed without them (the bundled interview)."""
        listed = getattr(self.engines, "entries", {})
        return tuple(listed[key] if key in listed and (listed[key].title or listed[key].file)
                     else listing(key, self.engines[key]) for key in self.engines)

    def routed(self, question: str, history=()) -> tuple[str, ...]:
        """The documents a question goes to: all of a small library's; of a larger one, the
        ROUTE_TO closest to it, and to the previous question for a follow-up."""
        from .lookup import clean_question

        with self._lock:
            if callable(self._router):
                self._router = self._router() if len(self.engines) > ROUTE_TO else None
        if self._router is None:
            return tuple(self.engines)
        q = clean_question(question[: 4 * self.config.max_question_chars]) if isinstance(question, str) else ""
        if not q or len(q) > self.config.max_question_chars:
            return tuple(self.engines)[:1]  # rejected there as anywhere, and no other document is opened
        keys = set(self._router.route(self.embedder.encode_queries([q])[0], ROUTE_TO))
        last = next((h for h in reversed(list(history)) if isinstance(h, str) and h.strip()), "")
        if last:
            keys |= set(self._router.route(self.embedder.encode_queries([clean_question(last[:2000])])[0], ROUTE_TO))
        return tuple(k for k in self.engines if k in keys)

    @property
    def doc(self):
        """The first document: what a view of one document shows by default."""
        return next(iter(self.engines.values())).doc

    def engine(self, key: str):
        if key not in self.engines:
            raise RagError(f"No document {key!r} in the library; it holds: {', '.join(self.engines)}.")
        return self.engines[key]

    def ask(self, question: str, k: int | None = None, history=(), document: str | None = None):
        if document:
            return keyed(self.engine(document).ask(question, k, history))
        if (said := self._smalltalk(question)) is not None:
            return said
        whole = self._answer(question, k, history)
        return self._in_parts(question, whole, k, history) or whole

    def _in_parts(self, question: str, whole, k: int | None, history):
        """A message of several questions (rag.parts) that different documents answer ("How many
        days of leave do I get? Can I withdraw my housing fund?"): each question answered for
        itself under its own line, by the document that answers it, named. None: the message's
        own answer stands: where one document or none answers its questions, and where they ask
        about the documents themselves ("Who issued it? When?": each document answers as one).

        Asked as one, such a message goes to one document, which answers one question or
        neither (refused: no document covers the whole). A later part is asked as a follow-up
        of the first, of the first's document alone where it leans on the first (_later). A
        message refused as a whole whose questions one document answers in part stays refused:
        a question judged alone is judged on less (bench/library_parts.py:
        messages of two questions out of scope were then refused 0.44 and 0.62 of the time in
        English and Chinese, against 0.81 and 0.85)."""
        from .answer import in_parts
        from .lookup import clean_question
        from .parts import question_parts

        if (whole.message or len(self.engines) < 2 or not isinstance(question, str)
                or len(question) > self.config.max_question_chars):
            return None
        parts = question_parts(clean_question(question))
        if len(parts) < 2:
            return None
        first = self._answer(parts[0], k, history)
        answers = [first] + [self._later(p, parts[0], _key_of(first), k) for p in parts[1:]]
        answered = [a for a in answers if not a.abstained]
        if (any(a.message for a in answers) or len({_key_of(a) for a in answered}) < 2
                or all(a.from_structure for a in answered)):
            return None
        sources = [f"{self.source_title(a.citations[0] if a.citations else None)} ({_key_of(a)})" for a in answers]
        return in_parts(whole.question, whole.language, parts, answers, sources, PART_NOT_COVERED)

    def _later(self, part: str, first: str, key: str, k: int | None):
        """A later question of a message, asked as a follow-up of the first: of the document that
        answered the first (`key`) where it leans on that one ("给多长时间？", "what threshold must
        it reach?": rag.parts.leans_on_before), else of the library."""
        from .parts import leans_on_before

        if key and leans_on_before(part):
            return keyed(self.engines[key].ask(part, k, (first,)))
        return self._answer(part, k, (first,))

    def _answer(self, question: str, k: int | None, history):
        """The library's answer to one question: by the documents it names, its places' own, or
        the one whose answer is closest."""
        keys = named(question, self.catalog)
        groups = [] if keys else by_place(question, self.catalog)
        if len(groups) > 1:
            # Each place's answer from its own documents, asked of that place alone ("广州和上海…"
            # asked of Shanghai's rules is Shanghai's question); one document twice is one answer.
            from .qtype import only_place

            shown = [(place, self._best(ks, only_place(question, place), k, history)[0]) for place, ks in groups]
            picked = {_key_of(a[0]): a[0] for _, a in shown if a}
            if picked:
                return self._each(list(picked.values()), EACH_PLACE, unanswered=[p for p, a in shown if not a])
        keys = keys or of_kind(self.routed(question, history), question, self.catalog)
        # A question of one place is asked of that place's own documents first: a Guangzhou
        # guide's rule is not Shenzhen's. Where they do not answer, of the others.
        local = of_kind(groups[0][1], question, self.catalog) if len(groups) == 1 else ()
        shown, answers, ranked = self._best(local, question, k, history) if local else ([], {}, [])
        rest = tuple(key for key in keys if key not in local)  # those that refused are not asked again
        if not shown and (rest or not answers):  # the place's own refusals still weigh (NEARER_MARGIN)
            shown, more, ranked = self._best(rest or keys, question, k, history, refused=tuple(answers.values()))
            answers = answers | more
        if shown:
            return self._each(shown) if len(shown) > 1 else self._with_also(shown[0], ranked)
        return self._not_covered(answers)

    def _not_covered(self, answers: dict):
        """The library's refusal, from each asked document's answer (key -> Answer): the question's
        own rejection (empty, too long), the same everywhere; the nearest document named where it
        refused what a further one answered (NEARER_MARGIN); else the titles it looked in."""
        refusals = {key: a for key, a in answers.items() if a.abstained}
        first = next(iter(refusals.values()))
        if first.message:
            return first
        nearest = max(refusals, key=lambda key: refusals[key].nearness)
        if len(self.engines) == 1:  # one document asked alone: its own refusal says what it covers
            return replace(first, nearest=nearest)
        lang = first.language
        if len(refusals) < len(answers):
            title = self._title_by_key().get(nearest, nearest)
            text = NEAREST_REFUSES[lang].format(title=title)
        else:
            text = NOT_COVERED[lang].format(titles=self._titles(lang))
        return replace(first, text=text, citations=(), abstained=True, nearest=nearest)

    def _smalltalk(self, question):
        """The reply to "hello" or "thanks" (rag.smalltalk), naming the library's documents;
        None for a question. No document is opened or asked."""
        from .document import Answer
        from .lookup import clean_question
        from .smalltalk import act_of, reply
        from .text import detect_language, normalize

        shown = clean_question(question[:200] if isinstance(question, str) else question)
        if (act := act_of(normalize(shown))) is None:
            return None
        lang = detect_language(shown)
        text = reply(act, lang, [e.title or e.key for e in self.catalog])
        return Answer(shown, lang, text, True, (), message="smalltalk")

    def _best(self, keys, question: str, k: int | None, history, refused=()) -> tuple[list, dict, list]:
        """The answers to show of the documents `keys`, best first (none when every one
        refuses, or when one nearer the question refuses it: NEARER_MARGIN; several when several
        answer from their own structure), each one's by key, and those that answered as (choice
        score, answer), best first. `refused`: other documents' refusals of the question, weighed too."""
        from .retrieve.article import asks_more_than_article

        engines = [self.engines[key] for key in keys]
        answers = [e.ask(question, k, history) for e in engines]
        answered = [(e, a) for e, a in zip(engines, answers) if not a.abstained]
        by_key = dict(zip(keys, answers))
        if not answered:
            return [], by_key, []
        qv = self.embedder.encode_queries([question])[0]
        scored = [(e.closeness(qv, a), a) for e, a in answered]
        ranked = sorted(((_choice(close, a.support), a) for close, a in scored), key=lambda ca: -ca[0])
        # Asked of "the document" or one of its articles: those that answer from their own
        # header or articles, rather than a document whose retrieval merely found something.
        structural = [a for _, a in ranked if a.from_structure]
        if len(structural) > 1 and asks_more_than_article(question):
            # "按第四条规定参保的农民工…": every regulation has an article 4; those on the topic answer.
            top = max(close for close, a in scored if a.from_structure)
            structural = [a for close, a in sorted(scored, key=lambda ca: -ca[0])
                          if a.from_structure and close >= top - NEARER_MARGIN]
        if structural:
            return structural, by_key, ranked
        best = ranked[0][1]
        nearer = max((a.nearness for a in (*answers, *refused) if a.abstained and not a.message), default=-1.0)
        if nearer > next(close for close, a in scored if a is best) + NEARER_MARGIN:
            # The document nearest the question refuses it: another's answer would be chance.
            return [], by_key, []
        return [best], by_key, ranked

    def _with_also(self, best, ranked: list):
        """The best answer, keyed, and under it the runner-up document's passage where that one
        answered nearly as well (ALSO_MARGIN): named by its title, its first quoted sentence
        quoted, cited among the sources.
        `ranked`: (choice score, answer) of the documents that answered, best first."""
        others = [(score, a) for score, a in ranked[1:] if a.citations and _key_of(a) != _key_of(best)]
        if best.from_structure or not others or ranked[0][0] - others[0][0] > ALSO_MARGIN:
            return keyed(best)
        from .render import source_order

        best, other = keyed(best), keyed(others[0][1])
        cite = next((c for c in source_order(other) if c.used), other.citations[0])  # what its answer opens with
        quote = cite.used[0] if cite.used else ""
        quote = quote if len(quote) <= ALSO_QUOTED else quote[:ALSO_QUOTED].rstrip() + "…"
        line = ALSO[best.language].format(title=self.source_title(cite), quote=quote, ref=f"[{cite.id}]")
        return replace(best, text=f"{best.text}\n\n{line}", citations=best.citations + (cite,))

    def _each(self, answers: list, heading: dict[str, str] = EACH, unanswered: list[str] = ()):
        """One answer of several documents' own, each under its title: "When was it issued?"
        asked of a library, which no one of them answers alone. `unanswered`: the places asked
        of whose documents none answers, said so at the end."""
        from .qtype import place_name

        shown = [(_key_of(a), keyed(a)) for a in answers[:EACH_SHOWN]]
        lang = shown[0][1].language
        blocks = [heading[lang]] + [f"{self.source_title(a.citations[0])} ({key})\n{a.text}" for key, a in shown]
        if unanswered:
            names = ("、" if lang == "zh" else ", ").join(place_name(p, lang) for p in unanswered)
            blocks.append(PLACE_UNANSWERED[lang].format(places=names))
        if len(answers) > EACH_SHOWN:
            blocks.append(EACH_MORE[lang].format(n=len(answers) - EACH_SHOWN))
        return replace(shown[0][1], text="\n\n".join(blocks), citations=tuple(c for _, a in shown for c in a.citations),
                       support=max(a.support for _, a in shown))

    def _title_by_key(self) -> dict[str, str]:
        """Each document's title as the library lists it (its key where it has none)."""
        return {e.key: e.title or e.key for e in self.catalog}

    def origin(self, a) -> str:
        """The documents an answer quotes, by title and key ("From: 住房公积金管理条例 (housing)"),
        for a front end that drops the lead-in ("According to the regulations:"): a keyed id does
        not say what "housing" is. "" for a library of one document, a refusal, or an answer whose
        text names each already (a message of several questions, each under its document's line)."""
        if len(self.engines) < 2 or a.abstained:
            return ""
        first = {}
        for c in a.citations:
            first.setdefault(c.document, c)
        named = [f"{title} ({key})" for key, c in first.items() if key and (title := self.source_title(c))]
        if not named or all(n in a.text for n in named):
            return ""
        return ORIGIN[a.language].format(documents=("; " if a.language == "en" else "；").join(named))

    def source_title(self, cite) -> str:
        """The title of the text a citation is from: its document's, or, where rules part several
        texts in one file (two service guides), the cited one's (rag.parse._texts); "" for none."""
        if cite is None or not cite.document:
            return ""
        part = ""
        if cite.document in self.engines:  # it answered, so it is open
            doc = self.engines[cite.document].doc
            p = doc.get(cite.id.split(" ")[-1])
            part = doc.part_of(p.section) if p is not None else ""
        return part or self._title_by_key().get(cite.document, cite.document)

    def _titles(self, lang: str, shown: int = 4, longest: int = 30) -> str:
        """The library's first titles, and how many more: a refusal names what it looked in.
        A long title is cut ("上海市人力资源和社会保障局关于印发《上海市失业保险金…"): it is a pointer, not a quote."""
        from .text import clipped

        titles = [e.title or e.key for e in self.catalog]
        more = len(titles) - shown
        text = ("; " if lang == "en" else "；").join(clipped(t, longest) for t in titles[:shown])
        return text + (MORE[lang].format(n=more) if more > 0 else "")

    def stream(self, question: str, k: int | None = None, history=(), mode: str | None = None):
        """The answer as one item: across documents nothing is streamed."""
        yield self.ask(question, k, history)

    def cite(self, ref: str, before: int = 1, after: int = 1):
        from .engine import parse_citation_id
        from .errors import CitationError

        pid = parse_citation_id(ref)
        if not pid or " " not in pid:
            keys = ", ".join(f"{key} {pid or '§2.4'}" for key in self.engines)
            raise CitationError(f"Say which document {ref!r} is in: the library holds several ({keys}).",
                                suggestions=tuple(f"{key} {pid}" for key in self.engines) if pid else ())
        key, local = pid.split(" ", 1)
        view = self.engine(key).cite(local, before, after)
        return replace(view, paragraph=_keyed_paragraph(view.paragraph, key),
                       context=tuple(_keyed_paragraph(p, key) for p in view.context))

    def find(self, phrase: str, limit: int = 5):
        """Paragraphs holding the phrase, their ids keyed by document."""
        out = []
        for key, e in self.engines.items():
            out.extend(_keyed_paragraph(p, key) for p in e.find(phrase, limit))
        return tuple(out[:limit])

    def nearest_ids(self, ref: str, n: int = 3) -> tuple[str, ...]:
        return tuple(f"{key} {pid}" for key, e in self.engines.items() for pid in e.nearest_ids(ref, 1))[:n]


def named(question, catalog: tuple[Entry, ...]) -> tuple[str, ...]:
    """The documents a question names by title, or by the title of a text the file holds
    ("北京市就业援助规定第五条…", "《就业援助规定》是哪天通过的？"), or by its English ("When was the
    Social Insurance Law adopted?", rag.retrieve.article.in_english): it is asked of those only."""
    from .retrieve.article import english_names, is_named
    from .text import bare_name

    if not isinstance(question, str):
        return ()
    q = bare_name(question)
    quoted = [t for t in (bare_name(m) for m in re.findall(r"《([^》]{2,60})》", question)) if len(t) >= 4]
    english = english_names(question)

    def names(title: str) -> bool:
        return len(t := bare_name(title)) >= 4 and (
            t in q or any(x in t for x in quoted) or any(is_named(title, name) for name in english))

    return tuple(e.key for e in catalog if any(names(title) for title in (e.title, *e.parts)))


def by_place(question, catalog: tuple[Entry, ...]) -> list[tuple[str, tuple[str, ...]]]:
    """For a question naming places ("广州和深圳的失业金有什么不同？", "在深圳…"), each named place
    that has documents, with them (Entry.places, else the places its title names)."""
    from .qtype import places

    if not isinstance(question, str) or not (asked := places(question)):
        return []
    of = {e.key: set(places_of(e)) for e in catalog}
    groups = [(place, tuple(key for key in of if place in of[key])) for place in sorted(asked)]
    return [(place, keys) for place, keys in groups if keys]


def of_kind(keys: tuple[str, ...], question, catalog: tuple[Entry, ...]) -> tuple[str, ...]:
    """Of `keys`, the documents of the kind the question calls its document by ("本条例…", "in
    the interview"): a notice issuing measures counts as both. All of them where none is."""
    from .meta import kinds_meant
    from .parse import KINDS

    if not (asked := kinds_meant(question)):
        return keys
    kinds = {e.key: {e.kind} | {kind for word, kind in KINDS if word in (e.title or "")} for e in catalog}
    return tuple(k for k in keys if kinds.get(k, set()) & asked) or keys


def _key_of(answer) -> str:
    return next((c.document for c in answer.citations if c.document), "")


def _keyed_paragraph(p, key: str):
    return replace(p, id=f"{key} {p.id}")


# A document that refuses a question, though it came this much closer to it (Engine.closeness of
# the paragraphs it found) than the best answering document's cited text, makes the library
# refuse: "How many days of annual leave…" is refused by the annual-leave measures, and the
# minimum-wage rules' "within 10 days" is no answer. The smallest margin that costs no Recall@1 on
# the 25 read fixtures, each in a library with the bundled interview (docs/evaluation.md,
# seventeenth session).
NEARER_MARGIN = 0.05

# How much the retrieval's own support counts beside the documents' comparable closeness when
# several documents answer. Support alone favours a document with an English edition and
# hand-written questions (the bundled interview answered 13 of 26 English questions written for
# another document); closeness alone, the reverse. Chosen leave-one-document-out on the four
# documents' questions (bench/library_routing.py): 0.01 for every held-out one.
SUPPORT_WEIGHT = 0.01


def _choice(closeness: float, support: float) -> float:
    return closeness + SUPPORT_WEIGHT * _logit(support)


def _logit(p: float) -> float:
    """The retrieval's evidence before the logistic squashes it: 0.999 and 0.9999 differ here."""
    import math

    p = min(max(p, 1e-15), 1 - 1e-15)
    return math.log(p / (1 - p))


def keyed(answer):
    """Citation ids, and the answer's [§x.y] markers, prefixed with each citation's document key."""
    import re

    cites = tuple(replace(c, id=f"{c.document} {c.id}") if c.document else c for c in answer.citations)
    key = next((c.document for c in answer.citations if c.document), "")
    text = re.sub(r"\[(§\d+\.\d+)\]", lambda m: f"[{key} {m.group(1)}]", answer.text) if key else answer.text
    return replace(answer, text=text, citations=cites)


class OpenOnUse(Mapping):
    """Document key -> Engine, each opened the first time it is asked for (`open_one(entry)`),
    once however many threads ask. `opened` are engines already open, reused."""

    def __init__(self, entries: tuple[Entry, ...], open_one: Callable[[Entry], object], opened: dict | None = None):
        self.entries = {e.key: e for e in entries}
        self._open_one = open_one
        self._opened = dict(opened or {})
        self._lock = threading.Lock()

    def __getitem__(self, key: str):
        entry = self.entries[key]
        with self._lock:
            if key not in self._opened:
                self._opened[key] = self._open_one(entry)
            return self._opened[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, key) -> bool:  # without opening it
        return key in self.entries

    def opened(self) -> dict:
        with self._lock:
            return dict(self._opened)


def opener(config: Config, embedder) -> Callable[[Entry], object]:
    """How a library opens one of its documents: with its own index folder, the library's
    embedder (a QueryMemo: a question is encoded once for all) and off-topic vectors (read once)."""
    from .engine import Engine, background_vectors

    library, background = Library(config.root_path), []

    def open_one(entry: Entry):
        if not background:
            background.append(background_vectors(config.root_path, embedder))
        own = replace(config, document=entry.path, index_dir=library.index_dir(entry, config.root_path))
        return Engine.open(own, embedder=embedder, background=background[0], key=entry.key)

    return open_one


def listing(key: str, engine) -> Entry:
    """A library entry for an open document: what the Documents view and the header show."""
    m = engine.doc.metadata
    return Entry(key, "", engine.doc.sha256, m.title or engine.doc.name, m.kind, m.date, len(engine.doc.body()),
                 places=document_places(engine.doc), parts=document_parts(engine.doc))


# A place the title and issuer do not name is the document's own when this many of its
# paragraphs name it: a guide of "市社保基金管理局" speaks of 佛山 throughout.
PLACE_PARAGRAPHS = 3


def places_of(entry: Entry) -> tuple[str, ...]:
    """The places an entry lists, or those its title names where it lists none (a library made
    before places were listed)."""
    from .qtype import places

    return entry.places or tuple(sorted(places(entry.title)))


def document_parts(doc) -> tuple[str, ...]:
    """The titles of the texts a file holds where rules part it into several (two guides, a
    notice and the measures it issues); none for a file of one text."""
    parts = tuple(dict.fromkeys(p.part for p in doc.paragraphs if p.part))
    return parts if len(parts) > 1 else ()


def document_places(doc) -> tuple[str, ...]:
    """The provinces and cities whose rule the document is: those its title or issuer names,
    else those PLACE_PARAGRAPHS or more of its paragraphs name. A national text has none."""
    from collections import Counter

    from .qtype import home_places, places

    if own := home_places(doc.metadata.title, doc.metadata.issuer):
        return tuple(sorted(own))
    named = Counter(place for p in doc.body() for place in places(p.text))
    return tuple(sorted(place for place, n in named.items() if n >= PLACE_PARAGRAPHS))


def open_engine(config: Config, document: str | None = None, embedder=None):
    """What a command or the app asks: `--document FILE` alone; else the library, as one
    Engine when it holds one document (ids stay §4.3) or when `document` names one."""
    from .engine import Engine, prefetch_second

    prefetch_second(config)

    if Path(config.document).resolve() != BUNDLED_DOCUMENT.resolve():
        engine = Engine.open(config, embedder=embedder)
    else:
        library = Library(config.root_path)
        entries = library.entries()
        if document or len(entries) == 1:
            e = library.get(document) if document else entries[0]
            own = replace(config, document=e.path, index_dir=library.index_dir(e, config.root_path))
            engine = Engine.open(own, embedder=embedder, key=e.key)
            # One document of several keeps the library's keyed ids.
            engine = engine if len(entries) == 1 else LibraryEngine(config, {e.key: engine})
        else:
            engine = LibraryEngine.open(config, embedder=embedder)
    use_lexicon_of(config, engine)
    return engine


def use_lexicon_of(config: Config, engine) -> None:
    """Cut questions with the lexicon of the documents `engine` answers from (engine.install_lexicon),
    saved under their builds: a library's start opens no document for it."""
    from .engine import document_signature, install_lexicon, load_document

    engines = getattr(engine, "engines", None)
    if not isinstance(engines, OpenOnUse):
        docs = documents_of(engine)
        install_lexicon(config.index_path, lambda: docs, document_signature(docs))
        return
    library = Library(config.root_path)
    entries = tuple(engines.entries.values())
    try:
        builds = [(library.index_dir(e, config.root_path) / "CURRENT").read_text(encoding="utf-8") for e in entries]
    except OSError:
        return  # a document not built yet: questions are cut with jieba's whole dictionary

    def docs():
        return [load_document(replace(config, document=e.path, index_dir=library.index_dir(e, config.root_path)))
                for e in entries]

    install_lexicon(config.root_path, docs, "library:" + ":".join(f"{e.key}={b}" for e, b in zip(entries, builds)))


def within(engine, key: str | None):
    """What to ask for one document of the library (`key`, its ids still keyed), or the whole
    library (None or ""). Raises RagError naming the documents there are."""
    if not key:
        return engine
    engines = getattr(engine, "engines", None)
    if engines is None:
        if key == engine.key:
            return engine
        raise RagError(f"No document {key!r}: this app answers from {engine.key!r} only.")
    return engine if len(engines) == 1 and key in engines else LibraryEngine(engine.config, {key: engine.engine(key)})


def origin_of(engine, answer) -> str:
    """The documents of a library an answer quotes (LibraryEngine.origin); "" for one Engine."""
    return engine.origin(answer) if hasattr(engine, "origin") else ""


def catalog_of(engine) -> tuple[Entry, ...]:
    """The documents an Engine or a LibraryEngine answers from, as the Documents view lists them."""
    return engine.catalog if hasattr(engine, "catalog") else (listing(getattr(engine, "key", ""), engine),)


def documents_of(engine) -> list:
    """The documents an Engine or a LibraryEngine answers from."""
    engines = getattr(engine, "engines", None)
    return [e.doc for e in engines.values()] if engines else [engine.doc]


class LiveLibrary:
    """The engine a running app answers from, following the library as `rag add`, `rag remove`
    or the app itself change it.

        live = LiveLibrary(config, open_engine(config))
        engine = live.current()   # once a request: a question finishes on the engine it began with
        live.add(path, key)       # embeds that document alone, then swaps

    `current()` compares the manifest's stamp (one stat) with the one it opened; on a change it
    reopens the library under the library's lock, reusing the documents already open, and swaps
    one reference. One document answers as its own Engine (ids stay §4.3), several as a
    LibraryEngine (notice §3.2). An app given `--document FILE` does not follow the library."""

    def __init__(self, config: Config, engine, embedder=None):
        self.config = config
        self.library = Library(config.root_path)
        self.follows = Path(config.document).resolve() == BUNDLED_DOCUMENT.resolve()
        self.embedder = embedder or engine.embedder
        self._engine = engine
        self._lock = threading.Lock()
        self._failed: object = None  # a stamp that could not be opened: not retried every question
        stamp = self.library.stamp() if self.follows else None
        entries = self.library.entries() if self.follows else ()
        # Opened before this stamp was read: if the library changed meanwhile, current() catches up.
        self._stamp: object = stamp if _answers_exactly(entries, engine) else "unmatched"

    def current(self):
        """The engine for one request: the library as the manifest lists it now. If the changed
        library cannot be opened, the one open goes on answering and the error is logged."""
        stamp = self.library.stamp() if self.follows else None
        if stamp != self._stamp and stamp != self._failed:
            try:
                return self.reload()
            except (RagError, OSError) as e:
                log.error("the library changed but cannot be opened (%s); answering from the documents open", e)
                self._failed = stamp
        return self._engine

    def reload(self):
        """Open what the manifest lists now, reusing the documents open, and swap it in."""
        from .embed import QueryMemo

        if not self.follows:
            return self._engine
        with self._lock, self._library_lock():
            stamp = self.library.stamp()
            if stamp == self._stamp:
                return self._engine  # another thread caught up first
            entries = self.library.entries()
            memo = self.embedder if isinstance(self.embedder, QueryMemo) else QueryMemo(self.embedder)
            self.embedder = memo  # as LibraryEngine.open: a question is encoded once for all documents
            reuse = _reusable(entries, self._engine)
            if len(entries) == 1:
                engine = reuse.get(entries[0].key) or opener(self.config, memo)(entries[0])
            else:
                engine = LibraryEngine.over(self.config, entries, memo, reuse)
            use_lexicon_of(self.config, engine)
            self._engine, self._stamp, self._failed = engine, stamp, None
            log.info("the library now holds %s", ", ".join(e.key for e in entries))
            return self._engine

    def add(self, path: str | Path, key: str | None = None) -> Entry:
        """`Library.add` (only this document is embedded), then the running app answers from it."""
        entry = self.library.add(path, self.config, self.embedder, key=key)
        self.reload()
        return entry

    def remove(self, key: str) -> Entry:
        entry = self.library.remove(key)
        self.reload()
        return entry

    def _library_lock(self):
        """The library's file lock, so an add or remove under way finishes first (its files are
        gone only after the manifest is). A read-only library changes under nobody: no lock."""
        if not os.access(self.library.root, os.W_OK):
            return contextlib.nullcontext()
        return _file_lock(self.library.lock)


def _file_lock(path: Path):
    from filelock import FileLock  # imported here: answering a question never needs it

    return FileLock(str(path))


def _reusable(entries: tuple[Entry, ...], engine) -> dict:
    """The open per-document engines of `engine` that are still the manifest's (same key and text)."""
    engines = getattr(engine, "engines", None)
    if engines is None:
        engines = {getattr(engine, "key", ""): engine}
    open_now = engines.opened() if isinstance(engines, OpenOnUse) else dict(engines)
    return {e.key: open_now[e.key] for e in entries
            if e.key in open_now and (not e.sha256 or open_now[e.key].doc.sha256 == e.sha256)}


def _answers_exactly(entries: tuple[Entry, ...], engine) -> bool:
    """Whether `engine` answers from exactly the documents `entries` lists."""
    engines = getattr(engine, "engines", None)
    if isinstance(engines, OpenOnUse):
        return tuple(engines.entries.values()) == tuple(entries)
    return len(_reusable(entries, engine)) == len(entries) == len(engines or (engine,))
