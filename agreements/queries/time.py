"""The moment a read is made at: a valid date (`as_of`) and a record time (`known_at`). Default: today, now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from agreements.domain.dates import InvalidDate, parse_date

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
    """The lower and upper day bounds of an EDTF string (None, None when empty or unreadable)."""
    if not text:
        return None, None
    try:
        parsed = parse_date(text)
    except InvalidDate:
        return None, None
    return parsed.lower, parsed.upper
