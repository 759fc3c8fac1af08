"""Append to and read from the event store.

Global positions: gap-free and strictly increasing in commit order
------------------------------------------------------------------
A sequence (bigserial) hands out numbers at INSERT time and burns them on rollback, so a reader tailing
`position > N` can read 12 before a slower transaction commits 11, and never come back for 11. We instead
keep one counter row (`pacta_event_position`) and, inside the append transaction,

    UPDATE pacta_event_position SET position = position + n ... RETURNING position

before inserting the n events with the returned numbers. The UPDATE takes the row lock and holds it until
COMMIT or ROLLBACK, so appends serialise on it: a second writer gets its numbers only after the first has
committed (it then reads the committed counter, READ COMMITTED re-reads the row) or rolled back (the
counter update is undone with it, so no number is burnt). On PostgreSQL the UPDATE and the INSERT are one
statement (a data-modifying WITH), so an append costs one round trip, like a bare INSERT. Hence every committed position p has all of
1..p-1 committed before it, and a reader never sees a gap that later fills. The lock is taken as late as
the write path allows (services.py decides and validates before appending) so that only the inserts of
events, projections and outbox rows run under it. SQLite has a single writer anyway; the same SQL works.

`recorded_at` is set here, after the lock, and always moves forward: the counter row also keeps the last
recorded time, and each append takes max(now, last + 1 µs). So record time strictly increases from one
append to the next, even if clocks step back, and `known_at=<an append's recorded_at>` is unambiguous.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import upcasting
from .models import StoredEvent


class ConcurrencyConflict(Exception):
    """The stream is not at the version the writer expected: someone else appended first."""

    def __init__(self, stream_id: str, expected: int, actual: int | None):
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual
        super().__init__(f"Stream {stream_id!r} is at version {actual}, not the expected {expected}.")


class DuplicateEvents(Exception):
    """Some of the event ids are stored already (or in another stream): an append cannot be half-repeated."""


@dataclass(frozen=True)
class NewEvent:
    type: str
    payload: dict
    schema_version: int = 1
    effective: str = ""
    event_id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass(frozen=True)
class RecordedEvent:
    position: int
    stream_id: str
    stream_version: int
    event_id: uuid.UUID
    type: str
    schema_version: int
    payload: dict
    effective: str
    recorded_at: dt.datetime
    actor: str
    causation_id: str
    correlation_id: str


COLUMNS = (
    "position",
    "stream_id",
    "stream_version",
    "event_id",
    "type",
    "schema_version",
    "payload",
    "effective",
    "recorded_at",
    "actor",
    "causation_id",
    "correlation_id",
)
_FIELDS = {name: StoredEvent._meta.get_field(name) for name in COLUMNS}


def _prep(name, value):
    return _FIELDS[name].get_db_prep_save(value, connection)


def _as_datetime(value) -> dt.datetime:
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.timezone.utc)
    return value


def current_version(stream_id: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(stream_version), 0) FROM pacta_event WHERE stream_id = %s", [stream_id])
        return cursor.fetchone()[0]


_TAKE_POSITIONS = (
    "UPDATE pacta_event_position SET position = position + %s, "
    "recorded_at = %s "
    "WHERE id = 1 "
    # The stream must be at the expected version and none of the ids stored yet; else no row is returned
    # and _refusal() says why. A writer that waited for the lock may check against a stale snapshot here:
    # the unique (stream_id, stream_version) constraint then refuses its INSERT, and that is a conflict too.
    "AND (SELECT COALESCE(MAX(stream_version), 0) FROM pacta_event WHERE stream_id = %s) = %s "
    "AND NOT EXISTS (SELECT 1 FROM pacta_event WHERE event_id IN ({ids})) "
    "RETURNING position, recorded_at"
)


def _refusal(cursor, stream_id, expected_version, ids):
    """Why positions were not handed out: an idempotent retry (returns the stored events) or a refusal."""
    existing = read_events(ids)
    if existing:
        if len(existing) == len(ids) and all(rec.stream_id == stream_id for rec in existing):
            return existing
        raise DuplicateEvents(f"{len(existing)} of {len(ids)} event ids are already stored.")
    actual = current_version(stream_id)
    if actual != expected_version:
        raise ConcurrencyConflict(stream_id, expected_version, actual)
    # A fresh or flushed database has no counter row yet: create it, seeded from the table itself.
    cursor.execute(
        "INSERT INTO pacta_event_position (id, position) VALUES (1, "
        "(SELECT COALESCE(MAX(position), 0) FROM pacta_event)) ON CONFLICT (id) DO NOTHING"
    )
    return None


_POSTGRES_APPEND = """
WITH taken AS (
    UPDATE pacta_event_position
       SET position = position + %(n)s, recorded_at = GREATEST(recorded_at + interval '1 microsecond', %(now)s)
     WHERE id = 1
       AND (SELECT COALESCE(MAX(stream_version), 0) FROM pacta_event WHERE stream_id = %(stream)s) = %(expected)s
       AND NOT EXISTS (SELECT 1 FROM pacta_event WHERE event_id = ANY(%(ids)s::uuid[]))
    RETURNING position, recorded_at
)
INSERT INTO pacta_event (position, stream_id, stream_version, event_id, type, schema_version, payload, effective,
                         recorded_at, actor, causation_id, correlation_id)
