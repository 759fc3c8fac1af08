from django.views.decorators.http import require_safe

from agreements.queries.agreements import agreements_by_kind
from agreements.queries.history import recent_changes
from agreements.queries.parties import agreements_by_party

from .. import links
from ..pages import page
from ..present import describe_event, event_eid, human_date, kind_label
from ..security import with_csp


def change_rows(changes):
    rows = []
    for change in changes:
        event, record = change.event, change.record
        eid = event_eid(event.type, event.payload)
        rows.append({
            "when": event.recorded_at,
            "when_label": human_date(event.recorded_at),
            "what": describe_event(event.type, event.payload),
            "agreement": record,
            "href": links.clause_url(record.work_uri, eid) if eid else links.agreement_url(record.work_uri),
        })
    return rows


@require_safe
@with_csp
def home(request):
    by_kind = [
        {"kind": kind, "label": kind_label(kind), "agreements": records} for kind, records in agreements_by_kind()
    ]
    by_party = [{"party": party, "agreements": items} for party, items in agreements_by_party()]
    count = sum(len(group["agreements"]) for group in by_kind)
    return page(
        request,
        "browser/home.html",
        {"by_kind": by_kind, "by_party": by_party, "changes": change_rows(recent_changes(12)), "count": count},
        title="Treaties and agreements, article by article",
        description=f"Pacta: {count} published agreements to read article by article, at any date, with their "
        "parties, cross-references and sources.",
        canonical="/",
    )
