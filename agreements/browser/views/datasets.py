"""Datasets for researchers: the coded obligations as CSV and Parquet with their codebook; an agreement's
articles as CSV."""

from __future__ import annotations

from django.utils.translation import gettext as _

from django.http import HttpResponse
from django.views.decorators.http import require_safe

from agreements.queries.obligations import obligation_entries, obligation_rows
from agreements.queries.time import TimePoint
from agreements.datasets import articles
from agreements.datasets import obligations as dataset
from agreements.queries.agreements import agreement_at
from agreements.queries.visibility import published_record
from agreements.domain import obligations

from ..moments import BadMoment, parse_as_of, parse_known_at
from ..pages import bad_request, page
from ..security import with_csp


def _entries(request):
    known_at = parse_known_at(request.GET["known_at"]) if request.GET.get("known_at") else None
    at = TimePoint.of(None, known_at)
    return obligation_entries(obligation_rows(False, at), at)


def _download(request, body_of, content_type, extension):
    try:
        entries = _entries(request)
    except BadMoment as exc:
        return bad_request(request, str(exc))
    response = HttpResponse(body_of(entries), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="pacta-obligations.{extension}"'
    return response


@require_safe
def obligations_csv(request):
    return _download(request, dataset.to_csv, "text/csv; charset=utf-8", "csv")


@require_safe
def obligations_parquet(request):
    return _download(request, dataset.to_parquet, "application/vnd.apache.parquet", "parquet")


@require_safe
@with_csp
def codebook(request):
    return page(
        request, "browser/codebook.html",
        {"types": obligations.OBLIGATION_TYPES, "modalities": obligations.MODALITIES, "conditions": obligations.CONDITIONS,
         "columns": dataset.COLUMNS},
        title=_("Obligations dataset: codebook"),
        description=_("How Pacta codes the obligations agreements create (after ATOP) and the columns of the "
                      "obligations dataset (CSV, Parquet)."),
        canonical="/data/obligations/codebook/",
    )


@require_safe
def articles_csv(request, slug):
    record = published_record(slug)
    if record is None:
        return page(request, "browser/message.html", {"heading": _("Not found"), "message": _("No agreement '%(slug)s'.") % {"slug": slug}},
                    title=_("Not found"), description="", status=404)
    try:
        at = TimePoint.of(parse_as_of(request.GET.get("as_of", "")), parse_known_at(request.GET.get("known_at", "")))
    except BadMoment as exc:
        return bad_request(request, str(exc))
    # The agreement as the public reads it (queries.visibility): no unpublished amending instrument named.
    response = HttpResponse(articles.to_csv(agreement_at(slug, at, include_unpublished=False).clauses), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-{at.as_of.isoformat()}.csv"'
    return response
