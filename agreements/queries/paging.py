"""Keyset pages of published agreements in chronological order: a page is one range of an index.

A page starts after a key (earliest date, slug), never at an offset, so page 1,000 costs what page 1 costs
and an agreement added meanwhile neither repeats nor skips a row. Agreements without a date come after
every dated one, by slug. The key travels in links as `after=<date>~<slug>` (`~<slug>` when undated).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class Chronological:
    earliest_date: dt.date | None
    slug: str

    def token(self) -> str:
        return f"{self.earliest_date.isoformat() if self.earliest_date else ''}~{self.slug}"

    @classmethod
    def parse(cls, token: str) -> "Chronological":
        """The key a link carried; ValueError for anything else."""
        date_text, sep, slug = (token or "").partition("~")
        if not sep or not slug:
            raise ValueError("not a page key")
        return cls(dt.date.fromisoformat(date_text) if date_text else None, slug)

    @classmethod
    def of(cls, record) -> "Chronological":
        return cls(record.earliest_date, record.slug)


def _after(key: Chronological) -> Q:
    if key.earliest_date is None:
        return Q(earliest_date__isnull=True, slug__gt=key.slug)
    return Q(earliest_date__gt=key.earliest_date) | Q(earliest_date=key.earliest_date, slug__gt=key.slug)


def chronological_page(records, after: Chronological | None, limit: int):
    """(up to `limit` records of `records` after `after`, the key the next page starts after, or None).

    Dated records are read first (one index range), then the undated ones, so both orders hold on any
    database (PostgreSQL and SQLite sort NULL dates differently)."""
    page = []
    if after is None or after.earliest_date is not None:
        dated = records.filter(earliest_date__isnull=False)
        if after is not None:
            dated = dated.filter(_after(after))
        page = list(dated.order_by("earliest_date", "slug")[: limit + 1])
    if len(page) <= limit:
        undated = records.filter(earliest_date__isnull=True)
        if after is not None and after.earliest_date is None:
            undated = undated.filter(slug__gt=after.slug)
        page += list(undated.order_by("slug")[: limit + 1 - len(page)])
    more = len(page) > limit
    page = page[:limit]
    return page, (Chronological.of(page[-1]) if more and page else None)
