"""The moment a read is made at: a valid date (`as_of`) and a record time (`known_at`). Default: today, now.

One parser for every date and record time a reader types: the API's `as_of`, `known_at` and date
filters, the browser's `@date` addresses, its date control and its search dates.
- A date is EDTF, as the registry itself writes dates: `2015`, `2015-06`, `2015-06-01`, `2000?`,
  `2010/2012`. A span stands for its first or its last day, as the parameter's name implies: a lower end
  (`signed_from`, the search's `from`) takes the first day, every other date (`as_of`, `in_force_on`,
  `signed_to`, `to`) the last day, so `as_of=2015` is the registry as it stood at the end of 2015.
- A record time is an ISO 8601 timestamp (UTC when no offset is given).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from django.db.models import Q
from django.utils import timezone

from agreements.domain.dates import InvalidDate, parse_date
from agreements.domain.vocabulary import DATE_PARAMETER_RE, RECORD_TIME_RE

# "As of the end of time": the latest version of every clause, whatever its effective date.
END_OF_TIME = dt.date(9999, 12, 31)


@dataclass(frozen=True)
class TimePoint:
    as_of: dt.date
    known_at: dt.datetime

    @classmethod
    def of(cls, as_of: dt.date | None = None, known_at: dt.datetime | None = None) -> "TimePoint":
        return cls(as_of or timezone.localdate(), known_at or timezone.now())

    def known(self, prefix: str = "") -> Q:
        """Rows asserted by `known_at` and not withdrawn by then."""
        return Q(**{f"{prefix}known_from__lte": self.known_at}) & (
            Q(**{f"{prefix}known_to__isnull": True}) | Q(**{f"{prefix}known_to__gt": self.known_at})
        )


def bounds(text: str | None) -> tuple[dt.date | None, dt.date | None]:
    """The lower and upper day bounds of an EDTF string (None, None when empty or unreadable): the domain's
    bounds (domain.dates), forgiving of what it cannot read, for reads of stored strings."""
    if not text:
        return None, None
    try:
        parsed = parse_date(text)
    except InvalidDate:
        return None, None
    return parsed.lower, parsed.upper


class BadTime(ValueError):
    """A date or a record time that cannot be read; the message says what to enter."""


FIRST, LAST = "first", "last"
DATE_HELP = "an EDTF date: 2015, 2015-06 or 2015-06-01 (a year or a month stands for its {} day)"


def parse_day(text: str | None, day: Literal["first", "last"] = LAST) -> dt.date | None:
    """The day an EDTF date stands for (None when empty): its `first` or its `last` day."""
    text = (text or "").strip()
    if not text:
        return None
    if len(text) > 100:
        raise BadTime("A date is at most 100 characters.")
    try:
        parsed = parse_date(text)
    except InvalidDate:
        raise BadTime(f"'{text}' is not a date: enter {DATE_HELP.format(day)}.") from None
    chosen = parsed.lower if day == FIRST else parsed.upper
    if chosen is None:
        raise BadTime(f"'{text}' has no {day} day: enter {DATE_HELP.format(day)}.")
    return chosen


def parse_date_parameter(text: str | None, day: Literal["first", "last"] = LAST) -> dt.date | None:
    """A date query parameter of the API (as_of, in_force_on, signed_from, signed_to): exactly the grammar its
    schema declares (vocabulary.DATE_PARAMETER_RE: a year, year-month or day, optionally ?, ~ or %), read as
    parse_day reads it. Anything else, EDTF or not, surrounding spaces included, is refused, so that schema and
    server agree."""
    text = text or ""
    if text and not DATE_PARAMETER_RE.match(text):
        raise BadTime(f"'{text[:64]}' is not a date: enter {DATE_HELP.format(day)}, optionally followed by ?, ~ "
                      "or %.")
    return parse_day(text, day)


def parse_record_time(text: str | None) -> dt.datetime | None:
    """A record time (None when empty): a day, optionally with a time and an offset (vocabulary.RECORD_TIME_RE,
    the grammar the API schema declares); without an offset it is UTC. A moment that falls outside the years
    1 to 9999 once moved to UTC is the first or last moment the registry can hold (nothing is recorded there)."""
    text = (text or "").strip()
    if not text:
        return None
    if not RECORD_TIME_RE.match(text):
        raise BadTime(
            f"'{text[:64]}' is not a record time: enter an ISO 8601 timestamp such as 2024-06-01T00:00:00Z (a day, "
            "optionally a time and an offset)."
        )
    value = dt.datetime.fromisoformat(text.replace(" ", "+"))
    if timezone.is_naive(value):
        return value.replace(tzinfo=dt.timezone.utc)
    try:  # the database holds UTC offsets of at most 15:59; any offset Python reads is moved to UTC here
        return value.astimezone(dt.timezone.utc)
    except OverflowError:
        edge = dt.datetime.min if value.year == dt.MINYEAR else dt.datetime.max
        return edge.replace(tzinfo=dt.timezone.utc)
