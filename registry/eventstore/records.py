"""What an append takes and gives back, and why it may refuse: the store's vocabulary, apart from how it writes.

The store (store.py) and each database's writer (persistence.py, postgres.py, sqlite.py) speak these types;
callers import them from the store, which names them again.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Sequence


class ConcurrencyConflict(Exception):
    """The stream is not at the version the writer expected: someone else appended first."""

    def __init__(self, stream_id: str, expected: int, actual: int | None):
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual
        super().__init__(f"Stream {stream_id!r} is at version {actual}, not the expected {expected}.")


class DuplicateEvents(Exception):
    """Some of the event ids are stored already (or in another stream): an append cannot be half-repeated."""


class NotTheHead(Exception):
    """Copied events do not continue this store's log (another history, or a gap)."""


class NotThePlaceholder(NotTheHead):
    """Content offered for a position this copy holds as a placeholder that is not the event the placeholder
    commits to (another leaf hash or chain link), or for a position it does not hold as one."""


@dataclass(frozen=True)
class Placeholder:
    """A position of a followed log hidden from this copy: its chain links and its Merkle leaf hash (32 bytes),
    never its content (store.py: how a copy holds it)."""

    position: int
    prev_hash: str
    hash: str
    leaf_hash: bytes


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


@dataclass(frozen=True)
class Linked:
    """An append made ready to write after a head (store._linked): the events as they will be stored, the
    Merkle tree's new hashes, stored from merkle.stored_count(head.position) on, and, where the events were
    linked here (empty where they come ready-made, as copied ones do), each event's hashed record as the
    canonical JSON text the chain hashed (`texts`), its payload's part of it (`payloads`), its record time as
    the chain wrote it (`stamps`) and its event id as text (`event_ids`): a writer sends these very strings
    rather than serialising again. `rows()`: each event's stored row as JSON text, its hashed record plus the
    columns outside the chain (what PostgreSQL's one-statement append sends), built only when asked for."""

    appends: Sequence[StreamAppend]
    recorded: list[RecordedEvent]
    hashes: list[bytes]
    payloads: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    stamps: list[str] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)
    # What the writer made of it ahead of the write (Writer.prepare: PostgreSQL's COPY text), by name.
    ready: dict = field(default_factory=dict)

    def rows(self) -> list[str]:
        from .chain import _STRING as string

        rows, i = [], 0
        for a in self.appends:
            extra = (f',"actor":{string(a.actor)},"causation_id":{string(a.causation_id)},'
                     f'"correlation_id":{string(a.correlation_id)}')
            for _ in a.events:
                r = self.recorded[i]
                rows.append(f'{self.texts[i][:-1]}{extra},"prev_hash":"{r.prev_hash}","hash":"{r.hash}"}}')
                i += 1
        return rows


@dataclass(frozen=True)
class Copied:
    """Entries copied from another log, checked before their write (store.copy_ahead: each follows the one before
    it from `head` on, each event's hash is its record's link): the events (`recorded`) and the positions held
    as placeholders (`hidden`), all in position order (`entries`), the Merkle tree's new hashes stored from
    merkle.stored_count(head.position) on, the head they would leave (`after`, with the tree's frontier), and what
    the writer made of them ahead of the write (Writer.prepare_copied, as Linked.ready)."""

    entries: list
    recorded: list[RecordedEvent]
    hidden: list
    hashes: list[bytes]
    head: Head
    after: Head
    ready: dict = field(default_factory=dict)
