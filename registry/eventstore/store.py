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

The hash chain (chain.py) is computed here, in Python, in position order. What is written is decided here;
how it is written is the database's writer's (persistence.py: postgres.py, sqlite.py), chosen once per
database. Where the writer checks the head itself (PostgreSQL: one statement), a connection remembers the
head its last append left (persistence.LastHead) and links the new events to it; the write matches only if
the counter still is at that head. If another writer moved it (or our transaction rolled back), nothing is
written: the store then locks the counter row (SELECT ... FOR UPDATE), reads the head, links again and
writes under the lock; only a write refused at the head it holds asks why (a stale stream version, an
idempotent retry). So a lone writer pays one round trip per append, and concurrent writers stay correct
at the cost of a second one. Called outside any transaction, that one statement is the append's whole
transaction (no BEGIN, no COMMIT to send); anything else (a stale head, a retry, a refusal) goes through a
transaction as above. SQLite has a single writer (transactions begin IMMEDIATE): it reads the head and
writes in the same transaction.

The Merkle tree (tree.py, merkle.py) grows in the same transaction: each event's leaf hash is taken over the
very record text the chain hashes, and the hashes of the subtrees it completes are inserted with the events
(on PostgreSQL inside the same one statement), from the tree's frontier that the head carries. So a committed
event is always in the tree, and the tree never holds an event that was not committed.

On PostgreSQL the statement is prepared on the server once per connection, and its rows travel as one JSON
parameter (postgres.py): each row is the very text the chain hashes plus the columns the chain leaves out.

A copy that cannot see every event
----------------------------------
A copy following a log with no token (an anonymous reader) is shown a placeholder where an event is hidden from
it: the position, `prev_hash`, `hash` and the event's Merkle leaf hash. It holds each one as a placeholder
row (`pacta_event_placeholder`, models.HeldPlaceholder), a side table rather than a kind of event row:
- positions stay gap-free (the counter, the chain and the tree run over events and placeholders alike:
  `stored_entries` reads both in order; a placeholder's leaf hash enters the tree as given);
- nothing that reads events can show a placeholder as one: the events table, its readers (streams, the feed's
  events, the projections, rebuilds) and its append-only triggers stay as they were; the feed shows a held
  placeholder as a placeholder, with the same four fields;
- a placeholder is filled (`fill_placeholders`: the event inserted, the row deleted, in one transaction) only
  by the event it commits to: the same links, its hash its record's link, its leaf hash the one held. So a
  fill changes neither the chain, nor the tree, nor the head.
A placeholder's hash cannot be recomputed here (its record is hidden): the caller (follow) stores placeholders
only after checking the whole tree, public leaves recomputed and hidden ones as given, against the followed
log's signed checkpoint. While a stream has a hidden version, the copy cannot check its continuity (stream
versions are then only unique), and its later events wait to be projected until it is filled
(`contiguous_versions`, agreements.services).

`recorded_at` is set here and always moves forward: each append takes max(now, head + 1 µs). So record time
strictly increases from one append to the next, even if clocks step back, and `known_at=<an append's
recorded_at>` is unambiguous.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Iterable, Sequence

from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from registry import generation

from . import chain, merkle, persistence, tree, upcasting
from .models import HeldPlaceholder, StoredEvent, stored_rows  # noqa: F401  (read through the store: backups)
from .persistence import first_per_stream, last_head
from .records import (  # the store's vocabulary, named here for its callers
    COLUMNS,
    STORED_COLUMNS,
    ConcurrencyConflict,
    Copied,
    DuplicateEvents,
    Head,
    Linked,
    NewEvent,
    NotTheHead,
    NotThePlaceholder,
    Placeholder,
    RecordedEvent,
    StreamAppend,
)

__all__ = ["COLUMNS", "STORED_COLUMNS", "ConcurrencyConflict", "Copied", "DuplicateEvents", "Head", "NewEvent", "NotTheHead",
           "NotThePlaceholder", "Placeholder", "RecordedEvent", "StreamAppend", "append", "append_streams",
           "contiguous_versions", "copy_ahead", "copy_checked", "copy_events", "current_version", "fill_placeholders", "find_caused_by", "head",
           "holds_placeholders", "last_position", "placeholders", "read_all", "read_events", "read_stream",
           "read_stream_of_type", "stored_entries", "stored_rows"]


