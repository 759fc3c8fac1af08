"""Did a party exist on the agreement's date? One rule, applied when a party is added to an agreement.

A party's years of existence are the span its names over time cover (reference data: the Azerbaijan
Democratic Republic's names run 1918-05-28 to 1920-04-28, the Republic of Azerbaijan's from 1991). A party
whose names carry no dates, or an agreement without a date, is not checked: nothing is known to compare.

| the agreement's date (EDTF, its whole range) | the party's span | outcome |
|---|---|---|
| overlaps the span | any | added |
| wholly before the span starts or after it ends | known | refused, `party_did_not_exist`, naming the years |
| as above, with a `reason` from the archivist | known | added; the reason is kept in the event |

The range of a partial date counts as a whole ("1992" overlaps a state born in 1991, "1991" overlaps one
that ended in 1991), so only a date certainly outside the party's existence is refused.
"""

from __future__ import annotations

import datetime as dt

from .dates import parse_date
from .errors import RuleViolated

Span = tuple[dt.date | None, dt.date | None]  # first and last day known to exist; None: open


def existence_years(span: Span | None) -> str:
    """'1918–1920', '1991–', '–1922'; '' when nothing is known."""
    if span is None or span == (None, None):
        return ""
    start, end = span
    return f"{start.year if start else ''}–{end.year if end else ''}"


def check_party_existed(party: str, span: Span | None, agreement_date: str | None, reason: str = "") -> None:
    if span is None or span == (None, None) or not agreement_date or (reason or "").strip():
        return
    parsed = parse_date(agreement_date)
    lower, upper = parsed.lower, parsed.upper
    start, end = span
    before = start is not None and upper is not None and upper < start
    after = end is not None and lower is not None and lower > end
    if before or after:
        raise RuleViolated(
            "party_did_not_exist",
            f"{party} existed {existence_years(span)}; it did not exist on {agreement_date}, the agreement's date. "
            "Choose the party of that time, or give a reason to add it anyway.",
            "party",
        )


def directory_span(directory, party: str) -> Span | None:
    """The party's span as the directory knows it; a directory that keeps no spans (a test's) knows none."""
    span_of = getattr(directory, "party_span", None)
    return span_of(party) if span_of else None
