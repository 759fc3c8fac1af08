"""An agreement's status on a date."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from agreements.domain.status import status_on
from agreements.projections.models import AgreementRecord, LifecycleFact, Relation

CONSENT = ("signature", "accession", "approval", "ratification")


def _happened(actions, on: dt.date):
    return Exists(
        LifecycleFact.objects.filter(
            agreement=OuterRef("pk"), known_to__isnull=True, action__in=actions, date_lower__lte=on
        )
    )


def status_expression(on: dt.date):
    """The agreement's status on `on`, as SQL: the same precedence as domain.status.status_on."""
    superseded = Exists(
        Relation.objects.filter(target_slug=OuterRef("slug"), relation="supersedes", known_to__isnull=True)
    )
    return Case(
        When(_happened(["termination"], on), then=Value("terminated")),
        When(superseded, then=Value("superseded")),
        When(_happened(["suspension"], on), then=Value("suspended")),
        When(_happened(["entry_into_force"], on), then=Value("in_force")),
        When(_happened(CONSENT, on), then=Value("signed")),
        default=Value("draft"),
        output_field=CharField(),
    )


def with_status_on(qs, status: str, on: dt.date):
    return qs.alias(status_then=status_expression(on)).filter(status_then=status)


def superseded_slugs() -> set[str]:
    return set(
        Relation.objects.filter(relation="supersedes", known_to__isnull=True).values_list("target_slug", flat=True)
    )


def with_superseded(qs: QuerySet) -> QuerySet:
    """Annotate `is_superseded` (another agreement currently supersedes it) for the changelist's status column."""
    return qs.annotate(is_superseded=Exists(
        Relation.objects.filter(relation="supersedes", target_slug=OuterRef("slug"), known_to__isnull=True)
    ))


def record_status(record: AgreementRecord, superseded: set[str] | None = None, on: dt.date | None = None) -> str:
    """The agreement's status today from the projection's date columns (no per-row history read)."""
    on = on or timezone.localdate()
    facts = [
        ("signature", record.signed_lower),
        ("entry_into_force", record.in_force_lower),
        ("suspension", record.suspended_lower),
        ("termination", record.terminated_lower),
    ]
    if hasattr(record, "is_superseded"):
        is_superseded = record.is_superseded
    else:
        is_superseded = record.slug in (superseded_slugs() if superseded is None else superseded)
    return status_on(facts, on, is_superseded)


def filter_by_status(qs: QuerySet, status: str, on: dt.date | None = None) -> QuerySet:
    on = on or timezone.localdate()
    superseded = Q(slug__in=list(superseded_slugs()))
    terminated = Q(terminated_lower__lte=on)
    suspended = Q(suspended_lower__lte=on)
    in_force = Q(in_force_lower__lte=on)
    signed = Q(signed_lower__lte=on)
    if status == "terminated":
        return qs.filter(terminated)
    if status == "superseded":
        return qs.filter(superseded).exclude(terminated)
    if status == "suspended":
        return qs.filter(suspended).exclude(terminated | superseded)
    if status == "in_force":
        return qs.filter(in_force).exclude(terminated | superseded | suspended)
    if status == "signed":
        return qs.filter(signed).exclude(terminated | superseded | suspended | in_force)
    if status == "draft":
        return qs.exclude(terminated | superseded | suspended | in_force | signed)
    return qs
