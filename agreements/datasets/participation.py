"""An agreement's participation as data files: one row per action, and one row per statement and language.

The rows are the ones `queries.participation.action_rows` and `statement_rows` build for the API's JSON and
CSV, so every format says the same. A file holds one agreement as of one moment (`as_of`, `known_at`): its
size is bounded by that agreement's recorded actions and statements, read in the queries its page makes.
Lists (a statement's eIds) are lists in Parquet and space-joined in CSV; `in_force` is an ISO day (Parquet
date32), empty in CSV when none is derived.
"""

from __future__ import annotations

import csv
import io

from .cells import safe_cell

# (name, Parquet type, meaning)
ACTION_COLUMNS = [
    ("agreement", "string", "The agreement's slug."),
    ("party", "string", "The participant (registry party code)."),
    ("party_name", "string", "The participant's name on the date asked."),
    ("action", "string", "signature, ratification, acceptance, approval, accession, succession, withdrawal..."),
    ("kind", "string", "The action's kind: signature, consent, provisional, end, territorial..."),
    ("marker", "string", "The depositary's marker of a consent: A, AA, a, d, c, s (ratification: none)."),
    ("date", "string", "When it was done (EDTF): the signature, the deposit, the notification."),
    ("effective", "string", "When it takes effect (EDTF), if recorded."),
    ("predecessor", "string", "A succession's predecessor."),
    ("territory", "string", "A territorial application's or exclusion's territory."),
    ("notification", "string", "The depositary notification (C.N.123.2003.TREATIES-4)."),
    ("status", "string", "The participant's status on the date asked."),
    ("in_force", "date", "The day the agreement entered into force for the participant (recorded or derived)."),
    ("in_force_how", "string", "How in_force was obtained: recorded, rule, consent, succession."),
    ("event_id", "string", "The event that recorded the action (cite or correct it by this id)."),
]
STATEMENT_COLUMNS = [
    ("agreement", "string", "The agreement's slug."),
    ("statement_id", "string", "The statement's id (one statement, one row per language)."),
    ("party", "string", "The participant that made it."),
    ("kind", "string", "reservation, declaration, understanding, objection, communication."),
    ("language", "string", "The language of this row's text (the shown language first)."),
    ("text", "string", "The statement's text in that language."),
    ("eids", "list", "The articles it concerns (eIds); empty: the whole agreement."),
    ("made_at", "string", "signature, consent or later."),
    ("date", "string", "When it was made (EDTF)."),
    ("narrowed", "bool", "The narrower text a partial withdrawal left."),
    ("objects_to", "string", "For an objection: the statement it answers."),
    ("opposes_entry_into_force", "bool", "An objection opposing entry into force between the two (VCLT art. 20(4)(b))."),
]


def _names(columns):
    return [name for name, _, _ in columns]


def _cell(value) -> str:
    if isinstance(value, list):
        value = " ".join(value)
    elif hasattr(value, "isoformat"):
        value = value.isoformat()
    elif isinstance(value, bool):
        value = "true" if value else "false"
    return safe_cell(value)


def to_csv(columns, rows) -> bytes:
    names = _names(columns)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in names])
    return out.getvalue().encode("utf-8")


def to_parquet(columns, rows) -> bytes:
    import pyarrow
    import pyarrow.parquet as parquet

    types = {"string": pyarrow.string(), "list": pyarrow.list_(pyarrow.string()), "date": pyarrow.date32(),
             "bool": pyarrow.bool_()}
    schema = pyarrow.schema([(name, types[kind]) for name, kind, _ in columns])
    names = _names(columns)
    table = pyarrow.Table.from_pylist([{name: row.get(name) for name in names} for row in rows], schema=schema)
    sink = io.BytesIO()
    parquet.write_table(table, sink)
    return sink.getvalue()
