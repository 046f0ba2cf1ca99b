"""What is embedded, and the store that holds it by vector id.

A build's units live in three memory-mapped arrays and one SQLite file:

    unit_para.npy    int32 per vector: position of its paragraph
    unit_lang.npy    uint8 per vector: 0 Chinese, 1 English (positions in LANGS)
    unit_kind.npy    uint8 per vector: 0 the document's text, 1 a question it answers (KINDS)
    units.sqlite     one row per vector (rowid = vector id): its text, and a key to look it up

UnitWriter writes them as units stream in during a build; UnitStore reads them back.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from ..document import Document, Lang
from ..errors import IndexStateError
from ..text import split_sentences

LANGS: tuple[Lang, ...] = ("zh", "en")  # unit_lang.npy holds positions in this tuple
KINDS = ("text", "question")  # unit_kind.npy holds positions in this tuple
UNITS_DB = "units.sqlite"
READ_BATCH = 4096  # texts read from SQLite at a time when iterating over the store


@dataclass(frozen=True)
class Unit:
    """One embedded piece of text: a whole paragraph or one of its sentences, in one language;
    or (kind "question") a question the paragraph answers, from the aligned edition."""

    pid: str
    lang: Lang
    text: str
    kind: str = "text"


# Header lines are bare values ("新华社记者 张晓洁"); naming the field they fill lets a
# question about the article itself ("who wrote this?") find them.
FIELD_LABELS = {
    "title": ("标题：", "Headline, title of the article: "),
    "subtitle": ("受访者，接受采访的人，采访对象：", "Interviewee, the person interviewed, who was interviewed: "),
    "reporter": ("记者，作者：", "Reporter, author, byline: "),
    "column": ("栏目：", "Column: "),
    "dateline": ("电头，发布日期，印发时间，发稿时间和地点，发布媒体：",
                 "Dateline, date issued, when and where published, by which news agency: "),
    "issuer": ("发文机关，发布单位，印发部门：", "Issued by, issuing authority, department: "),
    "number": ("文号，发文字号：", "Document number: "),
    "addressee": ("主送机关，发给：", "Addressed to: "),
}


def labelled(doc: Document, p, lang: Lang, text: str) -> str:
    """The text of a paragraph as indexed: header lines carry their field's name."""
    label = FIELD_LABELS.get(doc.field_of(p))
    return (label[0] if lang == "zh" else label[1]) + text if label else text


def units_digest(units: Sequence[Unit]) -> str:
    """A hash of what is embedded: it changes when the code that cuts units changes."""
    h = hashlib.sha256()
    for u in units:
        h.update(f"{u.pid}\t{u.lang}\t{u.kind}\t{u.text}\n".encode("utf-8"))
    return h.hexdigest()


def units_for(doc: Document) -> list[Unit]:
    """Paragraphs and their sentences, in each language the document has, a table's rows as
    they read under their header, and the questions each paragraph answers."""
    out: list[Unit] = []
    for p in doc.paragraphs:
        for lang, text in (("zh", p.text), ("en", p.en)):
            if not text:
                continue
            out.append(Unit(p.id, lang, text))
            if doc.field_of(p):
                out.append(Unit(p.id, lang, labelled(doc, p, lang, text)))
            if lang == "zh" and (reading := doc.row_reading(p.id)):
                out.append(Unit(p.id, lang, reading))  # a table's row under its header
            if lang == "zh" and p.under:
                out.append(Unit(p.id, lang, f"{p.under} {text}"))  # under its text's title and subsection
            sents = split_sentences(text)
            if len(sents) > 1:
                out.extend(Unit(p.id, lang, s) for s in sents)
        for lang, questions in (("zh", p.questions_zh), ("en", p.questions_en)):
            out.extend(Unit(p.id, lang, q, "question") for q in questions)
    return out


