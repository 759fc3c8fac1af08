"""Clause search with highlighted hits and filters by party, kind and date range."""

from __future__ import annotations

from django.views.decorators.http import require_safe

from agreements.queries.agreements import kinds_in_use
from agreements.queries.parties import parties_in_use
from agreements.queries.search import SearchFilters, search_clauses

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
    hits = search_clauses(filters) if filters.q and not errors else []
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
            "errors": errors,
            "searched": bool(filters.q),
        },
        title=title,
        description="Search the text of every published clause, filtered by party, kind and date.",
        canonical="/search/",
        status=400 if errors else 200,
    )
