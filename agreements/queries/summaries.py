"""Counts over the whole published corpus (by kind, by decade, by party), computed once and shared.

Grouping every published agreement costs time in proportion to the corpus, so no page does it per request:
the summary is cached with the event feed position it reflects, and computed again only when the registry
has changed since and the cached one is older than PACTA_SUMMARY_MAX_AGE seconds (60). A page that shows
it reads one index lookup (the head of the feed) and the cache. `shared` does the same for other counts
over a growing set (a party's partners).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.db.models.functions import ExtractYear

from sources.models import Party
from agreements.projections.models import AgreementParty
from registry.eventstore.models import StoredEvent

from .visibility import PUBLISHED, published_records

CACHE_KEY = "pacta:corpus-summary:2"  # :2: cached as (computed at, position, summary)
TOP_PARTIES = 20
T = TypeVar("T")


@dataclass(frozen=True)
class Summary:
    position: int  # the feed position the counts reflect
    total: int
    by_kind: list[tuple[str, int]]
    by_decade: list[tuple[int | None, int]]  # (first year of the decade, or None: undated; count), oldest first
    parties: list[tuple[Party, int]]  # every party to a published agreement, with how many, by name

    @property
    def top_parties(self) -> list[tuple[Party, int]]:
        """The parties to most published agreements, most first."""
        return sorted(self.parties, key=lambda item: (-item[1], item[0].code))[:TOP_PARTIES]


def feed_head() -> int:
    return StoredEvent.objects.aggregate(head=Max("position"))["head"] or 0


def _compute(position: int) -> Summary:
    records = published_records().order_by()
    by_kind = sorted(records.values_list("kind").annotate(n=Count("pk")))
    years = records.annotate(year=ExtractYear("earliest_date")).values_list("year").annotate(n=Count("pk"))
    decades: dict[int | None, int] = {}
    for year, n in years:
        decade = None if year is None else year - year % 10
        decades[decade] = decades.get(decade, 0) + n
    by_decade = sorted(decades.items(), key=lambda item: (item[0] is None, item[0] or 0))
    counts = dict(AgreementParty.objects.filter(known_to__isnull=True, agreement__publication=PUBLISHED)
                  .values_list("party_code").annotate(n=Count("agreement", distinct=True)).order_by())
    found = {p.code: p for p in Party.objects.filter(code__in=list(counts))}
    parties = sorted(((found.get(code) or Party(code=code, name=code), n) for code, n in counts.items()),
                     key=lambda item: (item[0].name, item[0].code))
    return Summary(position, sum(n for _, n in by_kind), by_kind, by_decade, parties)


def corpus_summary() -> Summary:
    return shared(CACHE_KEY, _compute)


def shared(key: str, compute: Callable[[int], T], timeout: float | None = None) -> T:
    """`compute(head)` (head: the feed position it reflects), from the cache while the registry has not
    changed since, or changed less than PACTA_SUMMARY_MAX_AGE seconds ago; `timeout`: forget it after that
    many seconds (None: never)."""
    head = feed_head()
    cached = cache.get(key)
    max_age = float(getattr(settings, "PACTA_SUMMARY_MAX_AGE", 60))
    if cached is not None:
        computed_at, position, value = cached
        if position == head or time.time() - computed_at < max_age:
            return value
    value = compute(head)
    cache.set(key, (time.time(), head, value), timeout)
    return value
