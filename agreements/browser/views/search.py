"""Search: agreements (titles, summaries) and clauses, with highlighted hits and filters by party, kind,
status and date range; without a query, a page that shows what can be searched."""

from __future__ import annotations

from django.utils.translation import gettext as _

from django.views.decorators.http import require_safe

from agreements.queries.agreements import kinds_in_use
from agreements.queries.parties import parties_in_use
from agreements.queries.search import SearchFilters, SearchResult, agreement_lines, browse, has_filters
from agreements.queries.search import search as search_registry
from agreements.domain.vocabulary import STATUSES
from ..present import choices

from .. import links
from agreements.queries.time import FIRST, LAST

from ..moments import BadMoment, parse_as_of
from ..pages import page
from ..present import clause_label, human_date, kind_label, text_kind_label
from ..security import with_csp

MAX_QUERY = 200
EXAMPLES = ["mutual assistance", "armed attack", "military training", "self-defence"]


def about(line) -> dict:
    """A result's agreement in words: "16 August 2010 · Türkiye, Azerbaijan · In force"."""
    return {"date": human_date(line.date) if line.date else "undated", "parties": ", ".join(line.parties),
            "status": kind_label(line.status) if line.status else ""}


@require_safe
@with_csp
def search(request):
    errors = []
    dates = {}
    for name, day in (("from", FIRST), ("to", LAST)):
        try:
            dates[name] = parse_as_of(request.GET.get(name, ""), day)
        except BadMoment as exc:
            errors.append(str(exc))
            dates[name] = None
    filters = SearchFilters(
        q=request.GET.get("q", "").strip()[:MAX_QUERY],
        party=request.GET.get("party", "").strip(),
        kind=request.GET.get("kind", "").strip(),
        date_from=dates["from"],
        date_to=dates["to"],
        status=status if (status := request.GET.get("status", "").strip()) in STATUSES else "",
    )
    if errors:
        result = SearchResult()
    elif filters.q:
        result = search_registry(filters)
    else:
        result = browse(filters)  # filters without words (a date range...): the agreements they select
    lines = {pk: about(line) for pk, line in agreement_lines({hit.record for hit in result.hits}).items()}
    agreements = [
        {"hit": hit, "href": links.agreement_url(hit.record.work_uri), "kind": kind_label(hit.record.kind),
         "about": lines.get(hit.record.pk)}
        for hit in result.agreements
    ]
    results = [
        {
            "hit": hit,
            "label": clause_label(hit.eid),
            "href": links.clause_url(hit.record.work_uri, hit.eid),
            "agreement_href": links.agreement_url(hit.record.work_uri),
            "text_kind": text_kind_label(hit.text_kind),
            "about": lines.get(hit.record.pk),
        }
        for hit in result.clauses
    ]
    filtered = not filters.q and has_filters(filters)
    title = (_("Search: %(q)s") % {"q": filters.q} if filters.q else _("Agreements found") if filtered
             else _("Search the agreements"))
    return page(
        request, "browser/search.html",
        {
            "filters": filters,
            "date_from": request.GET.get("from", ""),
            "date_to": request.GET.get("to", ""),
            "parties": parties_in_use(),
            "kinds": [{"kind": k, "label": kind_label(k)} for k in kinds_in_use()],
            "agreements": agreements,
            "results": results,
            "suggestion": result.suggestion,
            "statuses": choices(STATUSES),
            "examples": EXAMPLES,
            "errors": errors,
            "searched": bool(filters.q) or filtered,
            "filtered": filtered,
        },
        title=title,
        description=_("Search the titles, summaries and clause texts of every published agreement, filtered by "
                      "party, kind, status and date."),
        canonical="/search/",
        status=400 if errors else 200,
    )
