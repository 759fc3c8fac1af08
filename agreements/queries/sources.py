"""Sources (reference data): lists, one source, batches by id."""

from __future__ import annotations

from django.db.models import Q

from sources.models import Source

from . import NotFound


def sources(kind: str | None = None, text: str | None = None):
    qs = Source.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if text:
        qs = qs.filter(Q(title__icontains=text) | Q(publisher__icontains=text) | Q(key__icontains=text))
    return qs.order_by("key")


def source(key: str) -> Source:
    """A source by its id or its key."""
    found = Source.objects.filter(pk=int(key)).first() if key.isdecimal() and len(key) < 18 else None
    found = found or Source.objects.filter(key=key).first()
    if found is None:
        raise NotFound(f"No source '{key}'.")
    return found


def sources_by_id(source_ids=None) -> list[Source]:
    """These sources (every source when `source_ids` is None), by id."""
    qs = Source.objects.all().order_by("id")
    if source_ids is not None:
        qs = qs.filter(id__in=list(source_ids))
    return list(qs)
