"""Lifecycle facts: signature, ratification, accession, entry into force... of an agreement or one party."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from agreements.projections.models import LifecycleFact

from .batching import chunks
from .time import TimePoint


@dataclass
class LifecycleEntry:
    action: str
    date: str
    party: str | None
    event_id: str


# The columns an agreement's reads use: rows come back as plain tuples in this order, each column named by the
# index below, not model instances nor named tuples (a multilateral agreement has a thousand of them, and building
# either cost more than reading them).
FACT_FIELDS = ("id", "event_id", "action", "party_code", "date", "date_lower", "effective", "predecessor", "territory",
               "notification")
ID, EVENT_ID, ACTION, PARTY, DATE, LOWER, EFFECTIVE, PREDECESSOR, TERRITORY, NOTIFICATION = range(len(FACT_FIELDS))


def lifecycle_at(record, at: TimePoint) -> tuple[list[LifecycleEntry], list]:
    """The facts known at `at.known_at`, and the same rows with every column the participation rules read."""
    rows = lifecycle_rows_at(record, at)
    return lifecycle_entries(rows), rows


def lifecycle_rows_at(record, at: TimePoint) -> list[tuple]:
    """The rows of the facts known at `at.known_at` (FACT_FIELDS), by date (one query)."""
    return list(LifecycleFact.objects.filter(agreement=record).filter(at.known()).order_by("date_lower", "action")
                .values_list(*FACT_FIELDS))


def lifecycle_entries(rows) -> list[LifecycleEntry]:
    return [LifecycleEntry(r[ACTION], r[DATE], r[PARTY], str(r[EVENT_ID])) for r in rows]


@dataclass(frozen=True)
class LifecycleRow:
    event_id: str
    slug: str
    agreement_id: int
    action: str
    party: str | None
    date: str
    lower: dt.date | None
    upper: dt.date | None


def lifecycle_of(slugs) -> dict[str, list[LifecycleRow]]:
    """The current lifecycle facts of these agreements, by slug, in date order (a batch read)."""
    facts = defaultdict(list)
    for chunk in chunks(set(slugs)):
        for r in (
            LifecycleFact.objects.filter(agreement__slug__in=chunk, known_to__isnull=True)
            .values_list("event_id", "agreement__slug", "agreement_id", "action", "party_code", "date",
                         "date_lower", "date_upper")
            .order_by("date_lower", "id")
        ):
            facts[r[1]].append(LifecycleRow(str(r[0]), *r[1:]))
    return facts
