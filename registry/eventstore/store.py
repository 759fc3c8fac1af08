"""Append to and read from the event store.

Global positions: gap-free and strictly increasing in commit order
------------------------------------------------------------------
A sequence (bigserial) hands out numbers at INSERT time and burns them on rollback, so a reader tailing
`position > N` can read 12 before a slower transaction commits 11, and never come back for 11. We instead
keep one counter row (`pacta_event_position`) holding the head of the log (last position, its hash, its
record time) and, inside the append transaction, move it from the head the writer linked its events to:

    UPDATE pacta_event_position SET position = <head + n>, head_hash = .. WHERE id = 1 AND position = <head> ..

together with the INSERT of the n events. The UPDATE takes the row lock and holds it until COMMIT or
ROLLBACK, so appends serialise on it: a second writer gets the row only after the first has committed (it
then sees the new head and its UPDATE matches nothing) or rolled back (the counter update is undone with
it, so no number is burnt). Hence every committed position p has all of 1..p-1 committed before it, and a
reader never sees a gap that later fills.

The hash chain (chain.py) is computed here, in Python, in position order. A connection remembers the head
its last append left; on PostgreSQL it links the new events to that head and writes them in ONE statement
(a data-modifying WITH: counter update, checks and INSERT), which matches only if the counter still is at
that head. If another writer moved it (or our transaction rolled back), nothing is written: the writer
then locks the counter row (SELECT ... FOR UPDATE), reads the head, links again and writes under the
lock. So a lone writer pays one round trip per append, and concurrent writers stay correct at the cost
of a second one. Called outside any transaction, that one statement is the append's whole transaction
(no BEGIN, no COMMIT to send); anything else (a stale head, a retry, a refusal) goes through a
transaction as above. SQLite has a single writer (transactions begin IMMEDIATE): it reads the head and
writes in the same transaction.

The Merkle tree (tree.py, merkle.py) grows in the same transaction: each event's leaf hash is taken over the
very record text the chain hashes, and the hashes of the subtrees it completes are inserted with the events
(on PostgreSQL inside the same one statement), from the tree's frontier that the head carries. So a committed
event is always in the tree, and the tree never holds an event that was not committed.

The statement is prepared on the server once per connection, and its rows travel as one JSON parameter
(`_write_postgres`): each row is the very text the chain hashes plus the columns the chain leaves out.

`recorded_at` is set here and always moves forward: each append takes max(now, head + 1 µs). So record time
strictly increases from one append to the next, even if clocks step back, and `known_at=<an append's
recorded_at>` is unambiguous.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import chain, merkle, tree, upcasting
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
    prev_hash: str = ""
    hash: str = ""


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
STORED_COLUMNS = COLUMNS + ("prev_hash", "hash")
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


@dataclass(frozen=True)
class StreamAppend:
    """One stream's part of an append: its new events, the version the writer expects it at, and who."""

    stream_id: str
    expected_version: int
    events: Sequence[NewEvent]
    actor: str = ""
    causation_id: str = ""
    correlation_id: str = ""


@dataclass(frozen=True)
class Head:
    """The last event of the log as the counter row holds it: its position, hash and record time."""

    position: int
    hash: str
    recorded_at: dt.datetime | None
    # The Merkle tree's frontier at this head (tree.py), when known: the next append extends it without reading.
    frontier: tuple | None = None


def _grown(head: Head, leaves) -> tuple[list[bytes], tuple]:
    """The tree hashes the new leaves store (from merkle.stored_count(head.position) on) and the new frontier."""
    front = list(head.frontier) if head.frontier is not None else tree.frontier(head.position)
    return tree.grow(front, head.position, leaves), tuple(front)


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
    return append_streams([StreamAppend(stream_id, expected_version, events, actor or "", causation_id or "",
                                        correlation_id or "")])


