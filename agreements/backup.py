"""A backup you can verify: the whole registry as one gzip-compressed JSON Lines file, and back.

    manage.py export_log FILE      manage.py import_log FILE

The file (format `pacta-log`, version 1), one JSON object per line:

1. the header: `{"kind": "header", "format": "pacta-log", "version": 1, "exported_at", "chain_head": {"position", "hash"},
   "counts": {"events": N, "reference": {"sources.Party": n, ...}}}`;
2. the reference data, every row of every model of the `sources` app (parties, their names, sources with
   their stored texts, and simple-history's history rows of each): `{"kind": "row", "model", "fields"}`,
   primary keys kept; a history row's user is kept as `history_username` (users, passwords and tokens are
   never exported). It comes first: projecting the events reads it (a citation's source);
3. every event of the log in position order, as stored (the payload as written, not upcast), with its
   chain links: `{"kind": "event", "position", "stream_id", "stream_version", "event_id", "type",
   "schema_version", "payload", "effective", "recorded_at", "actor", "causation_id", "correlation_id",
   "prev_hash", "hash"}` (`recorded_at` in the chain's own form, e.g. `2026-11-29T02:07:00.123456Z`);
4. the trailer: `{"kind": "end", "events": N, "rows": M, "chain_head": {...}, "sha256": H}`, where H is
   the SHA-256 of every byte of the uncompressed lines before it.

The export reads one snapshot (REPEATABLE READ on PostgreSQL): the events up to the head it starts from and
the reference data as they stood then. It writes to a temporary name beside FILE and renames it at the
very end, so an interrupted export never leaves a file under FILE's name, and a partial file has no
trailer: an import refuses it.

The import checks the whole file before it writes anything: the header's format and version; every link of
the hash chain (registry/eventstore/chain.py) from genesis to the head the header and trailer name; the
counts; the trailer's digest (a hand-edited line, of an event or of the reference data, changes it; a
truncated file has no trailer, or no valid gzip end). Only then, and only into an empty registry (no event,
no agreement, no reference row), it writes the reference data and the events in ONE transaction: the
events through the write path of read-only copies (`services.copy_events`: verified against the head again,
projected into the read models, validation jobs queued). It then prints the projection hash, which equals
the source registry's (`manage.py projection_hash` there). Any refusal or failure writes nothing.

The digest guards against accidents and hand edits; it is not a signature (whoever edits a file can
recompute it). The events are protected by the hash chain, whose head you can compare with the source's
(`verify_log` prints it).
"""

from __future__ import annotations

import datetime as dt
import decimal
import gzip
import hashlib
import json
import os
import tempfile
import uuid
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from registry.database import backend
from registry.eventstore import chain, store
from registry.eventstore.models import StoredEvent

from . import services
from .projections.models import AgreementRecord
from .projections.rebuild import projection_hash

FORMAT = "pacta-log"
VERSION = 1
REFERENCE_APPS = ("sources",)
EVENT_FIELDS = ("position", "stream_id", "stream_version", "event_id", "type", "schema_version", "payload",
                "effective", "recorded_at", "actor", "causation_id", "correlation_id", "prev_hash", "hash")
BATCH = 1000


class Refused(Exception):
    """The file cannot be imported (or the target cannot take it): nothing was written."""


def reference_models():
    models = []
    for label in REFERENCE_APPS:
        models += sorted(apps.get_app_config(label).get_models(), key=lambda m: m._meta.label)
    return models


# ------------------------------------------------------------------------------------------------ export


def _json_value(value):
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, decimal.Decimal)):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return value


def _row(model, obj) -> dict:
    fields = {}
    for f in model._meta.concrete_fields:
        if f.name == "history_user":
            user = getattr(obj, "history_user", None)
            fields["history_username"] = user.get_username() if user is not None else ""
            continue
        fields[f.attname] = _json_value(f.value_from_object(obj))
    return {"kind": "row", "model": model._meta.label, "fields": fields}


def _event(row: StoredEvent) -> dict:
    return {"kind": "event", **{name: getattr(row, name) for name in EVENT_FIELDS},
            "event_id": str(row.event_id), "recorded_at": chain.format_recorded_at(row.recorded_at)}


class _Writer:
    """Lines into a gzip file, hashing the uncompressed bytes as they go."""

    def __init__(self, handle):
        self.gz = gzip.GzipFile(fileobj=handle, mode="wb", compresslevel=6, mtime=0)
        self.digest = hashlib.sha256()

    def line(self, obj: dict) -> None:
        data = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8") + b"\n"
        self.digest.update(data)
        self.gz.write(data)


@dataclass
class ExportResult:
    events: int
    rows: int
    head_position: int
    head_hash: str


def export(path, progress=None) -> ExportResult:
    """Write the registry to `path` (see the module docstring). `progress(kind, n)` after each batch."""
    path = Path(path)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            result = _export_to(handle, progress)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise
    return result


