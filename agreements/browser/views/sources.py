"""A source's page: who published it, when, its perspective, and every published fact it supports."""

from __future__ import annotations

from django.utils.translation import gettext as _

from django.views.decorators.http import require_safe

from agreements.domain.vocabulary import EID_RE, CITABLE_FIELDS
from agreements.queries import NotFound
from agreements.queries.citations import published_citations_of_source
from agreements.queries.sources import source as find_source

from .. import links
from ..pages import not_found, page
from ..present import citation_subject, human_date, safe_url
from ..security import with_csp


def _href(citation) -> str:
    supports, uri = citation.supports, citation.agreement.work_uri
    if supports and supports not in CITABLE_FIELDS and EID_RE.match(supports) and ":" not in supports:
        return links.clause_url(uri, supports)
    return links.agreement_url(uri)


@require_safe
@with_csp
def source_page(request, key):
    try:
        source = find_source(key)
    except NotFound:
        return not_found(request, _("There is no source '%(key)s'.") % {"key": key})
    rows = [
        {"agreement": c.agreement, "subject": citation_subject(c.supports), "href": _href(c), "quote": c.quote,
         "locator": c.locator}
        for c in published_citations_of_source(source.pk)
    ]
    return page(
        request, "browser/source.html",
        {"source": source, "url": safe_url(source.url), "published": human_date(source.published) if source.published
         else "", "kind": source.get_kind_display(), "rows": rows},
        title=source.title,
        description=_("%(title)s (%(publisher)s): the source and the %(count)s facts it supports.") % {
            "title": source.title, "publisher": source.publisher, "count": len(rows)},
        canonical=f"/sources/{source.key}/",
    )
