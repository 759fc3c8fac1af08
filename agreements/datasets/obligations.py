"""The obligations dataset: one row per agreement, party and coded obligation (docs/obligations.md).

COLUMNS is the codebook's column list and the files' column order. Lists (conditions, towards, sources) are
lists in Parquet and `;`-joined in CSV; dates are ISO days (Parquet date32), empty in CSV when open.
"""

from __future__ import annotations

import csv
import io

from agreements.queries.obligations import ObligationEntry

from .cells import safe_cell

# (name, Parquet type, meaning): the codebook page lists these.
COLUMNS = [
    ("agreement", "string", "The agreement's slug (its permanent address is the work URI)."),
    ("agreement_title", "string", "The agreement's title."),
    ("work_uri", "string", "The agreement's Akoma Ntoso work URI."),
    ("eid", "string", "The clause creating the obligation (Akoma Ntoso eId, e.g. art_2)."),
    ("party", "string", "The party bound (registry party code: ISO 3166-1 alpha-3 where one exists)."),
    ("obligation", "string", "The obligation type (see the codebook's types)."),
    ("modality", "string", "obliges or permits."),
    ("conditions", "list", "The conditions under which it holds; empty: unconditional."),
    ("towards", "list", "The parties it is owed to, when the text names them; empty: the other parties."),
    ("adversary", "string", "The adversary the text names (condition specific_adversary)."),
    ("effective", "string", "When the coding says the obligation takes effect (EDTF), if it says."),
    ("until", "string", "When the coding says it ends (EDTF), if it says."),
    ("valid_from", "date", "Lower bound of `effective`; empty: from the agreement's own dates."),
    ("valid_to", "date", "Lower bound of `until`; empty: open."),
    ("signature", "string", "The party's signature (EDTF), else the agreement's."),
    ("consent", "string", "The party's ratification, approval or accession (EDTF), else the agreement's."),
    ("entry_into_force", "string", "Entry into force for the party (EDTF), else for the agreement."),
    ("withdrawal", "string", "The party's withdrawal or denunciation (EDTF), else the agreement's."),
    ("termination", "string", "The agreement's termination (EDTF)."),
    ("sources", "list", "Keys of the sources cited for this coding."),
    ("note", "string", "The coder's note: how the text was read."),
    ("obligation_id", "string", "The coding's id (one coding may bind several parties: several rows)."),
]
NAMES = [name for name, _, _ in COLUMNS]


def record(entry: ObligationEntry) -> dict:
    """One row as plain Python values (lists stay lists, dates stay dates)."""
    return {name: getattr(entry, name) for name in NAMES}


def to_csv(entries) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(NAMES)
    for entry in entries:
        row = record(entry)
        writer.writerow([
            safe_cell(";".join(value) if isinstance(value, list) else value)
            for value in row.values()
        ])
    return out.getvalue().encode("utf-8")


def to_parquet(entries) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"string": pa.string(), "list": pa.list_(pa.string()), "date": pa.date32()}
    schema = pa.schema([(name, types[kind]) for name, kind, _ in COLUMNS])
    rows = [record(entry) for entry in entries]
    table = pa.Table.from_pylist(rows, schema=schema)
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()