def _as_datetime(value) -> dt.datetime:
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.timezone.utc)
    return value


def current_version(stream_id: str) -> int:
    return persistence.current_version(connection, stream_id)


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
    writer = persistence.writer(connection)
    if writer.remembers_head and connection.get_autocommit() and not connection.in_atomic_block:
        # Outside any transaction the one statement is a transaction of its own (the counter's row lock is
        # held to its commit): one round trip, no BEGIN and COMMIT. Anything but a plain write (a head that
        # moved on, a retry, a refusal) goes the transactional way below.
        head = last_head.get(connection)
        if head is not None:
            linked, front = _linked(appends, ids, head)
            if writer.write(connection, linked, head):
                generation.advance_after_commit()
                return _remember(linked.recorded, front)
            last_head.forget(connection)
    # No savepoint of its own (two round trips inside a caller's transaction): a failed statement fails the
    # caller's transaction, which then rolls back whole. A refusal writes nothing, so it is raised outside.
    refusal = None
    with transaction.atomic(savepoint=False):
        head, locked = last_head.get(connection), False
        for _ in range(3):
            if head is None:
                head, locked = _lock_head(), True
            linked, front = _linked(appends, ids, head)
            if writer.write(connection, linked, head):
                break
            if not locked:
                # A remembered head refused: most often another writer moved it on. Lock the head; if it moved,
                # link again at once (asking why first cost every writer racing for the head two more round
                # trips); if it did not, the write was refused for what it holds: ask why, under the lock.
                current, locked = _lock_head(), True
                if (current.position, current.hash) != (head.position, head.hash):
                    head = current
                    continue
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
    generation.advance_after_commit()
    if writer.remembers_head:
        _remember(linked.recorded, front)
    return linked.recorded


def link_ahead(appends: Sequence[StreamAppend], at: Head | None = None) -> tuple[Linked, Head, Head]:
    """An append linked before it is written (a bulk load links batch k+1 while batch k is written): `appends`
    as they would be stored after the head `at` (the stored head when None; read, not locked), the head linked to, and
    the head they would leave. Nothing is written: `append_linked` writes it if the log is still at that head."""
    appends = [a for a in appends if a.events]
    _check_continuity(appends)
    at = head() if at is None else at
    linked, front = _linked(appends, [_uuid(ev.event_id) for a in appends for ev in a.events], at)
    persistence.writer(connection).prepare(linked)
    last = linked.recorded[-1] if linked.recorded else None
    after = Head(last.position, last.hash, last.recorded_at, front) if last is not None else at
    return linked, at, after


def append_linked(linked: Linked, head: Head, after: Head) -> list[RecordedEvent] | None:
    """Write an append linked ahead (`link_ahead`) in the caller's transaction if the log is still at `head`;
    None when it is not (another writer appended meanwhile), and nothing is written: the caller appends the
    same entries again with `append_streams`, which links them to the head as it is then. A refusal (a stream
    not at its version, an id stored) also comes back as None: `append_streams` says which."""
    if not linked.recorded:
        return []
    with transaction.atomic(savepoint=False):
        written = persistence.writer(connection).write(connection, linked, head)
    if not written:
        return None
    generation.advance_after_commit()
    if persistence.writer(connection).remembers_head:
        last_head.remember(connection, after)
    return linked.recorded


def _remember(recorded: list[RecordedEvent], front: tuple) -> list[RecordedEvent]:
    last = recorded[-1]
    last_head.remember(connection, Head(last.position, last.hash, last.recorded_at, front))
    return recorded


def _check_continuity(appends) -> None:
    reached = {}
    for a in appends:
        if a.stream_id in reached and reached[a.stream_id] != a.expected_version:
            raise ValueError(f"{a.stream_id}: an entry expects version {a.expected_version}, the entry before it "
                             f"leaves {reached[a.stream_id]}")
        reached[a.stream_id] = a.expected_version + len(a.events)