def _export_to(handle, progress) -> ExportResult:
    own_transaction = not connection.in_atomic_block
    with transaction.atomic():
        if own_transaction:  # one snapshot for the events and the reference data
            backend(connection).read_one_snapshot(connection)
        head = store.head()
        models = reference_models()
        counts = {m._meta.label: m.objects.count() for m in models}
        writer = _Writer(handle)
        writer.line({"kind": "header", "format": FORMAT, "version": VERSION, "exported_at": timezone.now().isoformat(),
                     "chain_head": {"position": head.position, "hash": head.hash},
                     "counts": {"events": head.position, "reference": counts}})
        rows = 0
        for model in models:
            rows_of = model.objects.order_by("pk")
            if any(f.name == "history_user" for f in model._meta.concrete_fields):
                rows_of = rows_of.select_related("history_user")
            for obj in rows_of.iterator(chunk_size=BATCH):
                writer.line(_row(model, obj))
                rows += 1
            if progress:
                progress("rows", counts[model._meta.label])
        n = 0
        for row in store.stored_rows(batch=BATCH):
            if row.position > head.position:
                break
            writer.line(_event(row))
            n += 1
            if progress and n % BATCH == 0:
                progress("events", BATCH)
        if progress:
            progress("events", n % BATCH)
        if n != head.position:
            raise RuntimeError(f"the log has {n} events up to its head {head.position}: verify_log first")
        digest = writer.digest.hexdigest()
        trailer = {"kind": "end", "events": n, "rows": rows,
                   "chain_head": {"position": head.position, "hash": head.hash}, "sha256": digest}
        writer.line(trailer)
        writer.gz.close()
    return ExportResult(n, rows, head.position, head.hash)


# ------------------------------------------------------------------------------------------------ import


@dataclass
class _Event:
    """An event line with the attributes chain.verify and services.copy_events read."""

    position: int
    stream_id: str
    stream_version: int
    event_id: uuid.UUID
    type: str
    schema_version: int
    payload: dict
    effective: str
    recorded_at: str
    actor: str
    causation_id: str
    correlation_id: str
    prev_hash: str
    hash: str


@dataclass
class Checked:
    header: dict
    events: int = 0
    rows: int = 0
    head_position: int = 0
    head_hash: str = chain.GENESIS
    per_model: dict = field(default_factory=dict)


def _lines(path):
    """(line number, parsed object, raw bytes) of each line; a broken gzip stream or JSON is a refusal."""
    try:
        with gzip.open(path, "rb") as gz:
            for number, raw in enumerate(gz, start=1):
                if not raw.endswith(b"\n"):
                    raise Refused(f"line {number}: the file ends in the middle of a line (truncated)")
                try:
                    obj = json.loads(raw)
                except ValueError:
                    raise Refused(f"line {number}: not a JSON object") from None
                if not isinstance(obj, dict):
                    raise Refused(f"line {number}: not a JSON object")
                yield number, obj, raw
    except (EOFError, zlib.error) as exc:
        raise Refused(f"the file is truncated or its compression is damaged ({exc})") from None
    except gzip.BadGzipFile as exc:
        raise Refused(f"not a gzip-compressed file ({exc})") from None
    except OSError as exc:
        raise Refused(f"cannot read the file: {exc.strerror or exc}") from None


def _to_event(number: int, obj: dict) -> _Event:
    try:
        values = {name: obj[name] for name in EVENT_FIELDS}
        values["event_id"] = uuid.UUID(values["event_id"])
        for name in ("position", "stream_version", "schema_version"):
            if not isinstance(values[name], int) or isinstance(values[name], bool):
                raise ValueError(name)
        for name in ("stream_id", "type", "effective", "recorded_at", "actor", "causation_id", "correlation_id",
                     "prev_hash", "hash"):
            if not isinstance(values[name], str):
                raise ValueError(name)
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise Refused(f"line {number}: not a well-formed event ({exc})") from None
    return _Event(**values)


