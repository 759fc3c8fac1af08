"""A bulk load leaves the planner statistics of the tables it filled current (registry.statistics): a
deployment may run autovacuum late, and a table planned as if it were still small reads several times slower."""

import pytest
from django.db import connection

from agreements import services
from agreements.domain import commands
from agreements.projections.bulk import NewAgreementsProjector
from agreements.projections.models import ClauseVersion
from registry import statistics

pytestmark = pytest.mark.django_db


def new(slug):
    return services.NewAgreement(slug, [
        commands.DraftAgreement(slug=slug, title=slug.title(), kind="agreement"),
        *[commands.AddClause(eid=f"art_{n}", text=f"Article {n}.", text_kind="official") for n in range(1, 6)],
    ])


@pytest.mark.postgres
def test_a_large_bulk_load_leaves_the_statistics_of_what_it_loaded_current(monkeypatch):
    monkeypatch.setattr(services, "ANALYZE_AFTER_EVENTS", 10)
    services.handle_bulk([new(f"stats-{n}-2012") for n in range(4)])
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [ClauseVersion._meta.db_table])
        [planned] = cursor.fetchone()
    assert planned == ClauseVersion.objects.count()


def test_a_small_bulk_load_refreshes_no_statistics(monkeypatch):
    refreshed = []
    monkeypatch.setattr(statistics, "refresh", lambda tables, using="default": refreshed.append(tables))
    services.handle_bulk([new("stats-small-2012")])
    assert refreshed == []


def test_a_large_bulk_load_refreshes_the_event_table_and_every_read_model_it_filled(monkeypatch):
    refreshed = []
    monkeypatch.setattr(services, "ANALYZE_AFTER_EVENTS", 10)
    monkeypatch.setattr(statistics, "refresh", lambda tables, using="default": refreshed.append(set(tables)))
    services.handle_bulk([new(f"stats-{n}-2013") for n in range(4)])
    assert refreshed == [{"pacta_event", *NewAgreementsProjector.tables()}]


def test_only_postgresql_has_statistics_to_refresh():
    refreshed = statistics.refresh(["pacta_event"])
    assert refreshed == (["pacta_event"] if connection.vendor == "postgresql" else [])


@pytest.mark.postgres
def test_the_event_payloads_are_left_out_of_the_statistics_and_every_other_column_is_kept():
    statistics.refresh(["pacta_event"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT attname FROM pg_stats WHERE tablename = 'pacta_event' ORDER BY attname")
        analysed = [name for (name,) in cursor.fetchall()]
    assert "payload" not in analysed
    assert {"position", "stream_id", "stream_version", "type", "recorded_at"} <= set(analysed)


@pytest.fixture
def analysed(monkeypatch):
    """Which thread ANALYZEd which tables (PostgreSQL's backend)."""
    import threading

    from registry.database import postgresql

    seen, original = [], postgresql._analyze

    def recording(conn, tables):
        seen.append((threading.current_thread(), list(tables)))
        return original(conn, tables)

    monkeypatch.setattr(postgresql, "_analyze", recording)
    return seen


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_loads_analyze_shares_its_tables_between_two_connections(analysed):
    import threading

    tables = ["pacta_event", *NewAgreementsProjector.tables()]
    assert sorted(statistics.refresh(tables)) == sorted(tables)
    threads = {thread for thread, _ in analysed}
    assert len(analysed) == 2 and len(threads) == 2 and threading.main_thread() in threads
    assert sorted(table for _, share in analysed for table in share) == sorted(tables)


@pytest.mark.postgres
def test_inside_a_callers_transaction_analyze_stays_on_its_connection(analysed):
    import threading

    tables = ["pacta_event", *NewAgreementsProjector.tables()]
    statistics.refresh(tables)
    assert analysed == [(threading.main_thread(), sorted(tables))]