def append_streams(appends: Sequence[StreamAppend]) -> list[RecordedEvent]:
    """Append to several streams at once (a bulk load): one counter update, one INSERT; each entry its own
    record time (a microsecond apart).

    The same guarantees as `append` for each stream (expected versions, idempotency by event id); all or
    nothing. Events get positions in the order given. A stream may appear several times (one entry per
    command, each with its own causation id): each later entry must expect the version the one before leaves."""
    appends = [a for a in appends if a.events]
    if not appends:
        return []
    _check_continuity(appends)
    ids = [_uuid(ev.event_id) for a in appends for ev in a.events]
    postgres = connection.vendor == "postgresql"
    if postgres and connection.get_autocommit() and not connection.in_atomic_block:
        # Outside any transaction the one statement is a transaction of its own (the counter's row lock is
        # held to its commit): one round trip, no BEGIN and COMMIT. Anything but a plain write (a head that
        # moved on, a retry, a refusal) goes the transactional way below.
        head = getattr(connection, "_pacta_head", None)
        if head is not None:
            recorded, rows, leaves = _linked(appends, ids, head)
            hashes, front = _grown(head, leaves)
            if _write_postgres(appends, recorded, head, rows, hashes):
                connection._pacta_head = Head(recorded[-1].position, recorded[-1].hash, recorded[-1].recorded_at,
                                              front)
                return recorded
            connection._pacta_head = None
    # No savepoint of its own (two round trips inside a caller's transaction): a failed statement fails the
    # caller's transaction, which then rolls back whole. A refusal writes nothing, so it is raised outside.
    refusal = None
    with transaction.atomic(savepoint=False):
        head = getattr(connection, "_pacta_head", None) if postgres else None
        for _ in range(3):
            if head is None:
                head = _lock_head()
            recorded, rows, leaves = _linked(appends, ids, head)
            hashes, front = _grown(head, leaves)
            if (_write_postgres(appends, recorded, head, rows, hashes) if postgres
                    else _write_generic(appends, recorded, head, hashes)):
                break
            try:
                existing = _refusal(appends, ids)
            except (ConcurrencyConflict, DuplicateEvents) as exc:
                refusal = exc
                break
            if existing is not None:
                return existing
            head = None  # the counter moved on since this connection last appended: lock it and read it
        else:
            raise RuntimeError("the event position counter row could not be taken")
    if refusal is not None:
        raise refusal
    if postgres:
        connection._pacta_head = Head(recorded[-1].position, recorded[-1].hash, recorded[-1].recorded_at, front)
    return recorded


def _check_continuity(appends) -> None:
    reached = {}
    for a in appends:
        if a.stream_id in reached and reached[a.stream_id] != a.expected_version:
            raise ValueError(f"{a.stream_id}: an entry expects version {a.expected_version}, the entry before it "
                             f"leaves {reached[a.stream_id]}")
        reached[a.stream_id] = a.expected_version + len(a.events)


def _first_per_stream(appends):
    """The entries whose expected version the stored stream must match (each stream's first)."""
    seen, firsts = set(), []
    for a in appends:
        if a.stream_id not in seen:
            seen.add(a.stream_id)
            firsts.append(a)
    return firsts


class NotTheHead(Exception):
    """Copied events do not continue this store's log (another history, or a gap)."""


def copy_events(recorded: Sequence[RecordedEvent]) -> int:
    """Store events copied from another Pacta instance with their own positions, record times and hashes
    (a read-only copy following a feed). They must continue this log: the first links to the head, each
    verifies (chain.verify). In the caller's transaction, under the counter row's lock."""
    if not recorded:
        return 0
    with transaction.atomic(savepoint=False):
        head = _lock_head()
        try:
            for _ in chain.verify(recorded, head.hash, head.position):
                pass
        except chain.ChainBroken as broken:
            raise NotTheHead(str(broken)) from None
        appends, reached = [], {}
        for r in recorded:
            if r.stream_id not in reached:
                appends.append(StreamAppend(r.stream_id, r.stream_version - 1, [r]))
            reached[r.stream_id] = r.stream_version
        hashes, _ = _grown(head, [tree.leaf_of(r) for r in recorded])
        if not _write_generic(appends, recorded, head, hashes):
            raise NotTheHead("the copied events clash with stored ones (stream versions or event ids)")
    connection._pacta_head = None
    return len(recorded)