def check(path, progress=None) -> Checked:
    """Read the whole file and verify it, writing nothing. Raises Refused with the first problem."""
    lines = _lines(path)
    try:
        number, header, raw = next(lines)
    except StopIteration:
        raise Refused("the file is empty") from None
    if header.get("format") != FORMAT:
        raise Refused(f"line 1: not a {FORMAT} file")
    if header.get("version") != VERSION:
        raise Refused(f"line 1: format version {header.get('version')!r}; this registry reads version {VERSION}")
    digest = hashlib.sha256(raw)
    checked = Checked(header)
    known = {m._meta.label for m in reference_models()}
    prev_hash, prev_position, trailer, phase = chain.GENESIS, 0, None, "rows"
    for number, obj, raw in lines:
        if trailer is not None:
            raise Refused(f"line {number}: lines after the end line")
        kind = obj.get("kind")
        if kind == "end":
            trailer = obj
            continue
        digest.update(raw)
        if kind == "event":
            phase = "events"
            event = _to_event(number, obj)
            try:
                for prev_position, prev_hash in chain.verify([event], prev_hash, prev_position):
                    pass
            except chain.ChainBroken as broken:
                raise Refused(f"line {number}: the hash chain does not verify at {broken}") from None
            checked.events += 1
            if progress and checked.events % BATCH == 0:
                progress("verified", BATCH)
        elif kind == "row":
            if phase != "rows":
                raise Refused(f"line {number}: a reference row after the events")
            model = obj.get("model")
            if model not in known or not isinstance(obj.get("fields"), dict):
                raise Refused(f"line {number}: a reference row of an unknown model {model!r}")
            checked.rows += 1
            checked.per_model[model] = checked.per_model.get(model, 0) + 1
        else:
            raise Refused(f"line {number}: unknown line kind {kind!r}")
    if trailer is None:
        raise Refused("the file has no end line: it is truncated (an interrupted export?)")
    if trailer.get("sha256") != digest.hexdigest():
        raise Refused("the file's digest does not match its end line: it was edited or damaged")
    head = header.get("chain_head") or {}
    counts = header.get("counts") or {}
    if (trailer.get("chain_head") != head or head.get("position") != prev_position or head.get("hash") != prev_hash):
        raise Refused(f"the chain ends at position {prev_position} ({prev_hash}), not at the head the file names "
                      f"({head.get('position')}, {head.get('hash')})")
    if (counts.get("events") != checked.events or trailer.get("events") != checked.events
            or trailer.get("rows") != checked.rows
            or {k: v for k, v in (counts.get("reference") or {}).items() if v} != checked.per_model):
        raise Refused("the file's counts do not match its lines")
    checked.head_position, checked.head_hash = prev_position, prev_hash
    return checked


def target_is_empty() -> bool:
    return not (StoredEvent.objects.exists() or AgreementRecord.objects.exists()
                or any(m.objects.exists() for m in reference_models()))


@dataclass
class ImportResult:
    events: int
    rows: int
    head_position: int
    head_hash: str
    projection_hash: str


def import_(path, progress=None) -> ImportResult:
    """Verify `path`, then load it into this empty registry in one transaction (see the module docstring)."""
    checked = check(path, progress)
    if not target_is_empty():
        raise Refused("this registry is not empty (it has events, agreements or reference data): import into a "
                      "freshly migrated database")
    by_label = {m._meta.label: m for m in reference_models()}
    with transaction.atomic():
        if not target_is_empty():  # checked again inside the transaction
            raise Refused("this registry is not empty")
        rows: dict[str, list] | None = {}
        batch: list[_Event] = []
        users = _users()
        for number, obj, _raw in _lines(path):
            kind = obj.get("kind")
            if kind == "row":
                rows.setdefault(obj["model"], []).append(_instance(by_label[obj["model"]], obj["fields"], users))
            elif kind == "event":
                if rows is not None:  # the reference data is complete: store it before projecting any event
                    _store_rows(rows, by_label, progress)
                    rows = None
                batch.append(_to_event(number, obj))
                if len(batch) >= BATCH:
                    _copy(batch, progress)
                    batch = []
        if rows is not None:
            _store_rows(rows, by_label, progress)
        _copy(batch, progress)
        head = store.head()
        if (head.position, head.hash) != (checked.head_position, checked.head_hash):
            raise Refused("the imported log's head differs from the file's")  # rolls everything back
        digest = projection_hash()
    return ImportResult(checked.events, checked.rows, head.position, head.hash, digest)


def _store_rows(rows, by_label, progress):
    for label, instances in rows.items():
        by_label[label].objects.bulk_create(instances, batch_size=BATCH)
        if progress:
            progress("rows", len(instances))
    _reset_sequences(list(by_label.values()))


def _users():
    from django.contrib.auth import get_user_model

    model = get_user_model()
    return {user.get_username(): user.pk for user in model.objects.all()}


def _copy(batch, progress):
    if not batch:
        return
    recorded = [store.RecordedEvent(
        position=e.position, stream_id=e.stream_id, stream_version=e.stream_version, event_id=e.event_id,
        type=e.type, schema_version=e.schema_version, payload=e.payload, effective=e.effective,
        recorded_at=dt.datetime.strptime(e.recorded_at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc),
        actor=e.actor, causation_id=e.causation_id, correlation_id=e.correlation_id, prev_hash=e.prev_hash,
        hash=e.hash) for e in batch]
    services.copy_events(recorded)
    if progress:
        progress("events", len(batch))


def _instance(model, fields: dict, users: dict):
    values = {}
    for f in model._meta.concrete_fields:
        if f.name == "history_user":
            values[f.attname] = users.get(fields.get("history_username") or "")
            continue
        if f.attname in fields:
            raw = fields[f.attname]
            values[f.attname] = None if raw is None else (raw if f.is_relation else f.to_python(raw))
    return model(**values)


def _reset_sequences(models):
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
