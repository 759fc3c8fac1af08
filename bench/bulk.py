"""Benchmark: bulk ingestion through services.handle_bulk against raw psycopg INSERT and COPY of the same event rows.

    python -m bench.bulk [--agreements 2000] [--batch 500] [--runs 1]

Builds `--agreements` synthetic agreements (2 parties, a signature, 10 clauses, 2 amendments, submit and
publish: 17 events each) through `services.handle_bulk` (decide, append, project, outbox job), then inserts
the very rows it stored into a copy of the event table (same columns, constraints and indexes, filled with
the rows stored before the run) with raw psycopg, one multi-row INSERT and one transaction per batch, and
prints events/s of each and the ratio (target >= 0.5); then the physical limit: `COPY` of the same rows into a
fresh copy of that table (one COPY and one transaction per batch), and the ratio bulk / COPY (target >= 0.5);
then the medians and ranges over `--runs`. The
outbox job is written but not relayed during the run (validation is not ingestion). PostgreSQL:
BENCH_DATABASE_URL, as bench.store.
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid

from bench.store import BENCH_URL, ensure_database, setup_django


def corpus(run: str, n: int):
    from agreements import services
    from agreements.domain import commands

    for i in range(n):
        slug = f"bulk-{run}-{i}"
        yield services.NewAgreement(slug, [
            commands.DraftAgreement(slug=slug, title=f"Agreement {i}", kind="agreement"),
            commands.AddParty(party="TUR"), commands.AddParty(party="AZE"),
            commands.RecordLifecycle(action="signature", date="2010-08-16"),
            *[commands.AddClause(eid=f"art_{k}", text=f"Article {k} of agreement {i}: the parties cooperate " * 3,
                          text_kind="official", number=str(k)) for k in range(1, 11)],
            commands.AmendClause(eid="art_2", text="Amended text", effective="2012-01-01"),
            commands.AmendClause(eid="art_3", text="Amended text", effective="2013-01-01"),
            commands.SubmitForReview(), commands.Publish(uncited_reason="synthetic benchmark agreement"),
        ])


COLUMNS = ("position, stream_id, stream_version, event_id, type, schema_version, payload, effective, recorded_at, "
           "actor, causation_id, correlation_id, prev_hash, hash")


def measure(agreements: int, batch: int) -> tuple[float, float, float, int, int]:
    """One run: (bulk events/s, raw INSERT events/s, raw COPY events/s, agreements created, events)."""
    import psycopg
    from psycopg.types.json import Jsonb

    from agreements import services
    from registry.eventstore import store

    run = uuid.uuid4().hex[:8]
    plans = list(corpus(run, agreements))
    start = store.last_position()
    t0 = time.perf_counter()
    result = services.handle_bulk(plans, batch=batch)
    bulk_seconds = time.perf_counter() - t0
    events = result.events

    with psycopg.connect(BENCH_URL) as raw:
        rows = raw.execute(f"SELECT {COLUMNS} FROM pacta_event WHERE position > %s ORDER BY position",
                           [start]).fetchall()
        # The raw table: the event table's columns, constraints and indexes, holding the same rows it held
        # before this run, so that both writers insert into indexes of the same size.
        raw.execute("DROP TABLE IF EXISTS bench_raw_event")
        raw.execute("CREATE TABLE bench_raw_event (LIKE pacta_event INCLUDING ALL)")
        raw.execute("INSERT INTO bench_raw_event SELECT * FROM pacta_event WHERE position <= %s", [start])
        raw.commit()
        per_batch = max(1, len(rows) * batch // max(1, agreements))
        t0 = time.perf_counter()
        for i in range(0, len(rows), per_batch):
            chunk_rows = rows[i:i + per_batch]
            for j in range(0, len(chunk_rows), 4000):  # at most 65,535 parameters a statement
                chunk = chunk_rows[j:j + 4000]
                values = ", ".join(["(" + ", ".join(["%s"] * 14) + ")"] * len(chunk))
                params = [v if k != 6 else Jsonb(v) for row in chunk for k, v in enumerate(row)]
                raw.execute(f"INSERT INTO bench_raw_event ({COLUMNS}) VALUES {values}", params)
            raw.commit()
        raw_seconds = time.perf_counter() - t0
        raw.execute("DROP TABLE bench_raw_event")
        raw.execute("CREATE TABLE bench_raw_event (LIKE pacta_event INCLUDING ALL)")
        raw.execute("INSERT INTO bench_raw_event SELECT * FROM pacta_event WHERE position <= %s", [start])
        raw.commit()
        t0 = time.perf_counter()
        for i in range(0, len(rows), per_batch):
            with raw.cursor().copy(f"COPY bench_raw_event ({COLUMNS}) FROM STDIN") as copy:
                for row in rows[i:i + per_batch]:
                    copy.write_row([v if k != 6 else Jsonb(v) for k, v in enumerate(row)])
            raw.commit()
        copy_seconds = time.perf_counter() - t0
        raw.execute("DROP TABLE bench_raw_event")
        raw.commit()
    return events / bulk_seconds, events / raw_seconds, events / copy_seconds, len(result.created), events


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agreements", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args(argv)
    ensure_database(BENCH_URL)
    setup_django()
    from unittest import mock

    from sources.models import Party
    from registry.outbox import outbox

    mock.patch.object(outbox, "relay_after_commit", lambda job_id: 0).start()
    for code, name in (("TUR", "Türkiye"), ("AZE", "Azerbaijan")):
        Party.objects.get_or_create(code=code, defaults={"name": name, "kind": "state"})
    print(f"database: {BENCH_URL}")
    ratios, copy_ratios = [], []
    for n in range(1, args.runs + 1):
        bulk, raw, copied, created, events = measure(args.agreements, args.batch)
        ratios.append(bulk / raw)
        copy_ratios.append(bulk / copied)
        print(f"run {n}: bulk ingestion of {created:,} agreements ({events:,} events, batches of {args.batch}): "
              f"{bulk:,.0f} events/s; raw psycopg INSERT of the same rows {raw:,.0f} events/s (ratio "
              f"{bulk / raw:.3f}); COPY of the same rows {copied:,.0f} events/s (ratio {bulk / copied:.3f})")
    for name, values in (("bulk / raw INSERT", sorted(ratios)), ("bulk / COPY", sorted(copy_ratios))):
        print(f"{name}: median {statistics.median(values):.3f}, range {values[0]:.3f}-{values[-1]:.3f} over "
              f"{len(values)} runs (target >= 0.5)")


if __name__ == "__main__":
    main()
