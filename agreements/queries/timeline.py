"""The published agreements on a time axis: when each one began, its time in force, its status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from agreements.projections.models import AgreementRecord, LifecycleFact

from .status import with_status
from .time import bounds
from .paging import Chronological, chronological_page
from .visibility import published_records


@dataclass
class TimelineEntry:
    record: AgreementRecord
    date_text: str  # the EDTF the mark stands for ("2010", "1996-06", "2001-03-01")
    lower: dt.date | None
    upper: dt.date | None
    in_force_from: dt.date | None
    ended_on: dt.date | None
    status: str

    @property
    def precise(self) -> bool:
        return self.lower is not None and self.lower == self.upper


@dataclass
class TimelinePage:
    entries: list[TimelineEntry]
    next_after: Chronological | None  # where the next page starts (None: this is the last)


def timeline_page(decade: int | None = None, kind: str | None = None, after: Chronological | None = None,
                  limit: int = 100, today: dt.date | None = None, undated: bool = False) -> TimelinePage:
    """One page of the timeline, oldest first: the published agreements (of one decade of their earliest
    date, or `undated`, of one kind, when given) after `after`. Three queries, whatever the size of the corpus."""
    today = today or dt.date.today()
    records = with_status(published_records(), today)
    if undated:
        records = records.filter(earliest_date__isnull=True)
    elif decade is not None:
        records = records.filter(earliest_date__gte=dt.date(decade, 1, 1), earliest_date__lt=dt.date(decade + 10, 1, 1))
    if kind:
        records = records.filter(kind=kind)
    page, next_after = chronological_page(records, after, limit)
    return TimelinePage(timeline_entries(today, page), next_after)


def timeline_entries(today: dt.date | None = None, records=None) -> list[TimelineEntry]:
    """One entry per published agreement (or per one of `records`, annotated with their status): the span of
    its earliest dated fact (signature, accession or the date of the work), its time in force, and its status
    on `today`. Two queries."""
    today = today or dt.date.today()
    records = list(with_status(published_records(), today) if records is None else records)
    facts: dict[int, list[LifecycleFact]] = {}
    for fact in LifecycleFact.objects.filter(agreement__in=records, known_to__isnull=True).order_by("date_lower"):
        facts.setdefault(fact.agreement_id, []).append(fact)
    entries = []
    for record in records:
        own = facts.get(record.pk, [])
        dated = [f for f in own if f.date_lower is not None]
        first = dated[0] if dated else None
        candidates = []
        if first is not None:
            candidates.append((first.date_lower, first.date, first.date_lower, first.date_upper))
        if record.work_date:
            lower, upper = bounds(record.work_date)
            if lower is not None:
                candidates.append((lower, record.work_date, lower, upper))
        if candidates:
            _, text, lower, upper = min(candidates, key=lambda c: c[0])
        else:
            text, lower, upper = "", None, None
        entries.append(
            TimelineEntry(
                record=record, date_text=text, lower=lower, upper=upper or lower,
                in_force_from=record.in_force_lower, ended_on=record.terminated_lower, status=record.status,
            )
        )
    return entries
