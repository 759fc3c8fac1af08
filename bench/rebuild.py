"""Benchmark: how long writers and readers wait while the read models are rebuilt, against the same clients with
no rebuild running, in the same run.

    python -m bench.rebuild [--agreements 10000] [--writers 4] [--rate 20] [--baseline 20] [--in-place]

Builds (once) a registry of `--agreements` synthetic agreements of bench.scale's shape (about 20 events each,
every 1,000th a long one) through the bulk ingestion path, in its own database. Then `--writers` processes
send commands through `services.handle` (the write path: the projections' lock, append, project, outbox),
`--rate` commands a second between them, each timing every command, and one more process reads an
agreement page's queries in a loop, timing each read:

1. `--baseline` seconds with no rebuild: the longest and the 99th-percentile write and read;
2. a rebuild beside the live read models (`rebuild_beside`) while they keep going: the same figures over the
   rebuild's duration, its rate in events/s, its rounds, and how long the switch held writes out;
3. with `--in-place`, a rebuild in place (`rebuild_in_place`, the stop-the-world one) the same way.

Ratios: the longest write during the rebuild against the longest write with none; and against the rebuild's
duration, which is what a writer waits through a rebuild in place. A command refused (503) or failed is
counted and printed. PostgreSQL: BENCH_REBUILD_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/pacta_rebuild_bench), suffixed with the size. Machines are shared and
noisy: read the ratios, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from urllib.parse import urlparse

BASE_URL = os.environ.get("BENCH_REBUILD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pacta_rebuild_bench")


def database_url(size: int) -> str:
    parts = urlparse(BASE_URL)
    return parts._replace(path=f"{parts.path}_{size}").geturl()


def setup_django(url: str):
    from bench.store import ensure_database

    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("DATABASE_REPLICA_URLS", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(size: int) -> tuple[int, float]:
    """The synthetic agreements missing below `size`, through the bulk path; (agreements written, seconds)."""
    from bench import scale

    scale.ensure_parties()
    existing = scale.existing_slugs()
    missing = [i for i in range(size) if scale.slug_of(i) not in existing]
    t0 = time.perf_counter()
    if missing:
        scale._write_bulk(missing)
        print(file=sys.stderr)
    return len(missing), time.perf_counter() - t0


# ------------------------------------------------------------------------------------------------ clients


def _writer(number: int, interval: float, stop, results):
    """Add clauses to agreements of its own, one command every `interval` seconds; (start, seconds, ok) each."""
    from django.db import connection

    from agreements import services
    from agreements.domain import commands

    connection.close()
    timings, n, slug = [], 0, None
    run = f"{os.getpid()}-{int(time.time())}"
    next_at = time.perf_counter()
    while not stop.is_set():
        if n % 50 == 0:
            slug = f"rebuild-bench-{run}-{number}-{n // 50}"
            command = commands.DraftAgreement(slug=slug, title=f"Written during a rebuild {n}", kind="treaty")
        else:
            command = commands.AddClause(eid=f"art_{n % 50}", text=f"Article {n}.", text_kind="official")
        started, t0 = time.time(), time.perf_counter()
        try:
            services.handle(command, slug=slug)
            ok = "ok"
        except Exception as exc:  # noqa: BLE001 - a refused or failed command is what this bench counts
            ok = type(exc).__name__
        timings.append((started, time.perf_counter() - t0, ok))
        n += 1
        next_at += interval
        time.sleep(max(0.0, next_at - time.perf_counter()))
    connection.close()
    results.put(timings)


def _reader(stop, results):
    """An agreement page's main reads (the row, its current clauses, its parties), in a loop; (start, s, ok)."""
    from django.db import connection

    from agreements.projections.models import AgreementParty, AgreementRecord, ClauseVersion

    connection.close()
    slugs = list(AgreementRecord.objects.order_by("id").values_list("slug", flat=True)[:500])
    timings, n = [], 0
    while not stop.is_set():
        slug = slugs[n % len(slugs)]
        started, t0 = time.time(), time.perf_counter()
        try:
            record = AgreementRecord.objects.get(slug=slug)
            list(ClauseVersion.objects.filter(agreement=record, known_to__isnull=True).values_list("eid", "text"))
            list(AgreementParty.objects.filter(agreement=record, known_to__isnull=True).values_list("party_code"))
            ok = "ok"
        except Exception as exc:  # noqa: BLE001
            ok = type(exc).__name__
        timings.append((started, time.perf_counter() - t0, ok))
        n += 1
        time.sleep(0.02)
    connection.close()
    results.put(timings)