def copy_events(recorded: Sequence) -> int:
    """Store events copied from another Pacta instance with their own positions, record times and hashes
    (a read-only copy following a feed), and the positions hidden from the copy as Placeholders (see "A copy
    that cannot see every event" above). They must continue this log: the first links to the head, each links
    to the one before it, each event's hash is recomputed from its record (chain.link), a placeholder's is taken
    as given (the caller checked the tree's root against a signed checkpoint). In the caller's transaction,
    under the counter row's lock; returns how many events (not placeholders) were stored."""
    if not recorded:
        return 0
    return copy_checked(copy_ahead(recorded))


def copy_ahead(recorded: Sequence, at: Head | None = None) -> Copied:
    """Copied entries checked before they are written (a copy catching up checks page k+1 while page k is
    written): each follows the one before it from the head `at` (the stored head when None; read, not locked),
    each event's hash recomputed from its record; NotTheHead names the first that does not. Nothing is
    written: `copy_checked` writes them if the log is still at that head. Each record is serialised once
    (chain.record_json, the payload's canonical text inside it), for its link, its leaf hash and what the
    writer sends (Writer.prepare_copied: PostgreSQL's COPY text, built here rather than by the writing thread)."""
    at = head() if at is None else at
    position, prev = at.position, at.hash
    events, hidden, leaves, payloads, stamps, event_ids = [], [], [], [], [], []
    for entry in recorded:
        if isinstance(entry, Placeholder):
            if entry.position != position + 1 or entry.prev_hash != prev:
                raise NotTheHead(f"position {entry.position}: the placeholder does not follow position {position} "
                                 f"({prev})")
            hidden.append(entry)
            leaves.append(bytes(entry.leaf_hash))
        else:
            if entry.position != position + 1:
                raise NotTheHead(str(chain.Break(entry.position, f"expected position {position + 1} (a gap or a "
                                                                 "reordering)")))
            if entry.prev_hash != prev:
                raise NotTheHead(str(chain.Break(entry.position, f"prev_hash {entry.prev_hash} does not match the "
                                                                 f"previous hash {prev}")))
            payload, stamp = chain.payload_json(entry.payload), chain.format_recorded_at(entry.recorded_at)
            event_id = str(entry.event_id).lower()
            text = chain.record_json(entry.position, entry.stream_id, entry.stream_version, event_id, entry.type,
                                     entry.schema_version, payload, entry.effective or "", stamp)
            expected = chain.link_json(prev, text)
            if entry.hash != expected:
                raise NotTheHead(str(chain.Break(entry.position, f"hash {entry.hash} does not match the recomputed "
                                                                 f"{expected}")))
            events.append(entry)
            leaves.append(merkle.leaf_hash(text.encode("utf-8")))
            payloads.append(payload)
            stamps.append(stamp)
            event_ids.append(event_id)
        position, prev = entry.position, entry.hash
    hashes, front = _grown(at, leaves)
    last = recorded[-1] if recorded else None
    after = Head(last.position, last.hash, events[-1].recorded_at if events else at.recorded_at,
                 front) if last is not None else at
    ready = persistence.writer(connection).prepare_copied(events, payloads, stamps, event_ids)
    return Copied(list(recorded), events, hidden, hashes, at, after, ready)


def copy_checked(copied: Copied) -> int:
    """Write entries checked ahead (`copy_ahead`) in the caller's transaction, under the counter row's lock; if
    the log is no longer at the head they were checked after, they are checked again after the head as it is
    (NotTheHead if they do not continue it). Returns how many events (not placeholders) were stored."""
    if not copied.entries:
        return 0
    with transaction.atomic(savepoint=False):
        at = _lock_head()
        if (at.position, at.hash) != (copied.head.position, copied.head.hash):
            copied = copy_ahead(copied.entries, at)
        events, hidden = copied.recorded, copied.hidden
        # With placeholders (held or new), a stream's earlier versions may be hidden from this copy: stream
        # versions are then checked by the unique constraint only (no clash), not for continuity.
        versions = not hidden and not holds_placeholders()
        appends, reached = [], {}
        for r in events:
            if r.stream_id not in reached:
                expected = r.stream_version - 1 if versions else current_version(r.stream_id)
                appends.append(StreamAppend(r.stream_id, expected, [r]))
            reached[r.stream_id] = r.stream_version
        linked = Linked(appends, events, copied.hashes, ready=copied.ready)
        try:
            written = persistence.writer(connection).write_checked(connection, linked, copied.head, hidden, versions)
        except ConcurrencyConflict:
            written = False
        if not written:
            raise NotTheHead("the copied events clash with stored ones (stream versions or event ids)")
    generation.advance_after_commit()
    last_head.forget(connection)
    return len(events)


