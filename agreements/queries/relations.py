"""Relations between agreements: amends, implements, supplements, supersedes, based on, refers to."""

from __future__ import annotations

from dataclasses import dataclass

from agreements.projections.models import Relation


@dataclass(frozen=True)
class RelationRow:
    slug: str
    agreement_id: int
    relation: str
    target_slug: str


def relations_from(slugs=None) -> list[RelationRow]:
    """Current relations (all of them when `slugs` is None)."""
    qs = Relation.objects.filter(known_to__isnull=True)
    if slugs is not None:
        qs = qs.filter(agreement__slug__in=list(slugs))
    return [
        RelationRow(*r)
        for r in qs.values_list("agreement__slug", "agreement_id", "relation", "target_slug").order_by("id")
    ]


def agreements_relating_to(slug: str) -> set[str]:
    return set(
        Relation.objects.filter(target_slug=slug, known_to__isnull=True).values_list("agreement__slug", flat=True)
    )
