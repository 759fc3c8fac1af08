"""Search: agreements (titles, summaries) and clauses, with highlighted hits and filters by party, kind,
status and date range; without a query, a page that shows what can be searched."""

from __future__ import annotations

from django.views.decorators.http import require_safe

from agreements.queries.agreements import kinds_in_use
from agreements.queries.parties import parties_in_use
from agreements.domain.vocabulary import STATUSES, choices
from agreements.queries.search import SearchFilters, search_agreements, search_clauses
from agreements.queries.status import record_status, superseded_slugs

from .. import links
from ..moments import BadMoment, parse_as_of
from ..pages import page
from ..present import clause_label, kind_label, text_kind_label
from ..security import with_csp

MAX_QUERY = 200


@require_safe
@with_csp
def search(request):
    errors = []
    dates = {}
    for name in ("from", "to"):
        try:
            dates[name] = parse_as_of(request.GET.get(name, ""))
        except BadMoment as exc:
            errors.append(str(exc))
            dates[name] = None
    filters = SearchFilters(
        q=request.GET.get("q", "").strip()[:MAX_QUERY],
        party=request.GET.get("party", "").strip(),
        kind=request.GET.get("kind", "").strip(),
        date_from=dates["from"],
        date_to=dates["to"],
    )
    status = request.GET.get("status", "").strip()
    status = status if status in STATUSES else ""
    hits = search_clauses(filters) if filters.q and not errors else []
    agreement_hits = search_agreements(filters) if filters.q and not errors else []
    if status:  # the status today, as the agreement pages show it
        superseded = superseded_slugs()
        hits = [h for h in hits if record_status(h.record, superseded) == status]
        agreement_hits = [h for h in agreement_hits if record_status(h.record, superseded) == status]
    agreements = [{"hit": h, "href": links.agreement_url(h.record.work_uri), "kind": kind_label(h.record.kind)}
                  for h in agreement_hits]
    results = [
        {
            "hit": hit,
            "label": clause_label(hit.eid),
            "href": links.clause_url(hit.record.work_uri, hit.eid),
            "agreement_href": links.agreement_url(hit.record.work_uri),
            "text_kind": text_kind_label(hit.text_kind),
        }
        for hit in hits
    ]
    title = f"Search: {filters.q}" if filters.q else "Search the clauses"
    return page(
        request, "browser/search.html",
        {
            "filters": filters,
            "date_from": request.GET.get("from", ""),
            "date_to": request.GET.get("to", ""),
            "parties": parties_in_use(),
            "kinds": [{"kind": k, "label": kind_label(k)} for k in kinds_in_use()],
            "results": results,
            "agreements": agreements,
            "status": status,
            "statuses": choices(STATUSES),
            "examples": ["mutual assistance", "armed attack", "military training", "self-defence"],
            "errors": errors,
            "searched": bool(filters.q),
        },
        title=title,
        description="Search the text of every published clause, filtered by party, kind and date.",
        canonical="/search/",
        status=400 if errors else 200,
    )
