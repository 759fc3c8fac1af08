"""The events of published agreements, read along the position index in batches: a bounded read per page.

Filtering the event log by "its agreement is published" with a join makes PostgreSQL gather every
published event and sort them (the cost grows with the corpus). Here the log is walked in position order
(or newest first) a batch at a time, and each batch keeps the events whose streams are published (one
lookup by the batch's stream ids): two index reads per batch, and one batch is enough unless long runs of
unpublished drafts lie in between.
"""

from __future__ import annotations

from registry.eventstore.models import StoredEvent

from .projections.models import AgreementRecord

PUBLISHED = "published"


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
