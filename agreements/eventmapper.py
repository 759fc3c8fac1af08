"""The mapper at the event store's boundary: domain events in, domain events out.

The store (`registry.eventstore`) keeps rows of type, schema version and JSON payload and knows nothing
of agreements. Everything of the agreements that writes or reads events goes through here:
- `new_event(event)`: a domain event as the store appends it (type, payload, schema version, valid time);
- `domain_event(recorded)`: a stored event as a domain event, its payload upcast to the current schema
  (the upcasters live beside the events, in `domain/events.py`);
- `read_stream`, `read_events`, `corrections_of`: the store's reads, as (record, domain event) pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

from agreements.domain.events import DomainEvent, event_from_payload, upcast
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


def upcast_payload(recorded) -> tuple[int, dict]:
    """(schema version, payload) of a stored event, brought up to the current schema."""
    return upcast(recorded.type, recorded.schema_version, recorded.payload)


def domain_event(recorded) -> DomainEvent:
    return event_from_payload(recorded.type, upcast_payload(recorded)[1])


def stored(records) -> list[Stored]:
    return [Stored(rec, domain_event(rec)) for rec in records]


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
