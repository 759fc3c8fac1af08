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
counter update is undone with it, so no number is burnt). Hence every committed position p has all of
1..p-1 committed before it, and a reader never sees a gap that later fills. The lock is taken as late as
the write path allows (services.py decides and validates before appending) so that only the inserts of
events, projections and outbox rows run under it. SQLite has a single writer anyway; the same SQL works.

`recorded_at` is set here, after the lock, and never goes backwards: the counter row also keeps the last
recorded time, so record time is non-decreasing in position order even if clocks step back.
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


def _take_positions(cursor, count: int, now: dt.datetime) -> tuple[int, dt.datetime]:
    """Advance the counter by `count` under its row lock; returns (last position, recorded_at)."""
    sql = (
        "UPDATE pacta_event_position SET position = position + %s, "
        "recorded_at = CASE WHEN recorded_at IS NULL OR recorded_at < %s THEN %s ELSE recorded_at END "
        "WHERE id = 1 RETURNING position, recorded_at"
    )
    stamp = _prep("recorded_at", now)
    cursor.execute(sql, [count, stamp, stamp])
    row = cursor.fetchone()
    if row is None:  # a fresh or flushed database: create the counter row, then take the lock
        cursor.execute(
            "INSERT INTO pacta_event_position (id, position) VALUES (1, "
            "(SELECT COALESCE(MAX(position), 0) FROM pacta_event)) ON CONFLICT (id) DO NOTHING"
        )
        cursor.execute(sql, [count, stamp, stamp])
        row = cursor.fetchone()
    return row[0], _as_datetime(row[1])


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
    with transaction.atomic(), connection.cursor() as cursor:
        placeholders = ", ".join(["%s"] * len(ids))
        cursor.execute(
            "SELECT (SELECT COALESCE(MAX(stream_version), 0) FROM pacta_event WHERE stream_id = %s), "
            f"(SELECT COUNT(*) FROM pacta_event WHERE event_id IN ({placeholders}))",
            [stream_id, *[_prep("event_id", i) for i in ids]],
        )
        actual, already = cursor.fetchone()
        if already:
            existing = read_events(ids) if already == len(ids) else []
            if existing and all(rec.stream_id == stream_id for rec in existing):
                return existing
            raise DuplicateEvents(f"{already} of {len(ids)} event ids are already stored.")
        if actual != expected_version:
            raise ConcurrencyConflict(stream_id, expected_version, actual)

        last, recorded_at = _take_positions(cursor, len(events), timezone.now())
        first = last - len(events) + 1
        recorded = [
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
        row = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
        params = [_prep(name, getattr(rec, name)) for rec in recorded for name in COLUMNS]
        try:
            cursor.execute(
                f"INSERT INTO pacta_event ({', '.join(COLUMNS)}) VALUES {', '.join([row] * len(recorded))}", params
            )
        except IntegrityError as exc:
            # Another writer appended the same stream version (or event ids) and committed first.
            raise ConcurrencyConflict(stream_id, expected_version, None) from exc
    return recorded


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


def find_caused_by(stream_id: str, causation_id: str) -> list[RecordedEvent]:
    rows = StoredEvent.objects.filter(stream_id=stream_id, causation_id=causation_id).order_by("position")
    return [_from_model(obj) for obj in rows]


def last_position() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(position), 0) FROM pacta_event")
        return cursor.fetchone()[0]
