"""Benchmarks time what they built on fresh planner statistics: bench.store's as-of ratio was 1.03 on a fresh
database and 4 to 5 on one that earlier runs had filled, because autovacuum had not analysed the new rows."""

import pytest
from django.db import connection

from agreements.projections.models import ClauseVersion
from bench import store as bench_store


def test_the_as_of_bench_analyses_what_it_built_before_it_times(monkeypatch):
    steps = []
    monkeypatch.setattr(bench_store, "build_clause", lambda slug, depth: steps.append(("build", depth)) or slug)
    monkeypatch.setattr(bench_store, "analyze_built", lambda: steps.append(("analyze",)) or [])
    monkeypatch.setattr(bench_store, "time_reads", lambda *args: steps.append(("time",)) or 1.0)
    bench_store.bench_as_of(depth=50, reads=1)
    assert steps[:3] == [("build", 10), ("build", 50), ("analyze",)]
    assert ("time",) in steps and ("build", 50) not in steps[3:]


@pytest.mark.postgres
@pytest.mark.django_db
def test_analyze_built_leaves_the_planner_counting_the_rows_just_built():
    bench_store.build_clause("bench-analyse-2012", 40)
    assert "pacta_clause_version" in bench_store.analyze_built()
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [ClauseVersion._meta.db_table])
        assert cursor.fetchone()[0] == ClauseVersion.objects.count()
