"""Citations: which source supports which fact, with its locator and quote. A citation whose key names no
source on this instance (a copy without that reference data) is projected, but not shown."""

from __future__ import annotations

from agreements.domain.vocabulary import reference_subject_prefix
from agreements.projections.models import AgreementRecord
from agreements.projections.models import Citation

from .batching import chunks
from .time import TimePoint
from .visibility import citation_target, hidden_slugs, visible_citations


def reference_citations(record: AgreementRecord, eid: str, at: TimePoint,
                        include_unpublished: bool = False) -> list[Citation]:
    """Citations backing the cross-references made by one clause, as known at `at`, as this reader may see them."""
    citations = list(
        Citation.objects.filter(agreement=record, supports__startswith=reference_subject_prefix(eid), source__isnull=False)
        .filter(at.known())
        .select_related("source")
        .order_by("id")
    )
    return visible_citations(citations, hidden_slugs([citation_target(c) for c in citations], include_unpublished))


def current_citations(slugs=None, source_id=None) -> list[Citation]:
    """Current citations with their sources (`source.snapshot_text` included), by agreement or by source."""
    qs = Citation.objects.filter(known_to__isnull=True, source__isnull=False).select_related("source", "agreement")
    if source_id is not None:
        qs = qs.filter(source_id=source_id)
    if slugs is None:
        return list(qs.order_by("id"))
    result = []
    for chunk in chunks(set(slugs)):
        result += list(qs.filter(agreement__slug__in=chunk).order_by("id"))
    return result


def citations_by_id(citation_ids) -> dict[str, Citation]:
    """Current citations by id (to name the subjects of findings): one query."""
    ids = [str(i) for i in citation_ids]
    rows = Citation.objects.filter(citation_id__in=ids, known_to__isnull=True, source__isnull=False).select_related("source")
    return {str(c.citation_id): c for c in rows}


def published_citations_of_source(source_id) -> list[Citation]:
    """What a source supports in published agreements (the public source page), by agreement and subject;
    a citation of a relation or reference to an unpublished agreement is left out (queries.visibility)."""
    from .visibility import published_records

    citations = list(
        Citation.objects.filter(source_id=source_id, known_to__isnull=True, agreement__in=published_records())
        .select_related("agreement").order_by("agreement__earliest_date", "agreement__slug", "supports", "id")
    )
    return visible_citations(citations, hidden_slugs([citation_target(c) for c in citations]))
