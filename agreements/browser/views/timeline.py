"""The timeline: published agreements on a time axis, an SVG drawn by the server (no script).

One page at a time (100 agreements, oldest first, `after=` the last one's key), narrowed to a decade
(`decade=1990`, or `decade=undated`) or a kind (`kind=treaty`); above it, how many agreements each
decade holds, from the shared corpus summary. Every page is a bounded read, however large the corpus.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from agreements.domain.vocabulary import KINDS
from agreements.queries.paging import Chronological
from agreements.queries.summaries import corpus_summary
from agreements.queries.timeline import timeline_page

from .. import links
from ..pages import bad_request, page
from ..present import human_date, kind_label, status_label
from ..security import with_csp
from ..timeline_svg import layout

PAGE_SIZE = 100


def _date_label(entry):
    return human_date(entry.date_text) if entry.date_text else "undated"


def _decade_label(decade):
    return _("Undated") if decade is None else _("%(decade)ss") % {"decade": decade}


def _filters(query):
    """(decade, undated, kind, after) from the query string; ValueError for values that name nothing."""
    decade, undated = None, False
    if query.get("decade") == "undated":
        undated = True
    elif query.get("decade"):
        decade = int(query["decade"])
        if decade % 10 or not 0 <= decade <= 9990:
            raise ValueError("decade")
    kind = query.get("kind") or None
    if kind is not None and kind not in KINDS:
        raise ValueError("kind")
    after = Chronological.parse(query["after"]) if query.get("after") else None
    return decade, undated, kind, after


def _href(**params):
    params = {k: v for k, v in params.items() if v not in (None, "", False)}
    return "/timeline/" + ("?" + urlencode(params) if params else "")


@require_safe
@with_csp
def timeline(request):
    try:
        decade, undated, kind, after = _filters(request.GET)
    except ValueError:
        return bad_request(request, "The timeline takes a decade (e.g. 1990, or undated), a kind of agreement and "
                           "the page key its own links carry.")
    today = timezone.localdate()
    result = timeline_page(decade=decade, kind=kind, after=after, limit=PAGE_SIZE, today=today, undated=undated)
    entries = result.entries
    dated = [e for e in entries if e.lower is not None]
    drawing = layout(dated, today, href=lambda e: links.agreement_url(e.record.work_uri), date_label=_date_label)
    summary = corpus_summary()
    decade_param = "undated" if undated else decade
    rows = [
        {"record": e.record, "href": links.agreement_url(e.record.work_uri), "date": _date_label(e),
         "kind": kind_label(e.record.kind), "status": status_label(e.status),
         "in_force": human_date(e.in_force_from) if e.in_force_from else ""}
        for e in entries
    ]
    context = {
        "drawing": drawing, "rows": rows,
        "kinds": [{"kind": k, "label": kind_label(k)} for k in sorted({e.record.kind for e in entries})],
        "undated": [{"record": e.record, "href": links.agreement_url(e.record.work_uri)}
                    for e in entries if e.lower is None],
        "decades": [{"label": _decade_label(d), "count": n, "href": _href(decade="undated" if d is None else d, kind=kind),
                     "current": (d is None and undated) or (d is not None and d == decade)}
                    for d, n in summary.by_decade],
        "kind_filters": [{"label": kind_label(k), "count": n, "href": _href(decade=decade_param, kind=k),
                          "current": k == kind} for k, n in summary.by_kind],
        "narrowed": bool(decade_param or kind),
        "all_href": _href(),
        "first_href": _href(decade=decade_param, kind=kind) if after else None,
        "next_href": _href(decade=decade_param, kind=kind, after=result.next_after.token()) if result.next_after else None,
        "total": summary.total,
    }
    return page(
        request, "browser/timeline.html", context,
        title=_("Timeline of agreements"),
        description=_("Published agreements on a time axis, by decade: partial dates drawn as ranges, coloured by kind."),
        canonical="/timeline/",
    )
