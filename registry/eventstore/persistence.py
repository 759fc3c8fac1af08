"""How an append reaches the database: one writer per database behind one interface, chosen once.

Why: the store's rules (gap-free positions, the hash chain, the Merkle tree, conflicts and idempotency) are
the same on every database, but the fastest correct way to write them is not. PostgreSQL takes the whole
append as one statement that checks the head itself (postgres.py), so a connection can link its events to
the head it last left and write them outside any transaction; SQLite has a single writer whose transactions
begin IMMEDIATE, so it checks and writes statement by statement (sqlite.py). store.py decides WHAT to write
(the linked events, their rows and tree hashes: records.Linked) and asks `writer(connection)` to write it;
the writer is picked by the connection's database backend at its first use, here only (by way of
registry.database, the one place that reads the vendor), as the `eventsourcing` library keeps its recorder
interface in persistence.py and one module per database beside it.

`Writer` below is the interface and its portable implementation: plain statements any SQL database runs,
under the counter row's lock that the caller's transaction holds. SQLite's writer is exactly that;
PostgreSQL's replaces `write` with its one statement and keeps `write_checked` for copied events.

`LastHead` is the small cache of the head each connection's last append left (the position, hash, record
time and tree frontier): PostgreSQL's writer links the next append to it without reading. It is kept per
database connection object (one per thread), never as an attribute on Django's connection.
"""

from __future__ import annotations

import weakref
from importlib import import_module
from typing import Sequence

from django.db import IntegrityError, connections

from registry.database import backend

from . import merkle, tree
from .models import StoredEvent
from .records import COLUMNS, STORED_COLUMNS, ConcurrencyConflict, Head, Linked, Placeholder, StreamAppend

# Each database backend (registry.database) and the module of this package that writes the store on it.
WRITERS = {"postgresql": "postgres", "sqlite": "sqlite"}

_chosen: dict[str, "Writer"] = {}  # database alias -> its writer, chosen at the alias's first append
_FIELDS = {name: StoredEvent._meta.get_field(name) for name in COLUMNS}


def writer(connection) -> "Writer":
    """The store's writer for `connection`, chosen by its database backend at the first call for its alias."""
    try:
        return _chosen[connection.alias]
    except KeyError:
        pass
    module = import_module(f"{__package__}.{WRITERS[backend(connection).name]}")
    chosen = _chosen[connection.alias] = module.WRITER
    return chosen


class LastHead:
    """The head each database connection's last append left, while it is still believed current.

    Keyed by Django's connection object of the thread (not the `django.db.connection` proxy), and held
    weakly: a connection that goes away takes its head with it. A stale head costs one refused statement
    (the write checks the head), never a wrong write."""

    def __init__(self):
        self._heads: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    @staticmethod
    def _key(connection):
        return connections[connection.alias]

    def get(self, connection) -> Head | None:
        return self._heads.get(self._key(connection))

    def remember(self, connection, head: Head) -> None:
        self._heads[self._key(connection)] = head

    def forget(self, connection) -> None:
        self._heads.pop(self._key(connection), None)


last_head = LastHead()


def current_version(connection, stream_id: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(stream_version), 0) FROM pacta_event WHERE stream_id = %s", [stream_id])
        return cursor.fetchone()[0]


def first_per_stream(appends: Sequence[StreamAppend]) -> list[StreamAppend]:
    """The entries whose expected version the stored stream must match (each stream's first)."""
    seen, firsts = set(), []
    for a in appends:
        if a.stream_id not in seen:
            seen.add(a.stream_id)
            firsts.append(a)
    return firsts


