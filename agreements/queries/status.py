"""An agreement's status on a date, for lists and filters: the rule of `domain.status` as one SQL expression.

The rule (its table is in `agreements/domain/status.py`) is applied in Python to one agreement
(`status_on`, used by `agreements.agreement_at`) and here, row by row in SQL, to lists: the admin's
changelist and its filter, the API list, its `status` and `in_force_on` filters and the CSV, the
timeline. Both read the current lifecycle facts and `supersedes` relations, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, CharField, Exists, OuterRef, QuerySet, Value, When
from django.utils import timezone

from agreements.domain.status import DEFAULT_STATUS, STATUS_RULES, SUPERSEDED
from agreements.projections.models import LifecycleFact, Relation


def _holds(status: str, actions: tuple[str, ...], on: dt.date):
    if status == SUPERSEDED:
        return Exists(Relation.objects.filter(target_slug=OuterRef("slug"), relation="supersedes",
                                              known_to__isnull=True))
    return Exists(LifecycleFact.objects.filter(agreement=OuterRef("pk"), known_to__isnull=True,
                                               action__in=actions, date_lower__lte=on))


def status_expression(on: dt.date | None = None):
    """The status on `on` (default today) of each agreement of a queryset, as SQL."""
    on = on or timezone.localdate()
    return Case(
        *(When(_holds(status, actions, on), then=Value(status)) for status, actions in STATUS_RULES),
        default=Value(DEFAULT_STATUS),
        output_field=CharField(),
    )


def with_status(qs: QuerySet, on: dt.date | None = None) -> QuerySet:
    """Annotate `status` (on `on`, default today)."""
    return qs.annotate(status=status_expression(on))


def with_status_on(qs: QuerySet, status: str, on: dt.date | None = None) -> QuerySet:
    """The agreements of `qs` whose status on `on` (default today) is `status`."""
    return qs.alias(status_then=status_expression(on)).filter(status_then=status)
