"""One agreement's articles as CSV, as they stood at a moment: what the agreement page shows, as data."""

from __future__ import annotations

import csv
import io

from .cells import safe_cell

COLUMNS = ["eid", "number", "heading", "text_kind", "language", "effective", "valid_from", "valid_to", "change",
           "amended_by", "text"]


def to_csv(clauses) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for clause in clauses:
        writer.writerow([safe_cell(getattr(clause, "parent" if name == "parent" else name)) for name in COLUMNS])
    return out.getvalue().encode("utf-8")