SELECT taken.position - %(n)s + e.k, %(stream)s, %(expected)s + e.k, e.event_id, e.type, e.schema_version,
       e.payload, e.effective, taken.recorded_at, %(actor)s, %(causation)s, %(correlation)s
  FROM taken,
       unnest(%(ks)s::int[], %(ids)s::uuid[], %(types)s::text[], %(versions)s::int[], %(payloads)s::jsonb[],
              %(effectives)s::text[]) AS e(k, event_id, type, schema_version, payload, effective)
RETURNING position, recorded_at
"""


def _write_postgres(stream_id, expected_version, events, ids, actor, causation_id, correlation_id):
    """One statement, one round trip: take the positions (and the lock) and insert the rows.

    It is a fixed query with array parameters, so the server prepares it once and reuses the plan.
    Returns (last position, recorded_at), or None when the counter refused (see _refusal).
    """
    import psycopg
    from psycopg.types.json import Jsonb

    connection.ensure_connection()
    params = {
        "n": len(events), "now": timezone.now(), "stream": stream_id, "expected": expected_version,
        "ids": ids, "ks": list(range(1, len(events) + 1)), "types": [ev.type for ev in events],
        "versions": [ev.schema_version for ev in events], "payloads": [Jsonb(ev.payload) for ev in events],
        "effectives": [ev.effective or "" for ev in events], "actor": actor, "causation": causation_id,
        "correlation": correlation_id,
    }
    # A server-binding cursor on Django's own connection, so it runs in the caller's transaction.
    with psycopg.Cursor(connection.connection) as cursor:
        try:
            cursor.execute(_POSTGRES_APPEND, params, prepare=True)
        except psycopg.errors.UniqueViolation as exc:
            # Another writer appended the same stream version (or event ids) and committed first.
            raise ConcurrencyConflict(stream_id, expected_version, None) from exc
        rows = cursor.fetchall()
    return (max(r[0] for r in rows), rows[0][1]) if rows else None


def _write_generic(stream_id, expected_version, events, ids, actor, causation_id, correlation_id):
    """Two statements (SQLite has no DML in WITH): the counter UPDATE, which checks the version, then the INSERT."""
    id_params = [_prep("event_id", i) for i in ids]
    with connection.cursor() as cursor:
        # SQLite transactions here begin IMMEDIATE (settings), so no other writer runs between these two.
        cursor.execute("SELECT recorded_at FROM pacta_event_position WHERE id = 1")
        last = cursor.fetchone()
        now = timezone.now()
        if last and last[0] is not None:
            now = max(now, _as_datetime(last[0]) + dt.timedelta(microseconds=1))
        stamp = _prep("recorded_at", now)
        cursor.execute(
            _TAKE_POSITIONS.format(ids=", ".join(["%s"] * len(ids))),
            [len(events), stamp, stream_id, expected_version, *id_params],
        )
        row = cursor.fetchone()
        if row is None:
            return None
        last, recorded_at = row[0], _as_datetime(row[1])
        first = last - len(events) + 1
        stored_stamp = _prep("recorded_at", recorded_at)
        params = []
        for i, ev in enumerate(events):
            params += [first + i, stream_id, expected_version + 1 + i, id_params[i], ev.type, ev.schema_version,
                       _prep("payload", ev.payload), ev.effective or "", stored_stamp, actor, causation_id,
                       correlation_id]
        row_sql = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
        try:
            cursor.execute(
                f"INSERT INTO pacta_event ({', '.join(COLUMNS)}) VALUES {', '.join([row_sql] * len(events))}", params
            )
        except IntegrityError as exc:
            raise ConcurrencyConflict(stream_id, expected_version, None) from exc
    return last, recorded_at


def append(
    stream_id: str,
    expected_version: int,
    events: Sequence[NewEvent],
    *,
    actor: str = "",
    causation_id: str = "",
    correlation_id: str = "",
) -> list[RecordedEvent]:
    """Append `events` to `stream_id` if it is at `expected_version`, in the caller's transaction.

    Idempotent by event id: appending events whose ids are all stored already returns the stored ones and
    writes nothing. Raises ConcurrencyConflict when the stream moved on, and stores nothing then.
    """
    if not events:
        return []
    ids = [ev.event_id if isinstance(ev.event_id, uuid.UUID) else uuid.UUID(str(ev.event_id)) for ev in events]
    write = _write_postgres if connection.vendor == "postgresql" else _write_generic
    with transaction.atomic():
        for _ in range(2):
            taken = write(stream_id, expected_version, events, ids, actor or "", causation_id or "", correlation_id or "")
            if taken is not None:
                break
            with connection.cursor() as cursor:
                existing = _refusal(cursor, stream_id, expected_version, ids)
            if existing is not None:
                return existing
        else:
            raise RuntimeError("the event position counter row could not be created")
    last, recorded_at = taken
    first = last - len(events) + 1
    return [
        RecordedEvent(
            position=first + i,
            stream_id=stream_id,
            stream_version=expected_version + 1 + i,
            event_id=ids[i],
            type=ev.type,
            schema_version=ev.schema_version,
            payload=ev.payload,
            effective=ev.effective or "",
            recorded_at=recorded_at,
            actor=actor or "",
            causation_id=causation_id or "",
            correlation_id=correlation_id or "",
        )
        for i, ev in enumerate(events)
    ]


def _from_model(obj: StoredEvent) -> RecordedEvent:
    version, payload = upcasting.upcast(obj.type, obj.schema_version, obj.payload)
    return RecordedEvent(
        position=obj.position,
        stream_id=obj.stream_id,
        stream_version=obj.stream_version,
        event_id=obj.event_id,
        type=obj.type,
        schema_version=version,
        payload=payload,
        effective=obj.effective,
        recorded_at=obj.recorded_at,
        actor=obj.actor,
        causation_id=obj.causation_id,
        correlation_id=obj.correlation_id,
    )


def read_stream(stream_id: str, after_version: int = 0) -> list[RecordedEvent]:
    rows = StoredEvent.objects.filter(stream_id=stream_id, stream_version__gt=after_version).order_by("stream_version")
    return [_from_model(obj) for obj in rows]


def read_all(after_position: int = 0, limit: int | None = None, stream_ids: Iterable[str] | None = None):
    rows = StoredEvent.objects.filter(position__gt=after_position).order_by("position")
    if stream_ids is not None:
        rows = rows.filter(stream_id__in=list(stream_ids))
    if limit is not None:
        rows = rows[:limit]
    return [_from_model(obj) for obj in rows]


def read_events(event_ids: Iterable) -> list[RecordedEvent]:
    return [_from_model(obj) for obj in StoredEvent.objects.filter(event_id__in=list(event_ids)).order_by("position")]


def read_stream_of_type(stream_id: str, event_type: str, before_position: int | None = None) -> list[RecordedEvent]:
    """The stream's events of one type, in position order (before a position, if given)."""
    rows = StoredEvent.objects.filter(stream_id=stream_id, type=event_type)
    if before_position is not None:
        rows = rows.filter(position__lt=before_position)
    return [_from_model(obj) for obj in rows.order_by("position")]


def find_caused_by(stream_id: str, causation_id: str) -> list[RecordedEvent]:
    rows = StoredEvent.objects.filter(stream_id=stream_id, causation_id=causation_id).order_by("position")
    return [_from_model(obj) for obj in rows]


def last_position() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(position), 0) FROM pacta_event")
        return cursor.fetchone()[0]
