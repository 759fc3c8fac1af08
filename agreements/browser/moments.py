"""The moment a page is shown at: a valid date (`as_of`) and a record time (`known_at`), both optional.

Without them a page shows today's state as the registry knows it now. The date comes from the path
(`@2015-01-01`; `@2015`, `@2015-06`: the last day of that year or month); the date control is a plain GET
form whose `as_of` field is redirected to that path, so the address in the location bar is always the
permanent, shareable one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from agreements.queries.time import LAST, BadTime, TimePoint, parse_day, parse_record_time

# One parser for every date a reader types (agreements.queries.time): EDTF dates, ISO 8601 record times.
BadMoment = BadTime


def parse_as_of(text: str, day: str = LAST) -> dt.date | None:
    """A date typed or addressed (`2015`, `2015-06`, `2015-06-01`): the last day it stands for, unless
    `day` is FIRST (the lower end of a range)."""
    return parse_day(text, day)


def parse_known_at(text: str) -> dt.datetime | None:
    return parse_record_time(text)


@dataclass(frozen=True)
class Moment:
    as_of: dt.date | None = None
    known_at: dt.datetime | None = None

    @classmethod
    def from_request(cls, request, as_of: dt.date | None = None) -> "Moment":
        return cls(as_of=as_of, known_at=parse_known_at(request.GET.get("known_at", "")))

    @property
    def point(self) -> TimePoint:
        return TimePoint.of(as_of=self.as_of, known_at=self.known_at)

    @property
    def date(self) -> dt.date:
        return self.as_of or timezone.localdate()

    @property
    def is_today(self) -> bool:
        return self.as_of is None
