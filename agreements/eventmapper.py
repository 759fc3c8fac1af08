"""The mapper at the event store's boundary: domain events in, domain events out.

The store (`registry.eventstore`) keeps rows of type, schema version and JSON payload and knows nothing
of agreements. Everything of the agreements that writes or reads events goes through here:
- `new_event(event)`: a domain event as the store appends it (type, payload, schema version, valid time);
- `domain_event(recorded)`: a stored event as a domain event, its payload upcast to the current schema
  (the upcasters live beside the events, in `domain/events.py`);
- `read_stream`, `read_events`, `corrections_of`: the store's reads, as (record, domain event) pairs.

One more step than the domain's upcasters: a `CitationAttached` of schema 1 may name its source by the
database id of the instance that wrote it (the admin did so until December 2026). Its payload is read with
the source's key instead, from the keys kept for such events (`sources.models.legacy`); an id with no kept
key stays as it is, and resolves to no source rather than to whatever has that id here.
"""

from __future__ import annotations

from dataclasses import dataclass

from agreements.domain.events import DomainEvent, event_from_payload, upcast
from agreements.domain.vocabulary import is_database_id
from registry.eventstore import store
from registry.eventstore.store import NewEvent, RecordedEvent


@dataclass(frozen=True)
class Stored:
    """A stored event's record (position, stream, version, record time, actor...) and its domain event."""

    record: RecordedEvent
    event: DomainEvent


def new_event(event: DomainEvent) -> NewEvent:
    return NewEvent(type=event.type, payload=event.payload(), schema_version=event.schema_version,
                    effective=event.valid_time() or "")


def names_source_by_id(recorded) -> bool:
    """A stored citation that names its source by a database id (see the module docstring)."""
    return (recorded.type == "CitationAttached" and recorded.schema_version == 1
            and is_database_id(str(recorded.payload.get("source", ""))))


def source_keys_of(records) -> dict[str, str]:
    """{event id: source key} for those of `records` that name their source by id: one query, or none."""
    from sources.models import legacy_source_keys

    return legacy_source_keys([rec.event_id for rec in records if names_source_by_id(rec)])


def upcast_payload(recorded, source_keys: dict[str, str] | None = None) -> tuple[int, dict]:
    """(schema version, payload) of a stored event, brought up to the current schema. `source_keys`: what
    `source_keys_of` gave for a batch the event belongs to (looked up alone otherwise)."""
    version, payload = upcast(recorded.type, recorded.schema_version, recorded.payload)
    if names_source_by_id(recorded):
        keys = source_keys if source_keys is not None else source_keys_of([recorded])
        payload = {**payload, "source": keys.get(str(recorded.event_id), payload["source"])}
    return version, payload


def domain_event(recorded, source_keys: dict[str, str] | None = None) -> DomainEvent:
    return event_from_payload(recorded.type, upcast_payload(recorded, source_keys)[1])


def stored(records) -> list[Stored]:
    records = list(records)
    keys = source_keys_of(records)
    return [Stored(rec, domain_event(rec, keys)) for rec in records]


def read_stream(stream_id: str) -> list[Stored]:
    return stored(store.read_stream(stream_id))


def read_events(event_ids) -> list[Stored]:
    return stored(store.read_events(event_ids))


def corrections_of(stream_id: str, event_id, before_position: int) -> list[dict]:
    """The corrections recorded for one event before a position, oldest first (upcast)."""
    corrections = store.read_stream_of_type(stream_id, "EventCorrected", before_position=before_position)
    return [
        ev.corrections for ev in (domain_event(rec) for rec in corrections) if str(ev.event_id) == str(event_id)
    ]
