"""Benchmark: bulk ingestion through services.handle_bulk against raw psycopg INSERT and COPY of the same event rows.

    python -m bench.bulk [--agreements 2000] [--batch 500] [--runs 1] [--load-only]

Builds `--agreements` synthetic agreements (2 parties, a signature, 10 clauses, 2 amendments, submit and
publish: 18 events each) through `services.handle_bulk` (decide, append, project, outbox job), then inserts
the very rows it stored into a copy of the event table (same columns, constraints and indexes, filled with
the rows stored before the run) with raw psycopg, one multi-row INSERT and one transaction per batch, and
prints events/s of each and the ratio (target >= 0.5); then the physical limit: `COPY` of the same rows into a
fresh copy of that table (one COPY and one transaction per batch), and the ratio bulk / COPY (target >= 0.5);
then, as a diagnostic beside that baseline (it does not replace it), COPY of the events plus COPY of the
read-model rows the load wrote into empty copies of their tables (read_model_copy_seconds): what the load must
write at least, and the seconds of each of its parts (which table's rows cost most to write, with no Python in the
way); then the medians and ranges over `--runs`. The outbox job is written but not relayed during the run (validation is not ingestion). `--load-only` times the
bulk load alone at a size the baselines would not fit in memory (e.g. 100,000 agreements), its rate along the
way, and what a million agreements would take at it. PostgreSQL:
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


def read_model_copy_seconds(raw, run: str, batch: int, parts: dict | None = None) -> float:
    """Seconds to COPY the read-model rows this run's load wrote (every table but the events' that the load
    fills: agreements, details, parties, lifecycle, clause versions with their generated search column, ...)
    into empty copies of their tables (columns, generated columns, indexes, the GIN indexes' upkeep deferred
    to each batch's end as the load defers it; no foreign keys or triggers: a floor, lower than what the real
    tables cost), one transaction per batch of `batch` agreements. A
    diagnostic beside the COPY baseline, which it does not replace: events COPY + this = what the load
    must write at least, so bulk / (events COPY + read-model COPY) says how near the load is to that.
    `parts`, if given, gets the seconds of each table's COPY (the GIN indexes' catching up and the commits
    under "gin upkeep and commit"): the profile of the floor."""
    from agreements.projections.bulk import NewAgreementsProjector

    ids = [i for (i,) in raw.execute("SELECT id FROM pacta_agreement WHERE slug LIKE %s ORDER BY id",
                                     [f"bulk-{run}-%"]).fetchall()]
    batches = [ids[i:i + batch] for i in range(0, len(ids), batch)]
    texts, columns = {}, {}
    for table in NewAgreementsProjector.tables():
        columns[table] = ", ".join(c for (c,) in raw.execute(
            "SELECT quote_ident(column_name) FROM information_schema.columns WHERE table_name = %s "
            "AND is_generated = 'NEVER' ORDER BY ordinal_position", [table]).fetchall())
        key = "id" if table == "pacta_agreement" else "agreement_id"
        for n, chunk in enumerate(batches):
            out = bytearray()
            with raw.cursor().copy(f"COPY (SELECT {columns[table]} FROM {table} WHERE {key} = ANY(%s)) TO STDOUT",
                                   [chunk]) as copy:
                for data in copy:
                    out += data
            texts[table, n] = bytes(out)
        raw.execute(f"DROP TABLE IF EXISTS bench_floor_{table}")
        raw.execute(f"CREATE TABLE bench_floor_{table} (LIKE {table} INCLUDING ALL)")
    # The GIN indexes gather each batch's rows and take them in before it commits, as the load defers them.
    gin = [name for (name,) in raw.execute(
        "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON "
        "t.oid = i.indrelid JOIN pg_am am ON am.oid = c.relam WHERE am.amname = 'gin' AND t.relname LIKE "
        "'bench_floor_%'").fetchall()]
    for name in gin:
        raw.execute(f"ALTER INDEX {name} SET (fastupdate = on)")
    raw.commit()
    parts = {} if parts is None else parts
    t0 = time.perf_counter()
    for n in range(len(batches)):
        raw.execute("SELECT set_config('gin_pending_list_limit', '1GB', true)")
        for table in NewAgreementsProjector.tables():
            t1 = time.perf_counter()
            with raw.cursor().copy(f"COPY bench_floor_{table} ({columns[table]}) FROM STDIN") as copy:
                copy.write(texts[table, n])
            parts[table] = parts.get(table, 0.0) + time.perf_counter() - t1
        t1 = time.perf_counter()
        for name in gin:
            raw.execute("SELECT gin_clean_pending_list(%s::regclass)", [name])
        raw.commit()
        parts["gin upkeep and commit"] = parts.get("gin upkeep and commit", 0.0) + time.perf_counter() - t1
    seconds = time.perf_counter() - t0
    for table in NewAgreementsProjector.tables():
        raw.execute(f"DROP TABLE bench_floor_{table}")
    raw.commit()
    return seconds


def measure(agreements: int, batch: int) -> tuple[float, float, float, int, int, float, dict]:
    """One run: (bulk events/s, raw INSERT events/s, raw COPY events/s, agreements created, events, the floor's
    events/s: COPY of the events and of the read-model rows, read_model_copy_seconds; the floor's seconds by
    part: the events' COPY and each table's)."""
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
        parts = {"pacta_event": copy_seconds}
        floor_seconds = copy_seconds + read_model_copy_seconds(raw, run, batch, parts)
    return (events / bulk_seconds, events / raw_seconds, events / copy_seconds, len(result.created), events,
            events / floor_seconds, parts)


def load_only(agreements: int, batch: int) -> None:
    """`--load-only`: the bulk load alone at scale, the agreements fed as a generator (a batch in memory at a
    time), its rate printed every tenth of the way (does it fall as the tables grow? batches are counted when
    the loading thread hands over the next, so a tenth's figure is off by up to two batches), then the whole
    load's events/s and the time a million agreements of this shape would take at that rate, and at the rate
    of the tenth before the last."""
    from agreements import services

    start, marks = time.perf_counter(), []
    step = max(batch, agreements // 10)
    per_agreement = len(next(corpus("shape", 1)).commands)  # one event each, for the rate along the way

    def progress(done):
        if done % step == 0 or done == agreements:
            now = time.perf_counter()
            since, last = marks[-1] if marks else (0, start)
            marks.append((done, now))
            print(f"  {done:,} agreements in {now - start:,.0f} s; the last {done - since:,}: "
                  f"{(done - since) * per_agreement / (now - last):,.0f} events/s", flush=True)

    result = services.handle_bulk(corpus(uuid.uuid4().hex[:8], agreements), batch=batch, progress=progress)
    seconds = time.perf_counter() - start
    rate, each = result.events / seconds, result.events / max(1, len(result.created))
    # Batches are counted as the loading thread hands over the next (the last ones together at the end): the
    # last tenth's rate is read from the tenth before it.
    (a, t_a), (b, t_b) = marks[-3] if len(marks) > 2 else (0, start), marks[-2] if len(marks) > 1 else marks[-1]
    late = (b - a) * each / max(t_b - t_a, 1e-9)
    million = 1_000_000 * each
    print(f"load only: {len(result.created):,} agreements, {result.events:,} events ({each:.0f} each) in "
          f"{seconds:,.0f} s (ANALYZE included): {rate:,.0f} events/s; a million agreements ({million:,.0f} "
          f"events) at that rate: {million / rate / 60:,.0f} minutes")
    if step >= 10 * batch:  # a tenth spans enough batches for the two counted late to matter little
        print(f"  at the rate of the tenth before the last ({late:,.0f} events/s): {million / late / 60:,.0f} minutes")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agreements", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--load-only", action="store_true",
                        help="time the bulk load alone, its rate along the way (no baselines; for large sizes)")
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
    if args.load_only:
        load_only(args.agreements, args.batch)
        return
    ratios, copy_ratios, floor_ratios = [], [], []
    for n in range(1, args.runs + 1):
        bulk, raw, copied, created, events, floor, parts = measure(args.agreements, args.batch)
        ratios.append(bulk / raw)
        copy_ratios.append(bulk / copied)
        floor_ratios.append(bulk / floor)
        print(f"run {n}: bulk ingestion of {created:,} agreements ({events:,} events, batches of {args.batch}): "
              f"{bulk:,.0f} events/s; raw psycopg INSERT of the same rows {raw:,.0f} events/s (ratio "
              f"{bulk / raw:.3f}); COPY of the same rows {copied:,.0f} events/s (ratio {bulk / copied:.3f}); "
              f"diagnostic: COPY of the events and of the read-model rows the load wrote {floor:,.0f} events/s "
              f"(ratio {bulk / floor:.3f})", flush=True)
        whole = sum(parts.values())
        print("  the floor by part: " + ", ".join(f"{name} {seconds:.2f} s ({seconds / whole:.0%})" for name, seconds
                                                  in sorted(parts.items(), key=lambda kv: -kv[1]) if seconds >= 0.005),
              flush=True)
    for name, values in (("bulk / raw INSERT", sorted(ratios)), ("bulk / COPY", sorted(copy_ratios)),
                         ("bulk / COPY of events and read models (diagnostic)", sorted(floor_ratios))):
        print(f"{name}: median {statistics.median(values):.3f}, range {values[0]:.3f}-{values[-1]:.3f} over "
              f"{len(values)} runs (target >= 0.5)")


if __name__ == "__main__":
    main()
