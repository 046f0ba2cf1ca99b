"""The aligned English edition and the bilingual glossary, joined onto a parsed Document."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path

from .document import Document
from .errors import ParseError
from .text import squash

log = logging.getLogger(__name__)


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(dict.fromkeys(s.strip() for s in value if isinstance(s, str) and s.strip()))


def with_english(doc: Document, path: Path | None) -> Document:
    """Attach the aligned edition by citation id: each paragraph's English rendering and,
    where given, the questions it answers ("questions_zh", "questions_en"). A row whose Chinese
    no longer matches the paragraph is dropped, so a changed document never shows a stale
    translation."""
    if path is None or not Path(path).exists():
        return doc
    rows: dict[str, dict] = {}
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            rows[row["id"]] = row
        except (ValueError, KeyError, TypeError) as e:
            raise ParseError(f"{path}:{n}: not a JSON object with an id ({e}).") from e
    stale = missing = 0
    paras = []
    for p in doc.paragraphs:
        row = rows.get(p.id)
        title = rows.get(f"§{p.section}", {})
        title_en = title.get("en", "") if squash(title.get("zh", "")) == squash(p.section_title) else ""
        if row and squash(row.get("zh", "")) == squash(p.text) and row.get("en"):
            paras.append(replace(p, en=row["en"], section_title_en=title_en,
                                 questions_zh=_strings(row.get("questions_zh")),
                                 questions_en=_strings(row.get("questions_en")),
                                 en_machine=bool(row.get("machine"))))
        else:
            if row and squash(row.get("zh", "")) != squash(p.text):
                stale += 1
            elif row:  # the same text, with no English: its translation failed
                missing += 1
            paras.append(replace(p, section_title_en=title_en))
    if stale:
        log.warning("%s: %d English renderings do not match the document and are not used", path, stale)
    if missing:
        log.warning("%s: %d paragraphs have no English rendering (their translation failed); they are shown in "
                    "Chinese, and the next start tries them again", path, missing)
    sections = tuple(
        replace(s, title_en=next((p.section_title_en for p in paras if p.section == s.number), ""))
        for s in doc.sections
    )
    return Document(doc.name, doc.sha256, doc.metadata, sections, tuple(paras))


def companion(document: Path, kind: str) -> Path | None:
    """A document's own data, kept beside it: policy.zh.txt -> policy.en.jsonl (its English
    edition), policy.glossary.json, policy.thesaurus.json. None when it has no such file.
    What is known of one document travels with it; no other document gets it."""
    document = Path(document)
    path = document.with_name(f"{document.name.split('.')[0]}.{kind}")
    return path if path.is_file() else None


def _read_json(path: Path | None) -> dict:
    if path is None or not Path(path).exists():
        return {}
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except ValueError as e:
        raise ParseError(f"{path}: not valid JSON ({e}).") from e


def load_glossary(path: Path | None) -> dict[str, str]:
    """Chinese term -> English term."""
    return {str(k): str(v) for k, v in _read_json(path).items()}


def load_thesaurus(path: Path | None) -> dict[str, dict[str, list[str]]]:
    """{"zh": {lay term: [document terms]}, "en": {...}} for query expansion."""
    data = _read_json(path)
    return {lang: {str(k): [str(x) for x in v] for k, v in data.get(lang, {}).items()} for lang in ("zh", "en")}


def load_background(path: Path | None) -> tuple[str, ...]:
    """Everyday off-topic questions, one a line ('#' starts a comment): the prototypes the
    "not covered" rule compares a question with (see rag.retrieve)."""
    if path is None or not Path(path).exists():
        return ()
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return tuple(dict.fromkeys(s.strip() for s in lines if s.strip() and not s.lstrip().startswith("#")))