def _uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _lock_head() -> Head:
    """Take the counter row's lock (held to commit) and read the head; create the row if it is missing."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        for _ in range(2):
            cursor.execute(f"SELECT position, head_hash, recorded_at FROM pacta_event_position WHERE id = 1{lock}")
            row = cursor.fetchone()
            if row is not None:
                return Head(row[0], row[1], _as_datetime(row[2]) if row[2] is not None else None)
            # A fresh or flushed database has no counter row: seed it from the last stored event.
            cursor.execute("SELECT position, hash, recorded_at FROM pacta_event ORDER BY position DESC LIMIT 1")
            last = cursor.fetchone() or (0, chain.GENESIS, None)
            cursor.execute(
                "INSERT INTO pacta_event_position (id, position, head_hash, recorded_at) VALUES (1, %s, %s, %s) "
                "ON CONFLICT (id) DO NOTHING", [last[0], last[1], last[2]]
            )
    raise RuntimeError("the event position counter row could not be created")


def _linked(appends, ids, head: Head) -> tuple[list[RecordedEvent], list[str], list[bytes]]:
    """The events as they will be stored after `head` (positions, record times, chain links), each one's
    stored row as JSON text: its hashed record (chain.record_json, the payload serialised once) plus the
    columns the chain does not cover (the PostgreSQL append sends these texts as its rows), and each one's
    Merkle leaf hash (over the same record text)."""
    now = timezone.now()
    if head.recorded_at is not None:
        now = max(now, head.recorded_at + dt.timedelta(microseconds=1))
    recorded, rows, leaves, position, prev_hash, i = [], [], [], head.position, head.hash, 0
    leaf_hash = merkle.leaf_hash
    string = chain._STRING
    for n, a in enumerate(appends):
        # Each entry (a command) has its own record time, one microsecond after the one before.
        at = now + dt.timedelta(microseconds=n) if n else now
        stamp = chain.format_recorded_at(at)
        extra = (f',"actor":{string(a.actor)},"causation_id":{string(a.causation_id)},'
                 f'"correlation_id":{string(a.correlation_id)}')
        for k, ev in enumerate(a.events):
            position += 1
            version, effective = a.expected_version + 1 + k, ev.effective or ""
            text = chain.record_json(position, a.stream_id, version, ids[i], ev.type, ev.schema_version,
                                     chain.payload_json(ev.payload), effective, stamp)
            link = chain.link_json(prev_hash, text)
            leaves.append(leaf_hash(text.encode("utf-8")))
            recorded.append(RecordedEvent(position, a.stream_id, version, ids[i], ev.type, ev.schema_version,
                                          ev.payload, effective, at, a.actor, a.causation_id, a.correlation_id,
                                          prev_hash, link))
            rows.append(f'{text[:-1]}{extra},"prev_hash":"{prev_hash}","hash":"{link}"}}')
            prev_hash = link
            i += 1
    return recorded, rows, leaves


def _refusal(appends, ids):
    """Why the write did not happen: an idempotent retry (returns the stored events), a refusal, or None
    when the only reason was a head that moved on."""
    existing = read_events(ids)
    if existing:
        streams = {ev: a.stream_id for a in appends for ev in (_uuid(e.event_id) for e in a.events)}
        if len(existing) == len(ids) and all(rec.stream_id == streams[rec.event_id] for rec in existing):
            return existing
        raise DuplicateEvents(f"{len(existing)} of {len(ids)} event ids are already stored.")
    for a in _first_per_stream(appends):
        actual = current_version(a.stream_id)
        if actual != a.expected_version:
            raise ConcurrencyConflict(a.stream_id, a.expected_version, actual)
    return None


_POSTGRES_APPEND = """
WITH e AS MATERIALIZED (
    SELECT * FROM json_populate_recordset(NULL::pacta_event, %(rows)s::json)
), taken AS (
    UPDATE pacta_event_position SET position = %(last)s, recorded_at = %(recorded_at)s, head_hash = %(head_hash)s
     WHERE id = 1 AND position = %(head)s AND head_hash = %(prev_hash)s
       AND NOT EXISTS (
           SELECT 1 FROM (SELECT stream_id, MIN(stream_version) - 1 AS version FROM e GROUP BY stream_id) AS s
            WHERE (SELECT COALESCE(MAX(p.stream_version), 0) FROM pacta_event p WHERE p.stream_id = s.stream_id)
                  <> s.version)
       AND NOT EXISTS (SELECT 1 FROM pacta_event p WHERE p.event_id = ANY(ARRAY(SELECT event_id FROM e)))
    RETURNING position
), tree AS (
    INSERT INTO pacta_log_hash (id, hash)
    SELECT %(tree_from)s + u.o - 1, u.h FROM unnest(%(tree)s::bytea[]) WITH ORDINALITY AS u(h, o), taken
)
INSERT INTO pacta_event SELECT e.* FROM e, taken
"""


def _write_postgres(appends, recorded, head: Head, rows, hashes) -> bool:
    """One statement, one round trip: move the counter from `head` (which takes its lock), insert the rows and
    the Merkle tree's new hashes (`hashes`, stored from merkle.stored_count(head.position) on).

    The counter moves only if it still is at `head` (this connection's last append, or what it locked), every
    stream at its expected version and no id stored yet; else nothing is written and False is returned.

    The rows travel as ONE JSON parameter, an array of each event's stored row (`_linked`): its hashed record,
    character for character, plus the columns outside the chain; the server turns it into rows of the table's
    own type (json_populate_recordset). So the statement's text never changes with the number of events, and
    it is prepared on the server once per connection: Django turns psycopg's automatic preparing off
    (prepare_threshold None, under which even `prepare=True` is ignored), so the threshold is lifted for this
    one statement only (`_prepared`).
    """
    import psycopg

    connection.ensure_connection()
    last = recorded[-1]
    params = {
        "rows": f"[{','.join(rows)}]", "last": last.position, "recorded_at": last.recorded_at,
        "head_hash": last.hash, "head": head.position, "prev_hash": head.hash,
        "tree_from": merkle.stored_count(head.position), "tree": hashes,
    }
    # A cursor on Django's own psycopg connection, so it runs in the caller's transaction; the driver's errors
    # become Django's (an outage is answered as one, a broken connection is marked unusable).
    raw = connection.connection
    with connection.wrap_database_errors, _prepared(raw), psycopg.Cursor(raw) as cursor:
        try:
            cursor.execute(_POSTGRES_APPEND, params, prepare=True)
        except psycopg.errors.UniqueViolation as exc:
            # Another writer appended the same stream version (or event ids) and committed first.
            first = appends[0]
            raise ConcurrencyConflict(first.stream_id, first.expected_version, None) from exc
        return cursor.rowcount > 0


class _prepared:
    """Let psycopg prepare the statements executed with `prepare=True` while inside; the connection's own
    setting (Django's None: nothing prepared automatically) is restored on the way out. Statements prepared
    stay prepared on the connection (psycopg keeps their names) for the next time."""

    def __init__(self, raw):
        self.raw = raw

    def __enter__(self):
        self.threshold = self.raw.prepare_threshold
        if self.threshold is None:
            # Only the statements that ask (`prepare=True`) reach a threshold this high.
            self.raw.prepare_threshold = 2 ** 62
        return self

    def __exit__(self, *exc):
        self.raw.prepare_threshold = self.threshold
        return False


def _write_generic(appends, recorded, head: Head, hashes) -> bool:
    """SQLite (no DML in WITH): check, move the counter, insert the events and the tree's new hashes. Its
    transactions begin IMMEDIATE (settings), so no other writer runs between these statements and `head` was
    read in this transaction."""
    ids = [_prep("event_id", r.event_id) for r in recorded]
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            cursor.execute(f"SELECT 1 FROM pacta_event WHERE event_id IN ({', '.join(['%s'] * len(chunk))}) LIMIT 1",
                           chunk)
            if cursor.fetchone():
                return False
        for a in _first_per_stream(appends):
            if current_version(a.stream_id) != a.expected_version:
                return False
        cursor.execute(
            "UPDATE pacta_event_position SET position = %s, recorded_at = %s, head_hash = %s "
            "WHERE id = 1 AND position = %s AND head_hash = %s",
            [recorded[-1].position, _prep("recorded_at", recorded[-1].recorded_at), recorded[-1].hash,
             head.position, head.hash],
        )
        if cursor.rowcount != 1:
            return False
        row_sql = "(" + ", ".join(["%s"] * len(STORED_COLUMNS)) + ")"
        for start in range(0, len(recorded), 1000):
            chunk = recorded[start:start + 1000]
            params = []
            for i, r in enumerate(chunk):
                params += [r.position, r.stream_id, r.stream_version, ids[start + i], r.type, r.schema_version,
                           _prep("payload", r.payload), r.effective, _prep("recorded_at", r.recorded_at), r.actor,
                           r.causation_id,
                           r.correlation_id, r.prev_hash, r.hash]
            try:
                cursor.execute(f"INSERT INTO pacta_event ({', '.join(STORED_COLUMNS)}) "
                               f"VALUES {', '.join([row_sql] * len(chunk))}", params)
            except IntegrityError as exc:
                raise ConcurrencyConflict(appends[0].stream_id, appends[0].expected_version, None) from exc
    tree.write(merkle.stored_count(head.position), hashes)
    return True


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
        prev_hash=obj.prev_hash,
        hash=obj.hash,
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


def stored_rows(after_position: int = 0, batch: int = 5000):
    """Every stored event after `after_position` as it is stored (no upcasting), in position order, read in
    batches by position: what the chain covers."""
    while True:
        rows = list(StoredEvent.objects.filter(position__gt=after_position).order_by("position")[:batch])
        yield from rows
        if len(rows) < batch:
            return
        after_position = rows[-1].position


def head() -> Head:
    """The head of the log as the counter row holds it (genesis on an empty store)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT position, head_hash, recorded_at FROM pacta_event_position WHERE id = 1")
        row = cursor.fetchone()
        if row is None:  # a flushed database: the counter row comes back with the next append
            cursor.execute("SELECT position, hash, recorded_at FROM pacta_event ORDER BY position DESC LIMIT 1")
            row = cursor.fetchone() or (0, chain.GENESIS, None)
    return Head(row[0], row[1], _as_datetime(row[2]) if row[2] is not None else None)
