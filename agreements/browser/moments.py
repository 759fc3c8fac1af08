"""The moment a page is shown at: a valid date (`as_of`) and a record time (`known_at`), both optional.

Without them a page shows today's state as the registry knows it now. The date comes from the path
(`@2015-01-01`); the date control is a plain GET form whose `as_of` field is redirected to that path,
so the address in the location bar is always the permanent, shareable one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from agreements.queries.time import TimePoint


class BadMoment(ValueError):
    """A date or a record time the reader typed that cannot be read; the message says what to enter."""


def parse_as_of(text: str) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadMoment(f"'{text}' is not a date: enter it as YYYY-MM-DD, for example 2015-01-01.") from None


def parse_known_at(text: str) -> dt.datetime | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace(" ", "+"))
    except ValueError:
        raise BadMoment(
            f"'{text}' is not a record time: enter it as an ISO 8601 timestamp, for example 2024-06-01T00:00:00+00:00."
        ) from None
    if timezone.is_naive(value):
        value = value.replace(tzinfo=dt.timezone.utc)
    return value


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
