"""Citing a page and taking its data away: the dated permanent address with the record time (so a citation
reproduces the exact page), and links to the same facts as Akoma Ntoso XML, JSON and CSV."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import links
from .present import human_date


def _moment_query(moment, known_at=None) -> dict:
    query = {}
    if moment.as_of:
        query["as_of"] = moment.as_of.isoformat()
    if known_at or moment.known_at:
        query["known_at"] = (known_at or moment.known_at).isoformat()
    return query


def export_links(slug: str, moment, eid: str | None = None) -> list[dict]:
    """Where the same facts, at the same moment, can be downloaded."""
    query = _moment_query(moment)
    suffix = lambda extra=None: "?" + urlencode({**query, **(extra or {})}) if query or extra else ""  # noqa: E731
    if eid:
        api = reverse("api:clause-detail", args=[slug, eid])
        return [{"label": "JSON", "href": api + suffix(), "type": "application/json"}]
    api = reverse("api:agreement-detail", args=[slug])
    return [
        {"label": "Akoma Ntoso XML", "href": api + suffix({"format": "akn"}), "type": "application/akn+xml"},
        {"label": "JSON", "href": api + suffix(), "type": "application/json"},
        {"label": "CSV (articles)", "href": reverse("browser:articles-csv", args=[slug]) + suffix(), "type": "text/csv"},
        # The events this page rests on, each with its inclusion proof against the log's signed checkpoint.
        {"label": _("Verify this page"), "href": reverse("api:agreement-proofs", args=[slug]), "type": "application/json"},
    ]


def cite_box(request, record, title: str, moment, point, eid: str | None = None) -> dict:
    """The address that shows this page again exactly: the valid date in the path, the record time as
    `known_at`: the one the page was asked for, else the record time of the agreement's latest event, to the
    millisecond rounded up (now cut to the second could fall before an event recorded in the same second;
    HTML's <time> takes at most three digits of a second). A record time after now cites now."""
    now = timezone.now()
    # A record time in the future shows what is known now, so now is what it cites (and rounding up the last
    # moment Python can hold, 9999-12-31T23:59:59.999999, would overflow).
    known_at = min(moment.known_at or record.updated_at or now, now).astimezone(dt.timezone.utc)
    known_at += dt.timedelta(microseconds=-known_at.microsecond % 1000)
    path = (links.clause_url(record.work_uri, eid, point.as_of, known_at) if eid
            else links.agreement_url(record.work_uri, point.as_of, known_at))
    url = request.build_absolute_uri(path)
    return {
        "url": url,
        "as_of": point.as_of.isoformat(),
        "as_of_label": human_date(point.as_of),
        "known_at": known_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "text": _("%(title)s. Pacta registry of treaties and agreements, as it stood on %(date)s, as recorded by "
                  "%(known_at)s UTC. %(url)s") % {"title": title, "date": human_date(point.as_of),
                                                 "known_at": known_at.strftime("%Y-%m-%d %H:%M:%S"), "url": url},
    }
