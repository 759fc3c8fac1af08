"""Events as stored: the global feed (for downstream copies) and one agreement's events, upcast on read."""

from __future__ import annotations

import dataclasses
import datetime as dt

from agreements.domain.aggregate import stream_id
from agreements.projections.models import AgreementRecord
from registry.eventstore import upcasting
from registry.eventstore.models import StoredEvent

from .visibility import PUBLISHED, get_record


@dataclasses.dataclass(frozen=True)
class FeedEntry:
    position: int
    stream_id: str
    stream_version: int
    event_id: str
    type: str
    schema_version: int
    payload: dict
    effective: str
    recorded_at: dt.datetime


def _entries(rows) -> list[FeedEntry]:
    entries = []
    for row in rows:
        version, payload = upcasting.upcast(row.type, row.schema_version, row.payload)
        entries.append(
            FeedEntry(row.position, row.stream_id, row.stream_version, str(row.event_id), row.type, version, payload,
                      row.effective, row.recorded_at)
        )
    return entries


def events_of(slug: str, include_unpublished: bool = False):
    """The stored events of one agreement in stream order (raw rows)."""
    record = get_record(slug, include_unpublished)
    return StoredEvent.objects.filter(stream_id=record.stream_id).order_by("stream_version")


def event_feed(after: int = 0, limit: int = 100, include_unpublished: bool = False) -> list[FeedEntry]:
    """The global feed in position order; positions are gap-free in commit order, so paging never skips."""
    qs = StoredEvent.objects.filter(position__gt=after).order_by("position")
    if not include_unpublished:
        qs = qs.filter(stream_id__in=AgreementRecord.objects.filter(publication=PUBLISHED).values("stream_id"))
    return _entries(qs[:limit])


def agreement_events(slug: str, after: int = 0, limit: int = 100, include_unpublished: bool = False):
    rows = events_of(slug, include_unpublished).filter(stream_version__gt=after)[:limit]
    return _entries(rows)


def latest_events(stream_ids, limit: int, before: int | None = None) -> list:
    """The latest events of these streams (before a position, if given), newest first (raw rows)."""
    qs = StoredEvent.objects.filter(stream_id__in=stream_ids)
    if before is not None:
        qs = qs.filter(position__lt=before)
    return list(qs.order_by("-position")[:limit])


def version_at(stream: str, known_at: dt.datetime) -> int | None:
    """The stream's version as recorded by `known_at`."""
    return (
        StoredEvent.objects.filter(stream_id=stream, recorded_at__lte=known_at)
        .order_by("-stream_version").values_list("stream_version", flat=True).first()
    )


def current_version(slug: str) -> int:
    """The agreement's stream version in the store (0: no such stream), whether or not it is projected."""
    return (
        StoredEvent.objects.filter(stream_id=stream_id(slug))
        .order_by("-stream_version")
        .values_list("stream_version", flat=True)
        .first()
        or 0
    )
