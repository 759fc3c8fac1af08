"""An agreement's status on a date, for lists and filters: the rule of `domain.status` as SQL.

The rule (its table is in `agreements/domain/status.py`) is applied in Python to one agreement
(`status_on`, used by `agreements.agreement_at`) and here, row by row in SQL, to lists: the admin's
changelist and its filter, the API list, its `status` and `in_force_on` filters and the CSV, the
timeline. Both read the current lifecycle facts and `supersedes` relations, so they cannot disagree.

Both SQL forms are built from the rule's rows, so neither can drift from it:

- `status_expression` (a list's column) asks each row of the page its own questions (`per_row`): each
  condition reads one agreement's facts through an index (`lifecycle_action_idx`, the relation's
  `target_slug`), so a page of 50 costs what it costs at any corpus size. (An `EXISTS` in a `CASE` let
  PostgreSQL choose a hashed subplan: one pass over every lifecycle fact of the corpus per page.)
- `with_status_on` (a filter) states the status as "this row's condition holds, no earlier row's does":
  `EXISTS` and `NOT EXISTS` in the `WHERE`, which the planner turns into semi- and anti-joins, so a
  filter reads the matching facts once instead of asking every agreement five questions. A draft is the
  row where no rule holds: rather than prove of every agreement that it has no such fact, the filter reads
  the projected `status_from` (the earliest lower bound of the facts of every dated rule, kept by the
  projection from `DATED_ACTIONS`) through its index: undated, or dated after the day, and not superseded.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from agreements.domain.status import DEFAULT_STATUS, STATUS_RULES, SUPERSEDED
from agreements.projections.models import LifecycleFact, ParticipationPeriod, Relation

from .per_row import exists_per_row


def _evidence(status: str, actions: tuple[str, ...], on: dt.date) -> QuerySet:
    """The current rows that make rule `status` hold on `on` for the outer agreement."""
    if status == SUPERSEDED:
        return Relation.objects.filter(target_slug=OuterRef("slug"), relation="supersedes", known_to__isnull=True)
    return LifecycleFact.objects.filter(agreement=OuterRef("pk"), known_to__isnull=True,
                                        action__in=actions, date_lower__lte=on)


def _derived(status: str, on: dt.date) -> QuerySet | None:
    """An entry into force derived from the entry-into-force rule (domain/entry_into_force.py, projected as the
    agreement's own participation period) counts as one recorded."""
    if status != "in_force":
        return None
    return ParticipationPeriod.objects.filter(agreement=OuterRef("pk"), party_code="", status="in_force",
                                              valid_from__lte=on, known_to__isnull=True)


def _holds_per_row(status, actions, on):
    derived = _derived(status, on)
    recorded = Q(exists_per_row(_evidence(status, actions, on)))
    return recorded if derived is None else recorded | Q(exists_per_row(derived))


def _holds(status, actions, on) -> Q:
    derived = _derived(status, on)
    recorded = Q(Exists(_evidence(status, actions, on)))
    return recorded if derived is None else recorded | Q(Exists(derived))


def status_expression(on: dt.date | None = None):
    """The status on `on` (default today) of each agreement of a queryset, as SQL."""
    on = on or timezone.localdate()
    return Case(
        *(When(_holds_per_row(status, actions, on), then=Value(status)) for status, actions in STATUS_RULES),
        default=Value(DEFAULT_STATUS),
        output_field=CharField(),
    )


def with_status(qs: QuerySet, on: dt.date | None = None) -> QuerySet:
    """Annotate `status` (on `on`, default today)."""
    return qs.annotate(status=status_expression(on))


def status_condition(status: str, on: dt.date | None = None) -> Q:
    """Agreements whose status on `on` (default today) is `status`: its rule holds and no earlier rule does."""
    on = on or timezone.localdate()
    if status == DEFAULT_STATUS:  # no rule holds: no dated one (the projected column), and not superseded
        undated = Q(status_from__isnull=True) | Q(status_from__gt=on)
        return undated & ~Q(Exists(_evidence(SUPERSEDED, (), on)))
    condition = Q()
    for rule, actions in STATUS_RULES:
        evidence = _holds(rule, actions, on)
        if rule == status:
            return condition & evidence
        condition &= ~evidence
    return Q(pk__in=[])


def with_status_on(qs: QuerySet, status: str, on: dt.date | None = None) -> QuerySet:
    """The agreements of `qs` whose status on `on` (default today) is `status`."""
    return qs.filter(status_condition(status, on))
