"""Benchmark: bulk ingestion through services.handle_bulk against raw psycopg INSERTs of the same event rows.

    python -m bench.bulk [--agreements 2000] [--batch 500]

Builds `--agreements` synthetic agreements (2 parties, a signature, 10 clauses, 2 amendments, submit and
publish: 17 events each) through `services.handle_bulk` (decide, append, project, outbox job), then inserts
the very rows it stored into a copy of the event table (same indexes) with raw psycopg, one multi-row
INSERT and one transaction per batch, and prints events/s of each and the ratio (target >= 0.5). The
outbox job is written but not relayed during the run (validation is not ingestion). PostgreSQL:
BENCH_DATABASE_URL, as bench.store.
"""

from __future__ import annotations

import argparse
import time
import uuid

from bench.store import BENCH_URL, ensure_database, setup_django


def corpus(run: str, n: int):
    from agreements import services
    from agreements.domain import commands as c

    for i in range(n):
        slug = f"bulk-{run}-{i}"
        yield services.NewAgreement(slug, [
            c.DraftAgreement(slug=slug, title=f"Agreement {i}", kind="agreement"),
            c.AddParty(party="TUR"), c.AddParty(party="AZE"),
            c.RecordLifecycle(action="signature", date="2010-08-16"),
            *[c.AddClause(eid=f"art_{k}", text=f"Article {k} of agreement {i}: the parties cooperate " * 3,
                          text_kind="official", number=str(k)) for k in range(1, 11)],
            c.AmendClause(eid="art_2", text="Amended text", effective="2012-01-01"),
            c.AmendClause(eid="art_3", text="Amended text", effective="2013-01-01"),
            c.SubmitForReview(), c.Publish(uncited_reason="synthetic benchmark agreement"),
        ])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agreements", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args(argv)
    ensure_database(BENCH_URL)
    setup_django()
    from unittest import mock

    import psycopg
    from psycopg.types.json import Jsonb

    from agreements import services
    from sources.models import Party
    from registry.eventstore import store
    from registry.outbox import outbox

    mock.patch.object(outbox, "relay_after_commit", lambda job_id: 0).start()
    for code, name in (("TUR", "Türkiye"), ("AZE", "Azerbaijan")):
        Party.objects.get_or_create(code=code, defaults={"name": name, "kind": "state"})
    run = uuid.uuid4().hex[:8]
    plans = list(corpus(run, args.agreements))
    start = store.last_position()
    t0 = time.perf_counter()
    result = services.handle_bulk(plans, batch=args.batch)
    bulk_seconds = time.perf_counter() - t0
    events = result.events

    columns = ("position, stream_id, stream_version, event_id, type, schema_version, payload, effective, "
               "recorded_at, actor, causation_id, correlation_id, prev_hash, hash")
    with psycopg.connect(BENCH_URL) as raw:
        rows = raw.execute(f"SELECT {columns} FROM pacta_event WHERE position > %s ORDER BY position",
                           [start]).fetchall()
        raw.execute("DROP TABLE IF EXISTS bench_raw_event")
        raw.execute("CREATE TABLE bench_raw_event (LIKE pacta_event INCLUDING ALL)")
        raw.commit()
        per_batch = max(1, len(rows) * args.batch // max(1, args.agreements))
        t0 = time.perf_counter()
        for i in range(0, len(rows), per_batch):
            batch = rows[i:i + per_batch]
            for j in range(0, len(batch), 4000):  # at most 65,535 parameters a statement
                chunk = batch[j:j + 4000]
                values = ", ".join(["(" + ", ".join(["%s"] * 14) + ")"] * len(chunk))
                params = [v if k != 6 else Jsonb(v) for row in chunk for k, v in enumerate(row)]
                raw.execute(f"INSERT INTO bench_raw_event ({columns}) VALUES {values}", params)
            raw.commit()
        raw_seconds = time.perf_counter() - t0
        raw.execute("DROP TABLE bench_raw_event")
        raw.commit()
    print(f"database: {BENCH_URL}")
    print(f"bulk ingestion of {len(result.created):,} agreements ({events:,} events, batches of {args.batch}): "
          f"{events / bulk_seconds:,.0f} events/s; raw psycopg INSERT of the same rows {events / raw_seconds:,.0f} "
          f"events/s; ratio {raw_seconds / bulk_seconds:.3f} (target >= 0.5)")


if __name__ == "__main__":
    main()
