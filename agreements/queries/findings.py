"""Validation findings: what staff see, and the open findings a validation run re-covers."""

from __future__ import annotations

from django.db.models import Q

from agreements.findings.models import Finding, ValidationRun

from .batching import chunks
from .visibility import PUBLISHED


def findings(include_unpublished: bool = False, agreement: str | None = None, severity: str | None = None,
             code: str | None = None, subject: str | None = None, include_resolved: bool = False):
    qs = Finding.objects.select_related("agreement", "source")
    if not include_unpublished:
        qs = qs.filter(Q(agreement__isnull=True) | Q(agreement__publication=PUBLISHED))
    if not include_resolved:
        qs = qs.filter(resolved_at__isnull=True)
    if agreement:
        qs = qs.filter(agreement__slug=agreement)
    if severity:
        qs = qs.filter(severity=severity)
    if code:
        qs = qs.filter(code=code)
    if subject:
        qs = qs.filter(subject=subject)
    return qs.order_by("-last_seen", "-id")


def open_findings(slug: str | None = None, eid: str | None = None):
    qs = Finding.objects.filter(resolved_at__isnull=True).select_related("agreement", "source")
    if slug is not None:
        qs = qs.filter(agreement__slug=slug)
    if eid is not None:
        qs = qs.filter(subject=eid)
    return qs.order_by("severity", "code")


def citation_scope(citation_id) -> str:
    """The scope of the findings about one citation (validation records them under it)."""
    return f"citation:{citation_id}"


def clause_findings(slug: str, eids) -> list[Finding]:
    """The open findings about a clause (under any eId it has carried)."""
    return list(
        Finding.objects.filter(agreement__slug=slug, subject__in=set(eids), resolved_at__isnull=True)
        .select_related("agreement", "source")
        .order_by("severity", "code")
    )


def open_finding_scopes(prefix: str, agreement_slugs=None) -> set[str]:
    """Scopes of a family (by prefix) that still have open findings: a run re-covers them so that a
    finding whose subject has gone (a removed reference, a detached citation) gets resolved."""
    qs = Finding.objects.filter(resolved_at__isnull=True, scope__startswith=prefix)
    if agreement_slugs is not None:
        qs = qs.filter(Q(agreement__slug__in=list(agreement_slugs)))
    return set(qs.values_list("scope", flat=True).distinct())


def open_findings_in(scopes) -> list[tuple[int, str, str]]:
    """(id, key, scope) of the open findings in these scopes."""
    rows = []
    for chunk in chunks(set(scopes)):
        rows += list(
            Finding.objects.filter(scope__in=chunk, resolved_at__isnull=True).values_list("id", "key", "scope")
        )
    return rows


def last_sweep_started():
    return (
        ValidationRun.objects.filter(task="pacta.validation.sweep", finished_at__isnull=False)
        .order_by("-started_at").values_list("started_at", flat=True).first()
    )
