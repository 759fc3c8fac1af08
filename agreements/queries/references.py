"""Cross-references from clauses to agreements and clauses, both ways."""

from __future__ import annotations

from dataclasses import dataclass

from agreements.projections.models import Reference

from .batching import chunks
from .visibility import PUBLISHED


def references_to_agreement(slug: str, at) -> list[Reference]:
    """Cross-references from clauses of published agreements to this agreement or any of its clauses, as
    known at `at.known_at` (one query)."""
    return list(
        Reference.objects.filter(target_slug=slug, agreement__publication=PUBLISHED)
        .filter(at.known())
        .select_related("agreement")
        .order_by("agreement__earliest_date", "agreement__slug", "eid")
    )


def references_of(record, at) -> list[Reference]:
    """Every outgoing reference of the agreement as known at `at.known_at`, in clause order."""
    return list(
        Reference.objects.filter(agreement=record).filter(at.known()).order_by("eid", "target_slug", "target_eid")
    )


@dataclass(frozen=True)
class ReferenceRow:
    clause_id: str
    agreement_id: int
    slug: str
    eid: str
    target_slug: str
    target_eid: str


def references_from(clause_ids) -> list[ReferenceRow]:
    """The current outgoing references of these clauses."""
    rows = []
    for chunk in chunks(clause_ids):
        rows += [
            ReferenceRow(str(r[0]), *r[1:])
            for r in Reference.objects.filter(clause_id__in=chunk, known_to__isnull=True)
            .values_list("clause_id", "agreement_id", "agreement__slug", "eid", "target_slug", "target_eid")
            .order_by("id")
        ]
    return rows


def referring_clause_ids(target_slug: str, eids=None) -> set[str]:
    """The reverse index: clauses whose current references point at the agreement (at these eIds, if given)."""
    qs = Reference.objects.filter(target_slug=target_slug, known_to__isnull=True)
    if eids is not None:
        qs = qs.filter(target_eid__in=list(eids))
    return {str(cid) for cid in qs.values_list("clause_id", flat=True).distinct() if cid}


def clause_ids_with_references(slug: str) -> set[str]:
    """The clauses of an agreement that have current outgoing references."""
    return {
        str(cid) for cid in Reference.objects.filter(agreement__slug=slug, known_to__isnull=True)
        .values_list("clause_id", flat=True).distinct() if cid
    }


def referring_clause_ids_everywhere() -> list[str]:
    """Every clause with at least one current outgoing reference (what a sweep checks), in a stable order."""
    return sorted(
        {str(cid) for cid in Reference.objects.filter(known_to__isnull=True).values_list("clause_id", flat=True) if cid}
    )
