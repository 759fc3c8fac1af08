"""Permanent addresses of browser pages.

An agreement lives at its work URI (`/akn/int/treaty/2010/<slug>/`) and a clause under it by eId
(`.../art_2/`). The date a page is shown at is part of the path, as Akoma Ntoso writes expression dates:
`.../@2015-01-01/`. A record time (`known_at`), for citing what the registry said before a correction,
is a query parameter. These forms are permanent: links shared today keep working.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode


def _suffix(as_of: dt.date | None, known_at: dt.datetime | None) -> str:
    path = f"@{as_of.isoformat()}/" if as_of else ""
    query = "?" + urlencode({"known_at": known_at.isoformat()}) if known_at else ""
    return path + query


def agreement_url(work_uri: str, as_of: dt.date | None = None, known_at: dt.datetime | None = None) -> str:
    return f"{work_uri.rstrip('/')}/{_suffix(as_of, known_at)}"


def clause_url(work_uri: str, eid: str, as_of: dt.date | None = None, known_at: dt.datetime | None = None) -> str:
    return f"{work_uri.rstrip('/')}/{eid}/{_suffix(as_of, known_at)}"


def diff_url(work_uri: str, eid: str, old: int | None = None, new: int | None = None,
             known_at: dt.datetime | None = None) -> str:
    params = {}
    if old is not None:
        params["from"] = old
    if new is not None:
        params["to"] = new
    if known_at:
        params["known_at"] = known_at.isoformat()
    return f"{work_uri.rstrip('/')}/{eid}/diff/" + ("?" + urlencode(params) if params else "")


def party_url(code: str) -> str:
    return f"/parties/{code}/"


def work_year(work_uri: str) -> str:
    """The year segment of a work URI (`/akn/int/treaty/2010/<slug>` -> "2010")."""
    return work_uri.rstrip("/").split("/")[-2]
