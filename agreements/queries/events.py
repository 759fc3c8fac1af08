"""Events as stored: the global feed (for downstream copies) and one agreement's events, upcast on read."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt

from django.db.models import OuterRef, Value

from agreements.domain.identities import stream_id
from agreements.projections.models import AgreementRecord
from agreements.eventmapper import names_source_by_id, source_keys_of, upcast_payload
from registry.eventstore import chain, store, tree
from registry.eventstore.models import StoredEvent

from .per_row import exists_per_row
from .visibility import PUBLISHED, get_record, hidden_slugs, payload_slugs, redact_payload


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
    prev_hash: str = ""
    hash: str = ""
    # A stored citation that named its source by this instance's database id: the key it meant (outside
    # the hash chain, like prev_hash and hash), so that a copy reads it right (sources/models/legacy.py).
    legacy_source_key: str | None = None


@dataclasses.dataclass(frozen=True)
class HiddenEntry:
    """An event the caller may not see (an unpublished agreement's): only its place in the hash chain."""

    position: int
    prev_hash: str
    hash: str
    leaf_hash: str = ""  # its Merkle leaf hash (base64): the whole tree stays checkable without its content


def _entries(rows, include_unpublished: bool, as_stored: bool = False) -> list:
    """Feed entries, upcast (or, `as_stored`, exactly as stored, for the global feed whose hash chain covers
    the stored form); for the public, slugs of unpublished agreements in payloads become None. In the global
    feed an event the caller may not see, or whose payload had to be redacted (its hash could not be checked
    against a changed payload), is a HiddenEntry: its chain link only."""
    rows = list(rows)
    source_keys = source_keys_of(rows)
    rows = [(row, *((row.schema_version, row.payload) if as_stored else upcast_payload(row, source_keys)))
            for row in rows]
    visible = [(row, version, payload) for row, version, payload in rows if getattr(row, "visible", True)]
    hidden = hidden_slugs(set().union(*(payload_slugs(payload) for _, _, payload in visible)), include_unpublished)
    entries = []
    for row, version, payload in rows:
        shown = redact_payload(payload, hidden) if getattr(row, "visible", True) else None
        if shown is None or (as_stored and shown != payload):
            entries.append(HiddenEntry(row.position, row.prev_hash, row.hash, leaf_hash(row)))
            continue
        entries.append(FeedEntry(row.position, row.stream_id, row.stream_version, str(row.event_id), row.type,
                                 version, shown, row.effective, row.recorded_at, row.prev_hash, row.hash,
                                 source_keys.get(str(row.event_id)) if names_source_by_id(row) else None))
    return entries


def leaf_hash(row) -> str:
    """The Merkle leaf hash of a stored event row, base64 (what a placeholder in the feed carries, and what
    the log's proofs name): the feed's placeholders and the proofs agree by using this one function."""
    return base64.b64encode(tree.leaf_of(row)).decode("ascii")


def events_of(slug: str, include_unpublished: bool = False):
    """The stored events of one agreement in stream order (raw rows)."""
    record = get_record(slug, include_unpublished)
    return StoredEvent.objects.filter(stream_id=record.stream_id).order_by("stream_version")


# The events of published agreements (recent changes, Atom), read along the position index in batches.
#
# Filtering the event log by "its agreement is published" with a join makes PostgreSQL gather every
# published event and sort them (the cost grows with the corpus). Here the log is walked in position order
# (or newest first) a batch at a time, and each batch keeps the events whose streams are published (one
# lookup by the batch's stream ids): two index reads per batch, and one batch is enough unless long runs of
# unpublished drafts lie in between.


def _published_streams(stream_ids) -> set[str]:
    return set(AgreementRecord.objects.filter(stream_id__in=set(stream_ids), publication=PUBLISHED)
               .values_list("stream_id", flat=True))


def published_events(after: int = 0, limit: int = 100, *, newest_first: bool = False, before: int | None = None,
                     batch: int | None = None):
    """Up to `limit` stored events of published agreements: in position order after `after`, or with
    `newest_first` the latest ones (before `before` when given)."""
    batch = batch or max(2 * limit, 200)
    found: list[StoredEvent] = []
    bound = before if newest_first else after
    while len(found) < limit:
        rows = StoredEvent.objects.order_by("-position" if newest_first else "position")
        if bound is not None:
            rows = rows.filter(**{"position__lt" if newest_first else "position__gt": bound})
        rows = list(rows[:batch])
        visible = _published_streams(row.stream_id for row in rows)
        found.extend(row for row in rows if row.stream_id in visible)
        if len(rows) < batch:
            break
        bound = rows[-1].position
    return found[:limit]


def event_feed(after: int = 0, limit: int = 100, include_unpublished: bool = False) -> list:
    """The global feed in position order; positions are gap-free in commit order, so paging never skips.

    Entries are the events as stored (not upcast: the hash chain covers the stored form, so anyone can
    recompute it); an event the caller may not see, or whose payload names an agreement the caller may not
    see, is a HiddenEntry holding only its chain link."""
    qs = StoredEvent.objects.filter(position__gt=after).order_by("position")
    if include_unpublished:
        qs = qs.annotate(visible=Value(True))
    else:
        published = AgreementRecord.objects.filter(publication=PUBLISHED, stream_id=OuterRef("stream_id"))
        qs = qs.annotate(visible=exists_per_row(published))  # one lookup per event of the page
    entries = _entries(qs[:limit], include_unpublished, as_stored=True)
    held = store.placeholders(after, limit)  # a copy's positions hidden from it (registry/eventstore/store.py)
    if not held:
        return entries
    shown = [HiddenEntry(p.position, p.prev_hash, p.hash, base64.b64encode(p.leaf_hash).decode("ascii"))
             for p in held]
    return sorted(entries + shown, key=lambda entry: entry.position)[:limit]


def record_time_text(value: dt.datetime) -> str:
    """Record time as the feed shows it and the hash chain covers it: UTC, microseconds, `Z`."""
    return chain.format_recorded_at(value)


def log_head():
    """The head of the event log (position, hash): what a reader writes down to check the log later."""
    return store.head()


def agreement_events(slug: str, after: int = 0, limit: int = 100, include_unpublished: bool = False):
    rows = events_of(slug, include_unpublished).filter(stream_version__gt=after)[:limit]
    return _entries(rows, include_unpublished)


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