def _progress(done, total, _seen=[0]):
    _seen[0] += done
    print(f"\r  {_seen[0]:,} events projected; head of the log {total:,}", end="", file=sys.stderr)


class Clients:
    def __init__(self, writers: int, rate: float):
        from django.db import connections

        connections.close_all()  # never share the parent's connection with the children
        context = multiprocessing.get_context("fork")
        self.stop, self.writes, self.reads = context.Event(), context.Queue(), context.Queue()
        self.processes = [context.Process(target=_writer, args=(k, writers / rate, self.stop, self.writes))
                          for k in range(writers)]
        self.processes.append(context.Process(target=_reader, args=(self.stop, self.reads)))
        for process in self.processes:
            process.start()

    def finish(self):
        self.stop.set()
        writes = [t for _ in self.processes[:-1] for t in self.writes.get()]
        reads = self.reads.get()
        for process in self.processes:
            process.join()
        return writes, reads


def _window(timings, start, end):
    """The operations that were under way during [start, end)."""
    return [t for t in timings if t[0] < end and t[0] + t[1] >= start]


def _figures(timings):
    ok = sorted(seconds for _, seconds, outcome in timings if outcome == "ok")
    failed = [outcome for _, _, outcome in timings if outcome != "ok"]
    if not ok:
        return {"n": 0, "max": float("nan"), "p99": float("nan"), "failed": failed}
    return {"n": len(ok), "max": ok[-1], "p99": ok[min(len(ok) - 1, int(len(ok) * 0.99))], "failed": failed}


def _line(name, figures):
    failed = f", {len(figures['failed'])} failed ({', '.join(sorted(set(figures['failed'])))})" if figures["failed"] else ""
    return f"  {name:<34} {figures['n']:>6} ops   longest {figures['max'] * 1000:9.1f} ms   p99 {figures['p99'] * 1000:8.1f} ms{failed}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agreements", type=int, default=10000)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--rate", type=float, default=20, help="commands per second, all writers together")
    parser.add_argument("--baseline", type=float, default=20, help="seconds of clients with no rebuild")
    parser.add_argument("--in-place", action="store_true", help="also time a rebuild in place (stop-the-world)")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)

    setup_django(database_url(args.agreements))
    from django.conf import settings
    from django.db import connection

    from agreements.projections.rebuild import rebuild_beside, rebuild_in_place
    from registry.eventstore.store import last_position

    written, seconds = build(args.agreements)
    if written:
        print(f"built {written:,} agreements in {seconds:.0f} s")
    settings.PACTA_REBUILD_WAIT_SECONDS = 3600  # writers wait through a rebuild in place instead of a 503
    print(f"registry: {args.agreements:,} agreements, {last_position():,} events; {args.writers} writers at "
          f"{args.rate:g} commands/s, 1 reader")
    connection.close()

    runs = [("beside", rebuild_beside)] + ([("in place", rebuild_in_place)] if args.in_place else [])
    base_writes = None
    for number, (name, function) in enumerate(runs):
        # Clients start afresh for each rebuild, so each one's figures print as soon as it ends.
        clients = Clients(args.writers, args.rate)
        marks = {}
        if number == 0:
            marks["baseline"] = [time.time()]
            time.sleep(args.baseline)
            marks["baseline"].append(time.time())
        else:
            time.sleep(2)
        t0 = time.time()
        print(f"rebuilding {name}…", file=sys.stderr)
        report = function(progress=_progress)
        marks[name] = [t0, time.time()]
        connection.close()
        time.sleep(2)
        writes, reads = clients.finish()
        print(file=sys.stderr)
        if number == 0:
            base_writes = _figures(_window(writes, *marks["baseline"]))
            print(_line("writes, no rebuild", base_writes))
            print(_line("reads, no rebuild", _figures(_window(reads, *marks["baseline"]))))
        start, end = marks[name]
        figures = _figures(_window(writes, start, end))
        print(f"rebuild {name}: {report.events:,} events in {end - start:.1f} s ({report.events / (end - start):,.0f} "
              f"events/s), {report.rounds} round(s), writes held out {report.writes_held:.3f} s")
        print(_line(f"writes during the rebuild {name}", figures))
        print(_line(f"reads during the rebuild {name}", _figures(_window(reads, start, end))))
        print(f"  longest write: {figures['max'] / base_writes['max']:.1f}x the longest with no rebuild, "
              f"{figures['max'] / (end - start):.4f}x the rebuild's duration")


if __name__ == "__main__":
    main()