def holds_placeholders() -> bool:
    return HeldPlaceholder.objects.exists()


def placeholders(after: int = 0, limit: int | None = None) -> list[Placeholder]:
    """The positions this copy holds as placeholders after `after`, in position order."""
    rows = HeldPlaceholder.objects.filter(position__gt=after).order_by("position")
    if limit is not None:
        rows = rows[:limit]
    return [Placeholder(p.position, p.prev_hash, p.hash, bytes(p.leaf_hash)) for p in rows]


def fill_placeholders(recorded: Sequence[RecordedEvent]) -> list[RecordedEvent]:
    """Replace placeholders this copy holds by the events they stand for, in the caller's transaction; returns
    them. Each must be the very event the placeholder commits to: the same position, prev_hash and hash, its
    hash its record's link, its leaf hash the one held (so the tree, the chain and the head are unchanged).
    Anything else is NotThePlaceholder, and nothing is written."""
    if not recorded:
        return []
    with transaction.atomic(savepoint=False):
        _lock_head()  # one writer at a time, as appends
        rows = HeldPlaceholder.objects.filter(position__in=[r.position for r in recorded])
        if connection.features.has_select_for_update:
            rows = rows.select_for_update()
        held = {p.position: p for p in rows}
        for r in recorded:
            p = held.get(r.position)
            if p is None:
                raise NotThePlaceholder(f"position {r.position} is not held as a placeholder here")
            if (r.prev_hash, r.hash) != (p.prev_hash, p.hash):
                raise NotThePlaceholder(f"position {r.position}: the event's chain links are not the placeholder's")
            if chain.link(r.prev_hash, chain.record_of(r)) != r.hash:
                raise NotThePlaceholder(f"position {r.position}: the event's hash is not the one recomputed from "
                                        "its record")
            if tree.leaf_of(r) != bytes(p.leaf_hash):
                raise NotThePlaceholder(f"position {r.position}: the event's leaf hash is not the placeholder's")
        try:
            persistence.writer(connection).insert_events(connection, list(recorded))
        except ConcurrencyConflict:
            raise NotThePlaceholder("the events clash with stored ones (stream versions or event ids)") from None
        HeldPlaceholder.objects.filter(position__in=list(held)).delete()
    generation.advance_after_commit()
    return list(recorded)


def contiguous_versions(stream_ids: Iterable[str]) -> dict[str, int]:
    """{stream: the highest version v with 1..v all stored}: on a copy holding placeholders, what of each
    stream can be projected (a stream's events after a hidden one wait until it is filled)."""
    found = {}
    for stream_id in set(stream_ids):
        versions = StoredEvent.objects.filter(stream_id=stream_id).order_by("stream_version").values_list(
            "stream_version", flat=True)
        reached = 0
        for version in versions:
            if version != reached + 1:
                break
            reached = version
        found[stream_id] = reached
    return found


def stored_entries(after_position: int = 0, batch: int = 5000):
    """Every position after `after_position` in order: the stored events as stored_rows reads them and, on a
    copy holding placeholders, the Placeholders between them (what the chain and the tree cover)."""
    held = placeholders(after_position)
    if not held:
        yield from stored_rows(after_position, batch)
        return
    k = 0
    for row in stored_rows(after_position, batch):
        while k < len(held) and held[k].position < row.position:
            yield held[k]
            k += 1
        yield row
    yield from held[k:]


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
            last = _last_stored(cursor)
            cursor.execute(
                "INSERT INTO pacta_event_position (id, position, head_hash, recorded_at) VALUES (1, %s, %s, %s) "
                "ON CONFLICT (id) DO NOTHING", [last[0], last[1], last[2]]
            )
    raise RuntimeError("the event position counter row could not be created")


