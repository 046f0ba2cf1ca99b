"""Questions about the document itself (who, when, headline, what it is based on): the rows
that hold the field asked for.

The header lines hold most fields (parse labels each with its field). An official document
states two of them in its body, by its own formulas (BODY_FIELDS). A field the document
states only inside another line (the issuer in the title) is found by its value.
"""

from __future__ import annotations

import re

import numpy as np

from ..document import Document
from ..meta import asked_fields

# Fields an official document states in its body, by its own formulas: "本条例自2023年12月1日起施行",
# "根据《中华人民共和国社会保险法》，制定本条例".
BODY_FIELDS = {
    "effective": re.compile(r"自\S{0,20}?(起|之日起)(施行|实施|执行|生效)|(施行|实施|生效)日期"),
    "basis": re.compile(r"(根据|依据|依照)《[^》]{2,40}》[^。]{0,40}(制定|制订)"),
}


def field_rows(doc: Document, query: str) -> np.ndarray:
    """Rows of the paragraphs holding the metadata fields the query asks for, the field asked
    for first leading; none when it asks for none."""
    fields = asked_fields(query)
    if not fields:
        return np.array([], dtype=np.int64)
    paras = doc.paragraphs
    if body := [f for f in fields if f in BODY_FIELDS]:
        return np.array([i for i, p in enumerate(paras)
                         if p.role != "header" and any(BODY_FIELDS[f].search(p.text) for f in body)], dtype=np.int64)
    held = {i: doc.field_of(p) for i, p in enumerate(paras) if p.role == "header"}
    rows = sorted((i for i, f in held.items() if f in fields), key=lambda i: fields.index(held[i]))
    if not rows:
        values = [v for f in fields if isinstance(v := getattr(doc.metadata, f, ""), str) and v]
        rows = [i for i, p in enumerate(paras) if p.role == "header" and any(v in p.text for v in values)]
    return np.array(rows, dtype=np.int64)


def first_field(doc: Document, rows: np.ndarray) -> np.ndarray:
    """For each row, whether it holds the same field as the first row (the field asked for by name)."""
    if not rows.size:
        return np.array([], dtype=bool)
    lead = doc.field_of(doc.paragraphs[rows[0]])
    return np.array([doc.field_of(doc.paragraphs[i]) == lead for i in rows])
