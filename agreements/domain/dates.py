"""Valid-time dates as EDTF strings (Library of Congress Extended Date/Time Format).

Treaty dates are often partial or uncertain ("1992", "June 1996", "2000?"). We keep the EDTF string as the
fact and derive lower/upper day bounds for sorting and querying; an open end ("1996-06/..") has no bound.
"""

from __future__ import annotations

import datetime as dt
import functools
import calendar
import math
import re
from dataclasses import dataclass

import edtf

from .errors import shown


class InvalidDate(ValueError):
    pass


@dataclass(frozen=True)
class EdtfDate:
    text: str
    lower: dt.date | None
    upper: dt.date | None

    def __str__(self):
        return self.text


class OutOfRange(ValueError):
    """A valid EDTF date whose bound the registry's day columns cannot hold."""


def _to_date(struct):
    """A bound as a day; an open end is None. Years outside 1..9999 (EDTF allows BCE, year 0 and exponential
    years) cannot be held as a day, and clamping them would silently state another date: refuse them."""
    if struct is None or (isinstance(struct, float) and math.isinf(struct)):
        return None
    if not dt.MINYEAR <= struct.tm_year <= dt.MAXYEAR:
        raise OutOfRange(struct.tm_year)
    return dt.date(struct.tm_year, struct.tm_mon, struct.tm_mday)


def parse_date(text) -> EdtfDate:
    """Parse an EDTF string; raise InvalidDate with a message a person can act on."""
    if isinstance(text, (dt.date, dt.datetime)):
        text = text.isoformat()[:10]
    if not isinstance(text, str) or not text.strip():
        raise InvalidDate("Enter a date in EDTF, for example 1992, 1996-06, 2000? or 2010-08-16.")
    return _parse(text.strip())


_PLAIN = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def _plain(text: str) -> EdtfDate | None:
    """A plain year, month or day (`1992`, `1996-06`, `2010-08-16`: most dates) without the EDTF grammar,
    whose parse costs tens of milliseconds; anything else (or an impossible day) is left to the grammar."""
    match = _PLAIN.fullmatch(text)
    if match is None:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        if month is None:
            return EdtfDate(text, dt.date(year, 1, 1), dt.date(year, 12, 31))
        if day is None:
            return EdtfDate(text, dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]))
        return EdtfDate(text, dt.date(year, month, day), dt.date(year, month, day))
    except ValueError:
        return None


@functools.lru_cache(maxsize=4096)
def _parse(text: str) -> EdtfDate:
    """Parsing EDTF (pyparsing) costs milliseconds and every command replays its stream's dates: cache it
    (a pure function of the string; EdtfDate is immutable; refusals are not cached)."""
    plain = _plain(text)
    if plain is not None:
        return plain
    try:
        parsed = edtf.parse_edtf(text)
        lower = _to_date(parsed.lower_strict())
        upper = _to_date(parsed.upper_strict())
    except OutOfRange as exc:
        raise InvalidDate(
            f"'{shown(text)}' reaches the year {exc.args[0]}: the registry holds dates from the year 1 to 9999 "
            "(no BCE dates, no year 0)."
        ) from None
    except Exception as exc:  # the edtf package raises several types for bad input
        raise InvalidDate(
            f"'{shown(text)}' is not a valid EDTF date (examples: 1992, 1996-06, 2000?, 2010-08-16, 1996-06/..)."
        ) from exc
    return EdtfDate(text=text, lower=lower, upper=upper)


def lower_bound(text) -> dt.date | None:
    return parse_date(text).lower if text else None


def upper_bound(text) -> dt.date | None:
    return parse_date(text).upper if text else None

