"""The status rule in SQL (agreements.queries.status): the list's column and the filters agree row for row,
and on PostgreSQL a page's column reads only that page's facts."""

import datetime as dt
import importlib

import pytest
from django.db import connection

from agreements.domain.status import DATED_ACTIONS
from agreements.domain.vocabulary import STATUSES
from agreements.projections.models import AgreementRecord
from agreements.queries.status import with_status, with_status_on

pytestmark = pytest.mark.django_db

DATES = [dt.date(1995, 1, 1), dt.date(2008, 6, 30), dt.date(2021, 7, 1), None]  # None: today


@pytest.mark.parametrize("on", DATES, ids=str)
@pytest.mark.parametrize("status", STATUSES)
def test_the_status_filter_finds_exactly_the_agreements_whose_status_column_says_so(status, on):
    column = {r.slug for r in with_status(AgreementRecord.objects.all(), on) if r.status == status}
    assert set(with_status_on(AgreementRecord.objects.all(), status, on).values_list("slug", flat=True)) == column


def test_the_seeds_take_several_statuses_so_the_comparison_means_something():
    statuses = {r.status for r in with_status(AgreementRecord.objects.all())}
    assert len(statuses) >= 3, statuses


@pytest.mark.postgres
def test_postgresql_reads_a_pages_status_through_the_lifecycle_index_never_in_one_pass_over_every_fact():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE pacta_lifecycle")
        cursor.execute("ANALYZE pacta_agreement")
        cursor.execute("SET LOCAL enable_seqscan = off")  # the seeds' facts are few: make a scan the last resort
    plan = with_status(AgreementRecord.objects.order_by("slug"))[:50].explain()
    lines = plan.splitlines()
    lookups = [lines[i + 1] for i, line in enumerate(lines) if " on pacta_lifecycle " in line]
    assert len(lookups) == 4  # one per dated rule of the table (terminated, suspended, in force, signed)
    # An index scan (Index Cond) or a bitmap heap scan over one (Recheck Cond): by the agreement, either way.
    assert all(("Index Cond:" in cond or "Recheck Cond:" in cond) and "agreement_id = pacta_agreement.id" in cond
               for cond in lookups), plan
    assert "Seq Scan on pacta_lifecycle" not in plan, plan


@pytest.mark.postgres
def test_postgresql_filters_a_status_from_the_current_facts_of_its_actions():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE pacta_lifecycle")
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = with_status_on(AgreementRecord.objects.order_by("slug"), "terminated")[:50].explain()
    assert "lifecycle_current_action_idx" in plan


@pytest.mark.postgres
def test_postgresql_finds_drafts_through_the_projected_status_date_without_reading_any_lifecycle_fact():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE pacta_agreement")
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = with_status_on(AgreementRecord.objects.order_by("slug"), "no_dated_fact")[:50].explain()
    assert "agreement_status_from_idx" in plan and "pacta_lifecycle" not in plan, plan


def test_the_projected_status_date_is_the_earliest_fact_of_a_dated_rule_still_asserted():
    for record in AgreementRecord.objects.all():
        dates = [f.date_lower for f in record.lifecycle_rows.filter(known_to__isnull=True, action__in=DATED_ACTIONS)
                 if f.date_lower]
        assert record.status_from == (min(dates) if dates else None), record.slug


def test_the_migration_fills_the_status_date_from_the_same_actions_as_the_rule():
    migration = importlib.import_module("agreements.migrations.0006_agreement_status_from")
    assert sorted(migration.DATED_ACTIONS) == sorted(DATED_ACTIONS)
