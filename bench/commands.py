"""Benchmark: the cost of a command on a long agreement against a short one, as a ratio.

    python -m bench.commands [--long 5000] [--commands 200]

Builds two agreements on PostgreSQL (BENCH_DATABASE_URL, as bench.store): one of 10 events and one of
`--long` events (a clause amended again and again), then times `services.handle(AmendClause)` on each,
interleaved in rounds, median per command (the outbox jobs it writes are not relayed during the run), and prints long/short (target <= 1.5). The first command on each
(a cold load, which replays the stream once) is printed apart: services.load keeps a thread's recent state,
validated against the stored stream's version and last hash, so later commands read only newer events.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
import uuid

from bench.store import BENCH_URL, analyze_built, build_clause, ensure_database, setup_django


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--long", type=int, default=5000)
    parser.add_argument("--commands", type=int, default=200)
    args = parser.parse_args(argv)
    ensure_database(BENCH_URL)
    setup_django()
    from agreements import services
    from agreements.domain import commands

    run = uuid.uuid4().hex[:8]
    short, long_ = f"bench-{run}-short", f"bench-{run}-long"
    build_clause(short, 10)
    build_clause(long_, args.long)
    analyze_built()  # time on fresh planner statistics, whatever earlier runs left in the database
    day = iter(range(1, 10**6))

    def amend(slug):
        effective = (dt.date(2030, 1, 1) + dt.timedelta(days=next(day))).isoformat()
        t0 = time.perf_counter()
        services.handle(commands.AmendClause(eid="art_1", text=f"text {effective}", effective=effective), slug=slug)
        return time.perf_counter() - t0

    # The outbox relay after commit would run validation eagerly in-process (no broker here): that is the
    # validation's cost, not the command's, so jobs are left unsent for the measurement.
    from unittest import mock

    from registry.outbox import outbox

    mock.patch.object(outbox, "relay_after_commit", lambda job_id: 0).start()
    cold = {slug: amend(slug) for slug in (short, long_)}
    times = {short: [], long_: []}
    for _ in range(args.commands):
        for slug in (short, long_):
            times[slug].append(amend(slug))
    s, l = statistics.median(times[short]), statistics.median(times[long_])
    print(f"database: {BENCH_URL}")
    print(f"first command (cold, replays once): 10 events {cold[short] * 1e3:.1f} ms, "
          f"{args.long:,} events {cold[long_] * 1e3:.1f} ms")
    print(f"handle(AmendClause), median of {args.commands}: 10 events {s * 1e3:.2f} ms, {args.long:,} events "
          f"{l * 1e3:.2f} ms, ratio {l / s:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
