"""Benchmark of the event store and the as-of read, as ratios against a baseline measured in the same run.

    python -m bench.store [--commands 2000] [--runs 1] [--depth 10000] [--append-only]

(a) append throughput through `registry.eventstore.store.append` (commands of 5 events, one transaction each)
    against raw psycopg INSERTs of the same rows into a copy of the table (same rows, columns, constraints
    and indexes), ratio store/raw, median and range over `--runs` runs (bench_append says what each measures);
(b) an as-of read of one clause at history depth 10 against depth 10,000, ratio deep/shallow, timed after
    ANALYZE of what was built (analyze_built: the planner's statistics are never left stale).

It runs on PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/pacta_bench), a database
it creates and migrates itself. Machines are shared and noisy: read the ratios, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import uuid

BENCH_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pacta_bench")


def ensure_database(url: str):
    import psycopg
    from urllib.parse import urlparse

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django():
    os.environ["DATABASE_URL"] = BENCH_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


COLUMNS = ("position, stream_id, stream_version, event_id, type, schema_version, payload, effective, recorded_at, "
           "actor, causation_id, correlation_id, prev_hash, hash")


def bench_append(commands: int, sync_commit: bool = True) -> dict:
    """Events/s of the writers below, timed interleaved in rounds so that machine noise hits them alike.

    - `store`: `store.append` as a caller outside any transaction calls it (each append its own transaction);
    - `store in atomic`: the same inside `transaction.atomic()`, as the services call it (BEGIN .. COMMIT);
    - `unchained`: `store` with the chain's hashing replaced by a constant (what the chain costs);
    - `raw`: psycopg INSERTs of the very rows `store` stored in the same round (same ids, payloads, record
      times, hashes), one multi-row INSERT and one transaction per command (psycopg's default: BEGIN ..
      COMMIT), into a copy of the event table made at the start with `LIKE pacta_event INCLUDING ALL` and
      filled with the same rows (same columns, constraints, indexes and size; the immutability triggers
      fire on UPDATE, DELETE and TRUNCATE only, so an INSERT meets none);
    - `raw autocommit`: the same INSERTs on an autocommit connection (each statement its own transaction).

    `sync_commit=False` sets synchronous_commit off on every connection of the run, store's and raw's alike:
    a diagnostic that takes the wait for the WAL flush (the disk, shared and noisy) out of both sides.
    """
    from unittest import mock

    import psycopg
    from django.db import connection, transaction
    from psycopg.types.json import Jsonb

    from registry.eventstore import chain, store
    from registry.eventstore.store import NewEvent

    run = uuid.uuid4().hex[:8]
    payload = {"text": "Article text " * 20, "eid": "art_2", "effective": "2010-08-16"}

    def batch():
        return [NewEvent(type="BenchNoted", payload=payload, effective="2010-08-16") for _ in range(5)]

    def unchained():
        return mock.patch.object(chain, "link_json", lambda prev, text: chain.GENESIS)

    def in_atomic(*args):
        with transaction.atomic():
            return store.append(*args)

    setting = "on" if sync_commit else "off"
    with connection.cursor() as cursor:
        cursor.execute(f"SET synchronous_commit = {setting}")
    store.append(f"bench:{run}:warm", 0, batch())
    in_atomic(f"bench:{run}:warm-atomic", 0, batch())
    with unchained():
        store.append(f"bench:{run}:warm-unchained", 0, batch())
    elapsed = {"store": 0.0, "store in atomic": 0.0, "unchained": 0.0, "raw": 0.0, "raw autocommit": 0.0}
    insert = f"INSERT INTO bench_raw_event ({COLUMNS}) VALUES " + ", ".join(["(" + ", ".join(["%s"] * 14) + ")"] * 5)
    with psycopg.connect(BENCH_URL) as raw, psycopg.connect(BENCH_URL, autocommit=True) as raw_auto:
        raw_auto.execute(f"SET synchronous_commit = {setting}")
        raw.execute(f"SET synchronous_commit = {setting}")
        raw.commit()
        raw.execute("DROP TABLE IF EXISTS bench_raw_event")
        raw.execute("CREATE TABLE bench_raw_event (LIKE pacta_event INCLUDING ALL)")
        raw.execute("INSERT INTO bench_raw_event SELECT * FROM pacta_event")
        raw.commit()
        raw_auto.execute("VACUUM ANALYZE pacta_event")
        raw_auto.execute("VACUUM ANALYZE bench_raw_event")

        def stored_after(position):
            rows = raw.execute(f"SELECT {COLUMNS} FROM pacta_event WHERE position > %s ORDER BY position",
                               [position]).fetchall()
            raw.commit()
            return [[v if k != 6 else Jsonb(v) for row in rows[n:n + 5] for k, v in enumerate(row)]
                    for n in range(0, len(rows), 5)]

        per_round = 20  # short rounds: the machine's load changes within seconds, and hits each writer alike
        rounds = max(1, commands // per_round)
        for r in range(rounds):
            start = store.last_position()
            t0 = time.perf_counter()
            for i in range(per_round):
                store.append(f"bench:{run}:{r}:{i}", 0, batch())
            elapsed["store"] += time.perf_counter() - t0
            plain_rows = stored_after(start)

            start = store.last_position()
            t0 = time.perf_counter()
            for i in range(per_round):
                in_atomic(f"bench:{run}:a:{r}:{i}", 0, batch())
            elapsed["store in atomic"] += time.perf_counter() - t0
            atomic_rows = stored_after(start)

            with unchained():
                t0 = time.perf_counter()
                for i in range(per_round):
                    store.append(f"bench:{run}:u:{r}:{i}", 0, batch())
                elapsed["unchained"] += time.perf_counter() - t0

            t0 = time.perf_counter()
            for params in plain_rows:
                raw.execute(insert, params)
                raw.commit()
            elapsed["raw"] += time.perf_counter() - t0

            t0 = time.perf_counter()
            for params in atomic_rows:
                raw_auto.execute(insert, params)
            elapsed["raw autocommit"] += time.perf_counter() - t0
        raw.execute("DROP TABLE bench_raw_event")
        raw.commit()
    connection.close()
    appended = rounds * per_round * 5
    return {name: appended / seconds for name, seconds in elapsed.items()}


def build_clause(slug: str, depth: int) -> str:
    """An agreement whose art_1 has `depth` versions, appended through the store and projected."""
    from agreements.domain import events
    from agreements.domain.identities import clause_identity, stream_id, work_uri
    from agreements.projections.projector import Projector
    from django.db import transaction

    from registry.eventstore import store
    from registry.eventstore.store import NewEvent

    clause_id = clause_identity(slug, "art_1")
    first = [
        events.AgreementDrafted(slug=slug, title=slug, kind="agreement", work_uri=work_uri(slug, "1990")),
        events.ClauseAdded(clause_id=clause_id, eid="art_1", text="v0", text_kind="official", effective="1990-01-01"),
    ]
    amendments = [
        events.ClauseAmended(clause_id=clause_id, eid="art_1", text=f"v{i}",
                        effective=(dt.date(1990, 1, 1) + dt.timedelta(days=i)).isoformat())
        for i in range(1, depth)
    ]
    all_events = first + amendments
    version = 0
    projector = Projector()
    for start in range(0, len(all_events), 200):
        chunk = all_events[start:start + 200]
        with transaction.atomic():
            recorded = store.append(stream_id(slug), version, [
                NewEvent(type=ev.type, payload=ev.payload(), effective=ev.valid_time() or "") for ev in chunk
            ])
            projector.project(recorded)
        version += len(chunk)
        print(f"\r  building {slug}: {version}/{len(all_events)} events", end="", file=sys.stderr)
    print(file=sys.stderr)
    return clause_id


def analyze_built() -> list[str]:
    """Fresh planner statistics for every table of the project, after building and before timing.

    PostgreSQL plans from statistics that autovacuum keeps, late or (on some machines) never: timed on tables
    the planner still thinks small, the as-of ratio measured 4 to 5 on a database earlier runs had filled and
    1.03 on a fresh one. Analysed, both read the same. (registry.statistics: nothing to do on SQLite.)"""
    from django.db import connection

    from registry import statistics

    return statistics.refresh(connection.introspection.table_names())


def time_reads(clause_id, depth, reads) -> float:
    from agreements.queries.time import TimePoint
    from agreements.queries.clauses import clause_version_at

    rng = random.Random(42)
    days = [dt.date(1990, 1, 1) + dt.timedelta(days=rng.randrange(depth)) for _ in range(reads)]
    samples = []
    for day in days:
        t0 = time.perf_counter()
        entry = clause_version_at(clause_id, TimePoint.of(as_of=day))
        samples.append(time.perf_counter() - t0)
        assert entry is not None
    return statistics.median(samples)


def bench_as_of(depth: int, reads: int) -> tuple[float, float]:
    run = uuid.uuid4().hex[:8]
    shallow = build_clause(f"bench-{run}-shallow", 10)
    deep = build_clause(f"bench-{run}-deep", depth)
    analyzed = analyze_built()
    print(f"  analysed {len(analyzed)} tables before timing", file=sys.stderr)
    time_reads(shallow, 10, 200)  # warm up
    time_reads(deep, depth, 200)
    # Interleave rounds so noise hits both alike.
    shallow_t, deep_t = [], []
    for _ in range(5):
        shallow_t.append(time_reads(shallow, 10, reads))
        deep_t.append(time_reads(deep, depth, reads))
    return statistics.median(shallow_t), statistics.median(deep_t)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commands", type=int, default=2000)
    parser.add_argument("--depth", type=int, default=10_000)
    parser.add_argument("--reads", type=int, default=400)
    parser.add_argument("--runs", type=int, default=1, help="append measurements, each of --commands")
    parser.add_argument("--append-only", action="store_true", help="skip the as-of read measurement")
    parser.add_argument("--no-sync-commit", action="store_true",
                        help="diagnostic: synchronous_commit off on both sides (no wait for the disk)")
    args = parser.parse_args(argv)
    ensure_database(BENCH_URL)
    setup_django()
    print(f"database: {BENCH_URL}")
    runs = [bench_append(args.commands, not args.no_sync_commit) for _ in range(args.runs)]
    if args.no_sync_commit:
        print("synchronous_commit off on every connection (store and raw): no wait for the WAL flush")
    for n, rates in enumerate(runs, 1):
        print(f"run {n}: " + ", ".join(f"{name} {rate:,.0f}" for name, rate in rates.items()) + " events/s")

    def ratio(name, over, target=""):
        values = sorted(rates[name] / rates[over] for rates in runs)
        print(f"  {name} / {over}: median {statistics.median(values):.2f}, range {values[0]:.2f}-{values[-1]:.2f}"
              f" over {len(values)} runs{target}")

    print("append, commands of 5 events:")
    ratio("store", "raw", " (target >= 0.8)")
    ratio("store", "raw autocommit")
    ratio("store in atomic", "raw")
    ratio("unchained", "raw")
    chain_costs = sorted(1 - rates["store"] / rates["unchained"] for rates in runs)
    print(f"  the chain's hashing costs {statistics.median(chain_costs) * 100:.0f}% of append throughput "
          f"(median; target < 10%)")
    if args.append_only:
        return
    shallow, deep = bench_as_of(args.depth, args.reads)
    print(f"as-of read of one clause: depth 10 {shallow * 1e3:.3f} ms, depth {args.depth:,} {deep * 1e3:.3f} ms,"
          f" ratio {deep / shallow:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