def _unit_key(lang: str, text: str) -> int:
    """A 64-bit key for (language, text): the unit store's lookup index holds this, not the text."""
    digest = hashlib.blake2b(f"{lang}\0{text}".encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


class UnitStore:
    """The units of a build by vector id, read on demand.

    `para` (position of each unit's paragraph in `paragraph_ids()`), `lang` (index into LANGS)
    and `kind` (index into KINDS) are memory-mapped arrays; texts stay in SQLite until asked
    for. One connection, opened read-only and immutable, is shared by the threads of an Engine
    under a lock.
    """

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.para = np.load(self.folder / "unit_para.npy", mmap_mode="r")
        self.lang = np.load(self.folder / "unit_lang.npy", mmap_mode="r")
        self.kind = np.load(self.folder / "unit_kind.npy", mmap_mode="r")
        db = self.folder / UNITS_DB
        if not db.is_file():
            raise FileNotFoundError(2, "No such file", str(db))
        self._db = sqlite3.connect(db.resolve().as_uri() + "?mode=ro&immutable=1", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._pids: tuple[str, ...] | None = None
        self._check_sizes()

    def _check_sizes(self) -> None:
        """Raise ValueError unless the texts and the three arrays describe the same units."""
        # max(rowid) is a lookup, not a scan: this check costs the same at any size.
        rows = self._query("SELECT coalesce(max(id) + 1, 0), (SELECT coalesce(max(pos) + 1, 0) FROM paragraphs) "
                           "FROM units")[0]
        n = len(self.para)
        if not (rows[0] == n == len(self.lang) == len(self.kind)) or (n and int(self.para.max()) >= rows[1]):
            raise ValueError(f"{rows[0]} texts, {n} paragraph positions, {len(self.lang)} languages and "
                             f"{len(self.kind)} kinds disagree")

    def _query(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def _unit(self, i: int, pid: str, text: str) -> Unit:
        return Unit(pid, LANGS[int(self.lang[i])], text, KINDS[int(self.kind[i])])

    def __len__(self) -> int:
        return len(self.para)

    def __getitem__(self, i: int) -> Unit:
        """The unit with vector id `i` (negative counts from the end)."""
        i = range(len(self))[i]  # negative indices, and IndexError past the end
        return self._unit(i, self.pid(int(self.para[i])), self.text(i))

    def __iter__(self) -> Iterator[Unit]:
        """All units in vector-id order, their texts read a batch at a time."""
        pids = self.paragraph_ids()
        for start in range(0, len(self), READ_BATCH):
            rows = self._query("SELECT id, text FROM units WHERE id >= ? AND id < ? ORDER BY id",
                               (start, start + READ_BATCH))
            for i, text in rows:
                yield self._unit(i, pids[int(self.para[i])], text)

    def __repr__(self) -> str:
        return f"UnitStore({len(self)} units in {self.folder})"

    def text(self, i: int) -> str:
        """The text of unit `i`."""
        rows = self._query("SELECT text FROM units WHERE id = ?", (int(i),))
        if not rows:
            raise IndexStateError(f"the unit store in {self.folder} has no text for unit {i}; run `rag build`")
        return rows[0][0]

    def pid(self, pos: int) -> str:
        """The id of the paragraph at position `pos`."""
        if self._pids is not None:
            return self._pids[pos]
        rows = self._query("SELECT pid FROM paragraphs WHERE pos = ?", (int(pos),))
        if not rows:
            raise IndexStateError(f"the unit store in {self.folder} has no paragraph {pos}; run `rag build`")
        return rows[0][0]

    def paragraph_ids(self) -> tuple[str, ...]:
        """The ids of the build's paragraphs, by position."""
        if self._pids is None:
            self._pids = tuple(r[0] for r in self._query("SELECT pid FROM paragraphs ORDER BY pos"))
        return self._pids

    def paragraph_positions(self, ids: Sequence[str]) -> np.ndarray:
        """For each unit, the position of its paragraph in `ids` (the document's paragraphs)."""
        stored = self.paragraph_ids()
        if tuple(ids[: len(stored)]) == stored:
            return self.para
        pos = {pid: i for i, pid in enumerate(ids)}
        missing = [pid for pid in stored if pid not in pos]
        if missing:
            raise IndexStateError(f"the index in {self.folder} has paragraphs the document lacks "
                                  f"({', '.join(missing[:3])}); run `rag build`")
        return np.array([pos[pid] for pid in stored], dtype=np.int32)[self.para]

    def rows_of(self, lang: str, texts: Sequence[str]) -> list[int | None]:
        """The vector id of each (lang, text) unit of the document's text, or None where there is none."""
        want = LANGS.index(lang) if lang in LANGS else -1
        out: list[int | None] = []
        for t in texts:
            rows = self._query("SELECT id, text FROM units WHERE key = ?", (_unit_key(lang, t),))
            out.append(next((i for i, s in rows if s == t and int(self.lang[i]) == want and not self.kind[i]), None))
        return out


class UnitWriter:
    """Writes units as they stream in; paragraphs get positions in order of first appearance."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.db = sqlite3.connect(folder / UNITS_DB)
        self.db.execute("PRAGMA journal_mode = OFF")  # a fresh file in a scratch folder: nothing to roll back to
        self.db.execute("PRAGMA synchronous = OFF")  # fsynced once, with the rest of the build
        self.db.execute("CREATE TABLE paragraphs (pos INTEGER PRIMARY KEY, pid TEXT NOT NULL)")
        self.db.execute("CREATE TABLE units (id INTEGER PRIMARY KEY, key INTEGER NOT NULL, text TEXT NOT NULL)")
        self.pos: dict[str, int] = {}
        self.para = array("i")
        self.lang = bytearray()
        self.kind = bytearray()

    def add(self, units: Sequence[Unit]) -> None:
        """Append a batch of units; their vector ids follow those already written."""
        new, rows = [], []
        for u in units:
            if u.pid not in self.pos:
                self.pos[u.pid] = len(self.pos)
                new.append((self.pos[u.pid], u.pid))
            rows.append((len(self.para), _unit_key(u.lang, u.text), u.text))
            self.para.append(self.pos[u.pid])
            self.lang.append(LANGS.index(u.lang))
            self.kind.append(KINDS.index(u.kind))
        self.db.executemany("INSERT INTO paragraphs VALUES (?, ?)", new)
        self.db.executemany("INSERT INTO units VALUES (?, ?, ?)", rows)

    def close(self) -> int:
        """Index and commit the texts, write the three arrays, and return how many units there are."""
        self.db.execute("CREATE INDEX units_key ON units (key)")  # after the inserts: faster than during
        self.db.commit()
        self.db.close()
        np.save(self.folder / "unit_para.npy", np.frombuffer(self.para, dtype=np.int32) if self.para
                else np.zeros(0, np.int32))
        np.save(self.folder / "unit_lang.npy", np.frombuffer(bytes(self.lang), dtype=np.uint8))
        np.save(self.folder / "unit_kind.npy", np.frombuffer(bytes(self.kind), dtype=np.uint8))
        return len(self.para)
