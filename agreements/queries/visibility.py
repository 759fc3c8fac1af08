"""What a reader may see: the public (and anonymous API callers) see published agreements only."""

from __future__ import annotations

from agreements.projections.models import AgreementRecord

from . import NotFound

PUBLISHED = "published"


def visible_agreements(include_unpublished: bool = False):
    qs = AgreementRecord.objects.all()
    return qs if include_unpublished else qs.filter(publication=PUBLISHED)


def get_record(slug: str, include_unpublished: bool = False) -> AgreementRecord:
    try:
        return visible_agreements(include_unpublished).get(slug=slug)
    except AgreementRecord.DoesNotExist:
        raise NotFound(f"No agreement '{slug}'.") from None


def published_records():
    return AgreementRecord.objects.filter(publication=PUBLISHED).order_by("earliest_date", "slug")


def published_record(slug: str) -> AgreementRecord | None:
    return published_records().filter(slug=slug).first()


def records_by_slug(slugs) -> dict[str, AgreementRecord]:
    """The published agreements among `slugs` (one query); unpublished targets are left out."""
    slugs = {s for s in slugs if s}
    if not slugs:
        return {}
    return {r.slug: r for r in published_records().filter(slug__in=slugs)}