def _last_stored(cursor) -> tuple:
    """(position, hash, record time) of the last stored position: an event, or a placeholder after it (whose
    record time is the last event's)."""
    cursor.execute("SELECT position, hash, recorded_at FROM pacta_event ORDER BY position DESC LIMIT 1")
    last = cursor.fetchone() or (0, chain.GENESIS, None)
    cursor.execute("SELECT position, hash FROM pacta_event_placeholder ORDER BY position DESC LIMIT 1")
    held = cursor.fetchone()
    return (held[0], held[1], last[2]) if held is not None and held[0] > last[0] else last


def _linked(appends, ids, head: Head) -> tuple[Linked, tuple]:
    """The append as it will be stored after `head` (records.Linked), and the tree's frontier after it: the
    events' positions, record times and chain links; each one's hashed record (chain.record_json, the payload
    serialised once), kept with its parts (payload, record time and event id as text) for the writer to send
    as they are; and the Merkle tree's new hashes, from each event's leaf hash over the same record text."""
    now = timezone.now()
    if head.recorded_at is not None:
        now = max(now, head.recorded_at + dt.timedelta(microseconds=1))
    recorded, texts, leaves, payloads, stamps, event_ids = [], [], [], [], [], []
    position, prev_hash, i = head.position, head.hash, 0
    leaf_hash, record_json, link_json, payload_json = merkle.leaf_hash, chain.record_json, chain.link_json, chain.payload_json
    # Each entry (a command) has its own record time, one microsecond after the one before: its text is the
    # first's second with the microseconds counted on (formatted again only when they pass a second).
    second = chain.format_recorded_at(now)[:-8]
    for n, a in enumerate(appends):
        at = now + dt.timedelta(microseconds=n) if n else now
        micro = now.microsecond + n
        stamp = f"{second}.{micro:06d}Z" if micro < 1_000_000 else chain.format_recorded_at(at)
        for k, ev in enumerate(a.events):
            position += 1
            version, effective, event_id = a.expected_version + 1 + k, ev.effective or "", str(ids[i])
            payload = payload_json(ev.payload)
            text = record_json(position, a.stream_id, version, event_id, ev.type, ev.schema_version, payload,
                               effective, stamp)
            link = link_json(prev_hash, text)
            leaves.append(leaf_hash(text.encode("utf-8")))
            recorded.append(RecordedEvent(position, a.stream_id, version, ids[i], ev.type, ev.schema_version,
                                          ev.payload, effective, at, a.actor, a.causation_id, a.correlation_id,
                                          prev_hash, link))
            payloads.append(payload)
            texts.append(text)
            stamps.append(stamp)
            event_ids.append(event_id)
            prev_hash = link
            i += 1
    hashes, front = _grown(head, leaves)
    return Linked(appends, recorded, hashes, payloads, texts, stamps, event_ids), front


def _refusal(appends, ids):
    """Why the write did not happen: an idempotent retry (returns the stored events), a refusal, or None
    when the only reason was a head that moved on."""
    existing = read_events(ids)
    if existing:
        streams = {ev: a.stream_id for a in appends for ev in (_uuid(e.event_id) for e in a.events)}
        if len(existing) == len(ids) and all(rec.stream_id == streams[rec.event_id] for rec in existing):
            return existing
        raise DuplicateEvents(f"{len(existing)} of {len(ids)} event ids are already stored.")
    for a in first_per_stream(appends):
        actual = current_version(a.stream_id)
        if actual != a.expected_version:
            raise ConcurrencyConflict(a.stream_id, a.expected_version, actual)
    return None


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


def head() -> Head:
    """The head of the log as the counter row holds it (genesis on an empty store)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT position, head_hash, recorded_at FROM pacta_event_position WHERE id = 1")
        row = cursor.fetchone()
        if row is None:  # a flushed database: the counter row comes back with the next append
            row = _last_stored(cursor)
    return Head(row[0], row[1], _as_datetime(row[2]) if row[2] is not None else None)
