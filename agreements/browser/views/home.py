"""The home page: a bounded summary of the registry, whatever its size.

The latest changes (from the event log), the agreements with the latest dates, the parties to most
agreements, and how many agreements there are by kind and by decade (from the shared corpus summary),
each linking on to the timeline or a party page, where the lists are paged.
"""

from django.utils.translation import gettext as _
from urllib.parse import urlencode

from django.views.decorators.http import require_safe

from agreements.queries.agreements import latest_by_date
from agreements.queries.events import log_head
from agreements.queries.log import signed_head
from agreements.queries.history import recent_changes
from agreements.queries.summaries import corpus_summary

from .. import links
from ..pages import page
from ..present import describe_event, event_eid, human_date, kind_label
from ..security import with_csp


def change_rows(changes):
    rows = []
    for change in changes:
        event, record = change.event, change.record
        eid = event_eid(event.type, change.payload)
        rows.append({
            "when": event.recorded_at,
            "when_label": human_date(event.recorded_at),
            "what": describe_event(event.type, change.payload, names=change.names),
            "agreement": record,
            "href": links.clause_url(record.work_uri, eid) if eid else links.agreement_url(record.work_uri),
        })
    return rows


def _timeline(**params):
    return "/timeline/?" + urlencode(params)


@require_safe
@with_csp
def home(request):
    summary = corpus_summary()
    context = {
        "count": summary.total,
        "changes": change_rows(recent_changes(12)),
        "latest": [{"record": r, "href": links.agreement_url(r.work_uri)} for r in latest_by_date(10)],
        "by_party": [{"party": p, "count": n, "href": links.party_url(p.code)} for p, n in summary.top_parties],
        "party_total": len(summary.parties),
        "by_kind": [{"kind": k, "label": kind_label(k), "count": n, "href": _timeline(kind=k)}
                    for k, n in summary.by_kind],
        "by_decade": [{"label": _("Undated") if d is None else _("%(decade)ss") % {"decade": d}, "count": n,
                       "href": _timeline(decade="undated" if d is None else d)} for d, n in summary.by_decade],
        "head": log_head(),
        "signed": signed_head(),
    }
    return page(
        request, "browser/home.html", context,
        title=_("Treaties and agreements, article by article"),
        description=_("Pacta: %(total)s published agreements to read article by article, at any date, with "
                      "their parties, cross-references and sources.") % {"total": summary.total},
        canonical="/",
    )