class Writer:
    """Writes a linked append after `head`, or nothing (returning False) when the log or a stream moved on."""

    # Whether the writer's `write` checks the head itself in one statement, so that the store may link an
    # append to this connection's last head (LastHead) and write it outside any transaction.
    remembers_head = False
    # The append-only triggers on the events table (triggers.py installs and removes them).
    install_triggers: Sequence[str] = ()
    remove_triggers: Sequence[str] = ()

    def prepare(self, linked: Linked) -> None:
        """Before the write, in whatever thread links (a bulk load links a batch while another is written):
        make ready what the write will send (`linked.ready`), so that the writing thread only sends it."""

    def prepare_copied(self, recorded, payloads, stamps, event_ids) -> dict:
        """Before a copy's write, in whatever thread checks it (store.copy_ahead): what `write_checked` will send
        for copied events, given each one's canonical payload, record time and event id as the chain hashed them
        (Linked.ready). Nothing here: the portable writer sends the events' values."""
        return {}

    def write(self, connection, linked: Linked, head: Head) -> bool:
        """Inside the append's transaction, which holds the counter row's lock or read `head` under it."""
        return self.write_checked(connection, linked, head)

    def write_checked(self, connection, linked: Linked, head: Head, placeholders: Sequence[Placeholder] = (),
                      versions: bool = True) -> bool:
        """Check, move the counter, insert the events and the tree's new hashes, statement by statement: no
        id stored yet, every stream at its expected version (unless `versions` is off: a copy holding
        placeholders, whose streams' earlier versions may be hidden from it), the counter still at `head`.
        `placeholders`: positions among the new ones held by their leaf hashes only (store.copy_events)."""
        appends, recorded = linked.appends, linked.recorded
        ids = [self._prep("event_id", r.event_id, connection) for r in recorded]
        last = max([*recorded[-1:], *placeholders[-1:]], key=lambda entry: entry.position)
        at = recorded[-1].recorded_at if recorded else head.recorded_at
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                cursor.execute(f"SELECT 1 FROM pacta_event WHERE event_id IN ({', '.join(['%s'] * len(chunk))}) "
                               "LIMIT 1", chunk)
                if cursor.fetchone():
                    return False
            for a in first_per_stream(appends) if versions else ():
                if current_version(connection, a.stream_id) != a.expected_version:
                    return False
            cursor.execute(
                "UPDATE pacta_event_position SET position = %s, recorded_at = %s, head_hash = %s "
                "WHERE id = 1 AND position = %s AND head_hash = %s",
                [last.position, self._prep("recorded_at", at, connection), last.hash, head.position, head.hash],
            )
            if cursor.rowcount != 1:
                return False
        self.insert_events(connection, recorded, ids, appends[0] if appends else None, ready=linked.ready)
        insert_placeholders(connection, placeholders)
        tree.write(merkle.stored_count(head.position), linked.hashes)
        return True

    @staticmethod
    def _prep(name, value, connection):
        return _FIELDS[name].get_db_prep_save(value, connection)

    def insert_events(self, connection, recorded: Sequence, ids=None, append: StreamAppend | None = None,
                      ready=None) -> None:
        """INSERT the rows of `recorded` as they are (positions, links, record times given); a clash of stream
        versions or event ids is a ConcurrencyConflict (on `append`'s stream, or the first event's). `ready`: what
        `prepare_copied` made of them."""
        if ids is None:
            ids = [self._prep("event_id", r.event_id, connection) for r in recorded]
        row_sql = "(" + ", ".join(["%s"] * len(STORED_COLUMNS)) + ")"
        with connection.cursor() as cursor:
            for start in range(0, len(recorded), 1000):
                chunk = recorded[start:start + 1000]
                params = []
                for i, r in enumerate(chunk):
                    params += [r.position, r.stream_id, r.stream_version, ids[start + i], r.type, r.schema_version,
                               self._prep("payload", r.payload, connection), r.effective,
                               self._prep("recorded_at", r.recorded_at, connection), r.actor, r.causation_id,
                               r.correlation_id, r.prev_hash, r.hash]
                try:
                    cursor.execute(f"INSERT INTO pacta_event ({', '.join(STORED_COLUMNS)}) "
                                   f"VALUES {', '.join([row_sql] * len(chunk))}", params)
                except IntegrityError as exc:
                    stream, version = ((append.stream_id, append.expected_version) if append is not None
                                       else (chunk[0].stream_id, chunk[0].stream_version - 1))
                    raise ConcurrencyConflict(stream, version, None) from exc


def insert_placeholders(connection, placeholders: Sequence[Placeholder]) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(placeholders), 1000):
            chunk = placeholders[start:start + 1000]
            params = []
            for p in chunk:
                params += [p.position, p.prev_hash, p.hash, p.leaf_hash]
            cursor.execute("INSERT INTO pacta_event_placeholder (position, prev_hash, hash, leaf_hash) VALUES "
                           + ", ".join(["(%s, %s, %s, %s)"] * len(chunk)), params)
