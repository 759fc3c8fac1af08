"""Benchmark: a `follow` copy's catch-up rate against the bulk load's rate, and its lag under steady writes
(issue 26 item 3), in one run.

    python -m bench.follow [--agreements 1000] [--rate 10] [--seconds 30] [--workers 2] [--writers 1]

1. The primary (BENCH_FOLLOW_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/pacta_follow_bench, made
   afresh) is loaded with `--agreements` synthetic agreements of bench.scale's shape through the bulk path
   (`services.handle_bulk`): the bulk load's events/s.
2. One gunicorn (`--workers` sync workers) serves the primary; an empty, migrated copy (the same name with
   `_copy`) runs `manage.py follow URL --once` with an archivist's token: it pages the feed, verifies the
   chain and projects every event. Its events/s, and the ratio copy / bulk load (target >= 0.5).
3. `--writers` processes on the primary (each its own interpreter and connection: threads of one process
   share its GIL, and one writer alone waits for each commit) send `--rate` commands a second between them
   (`services.handle`, one event each) for `--seconds` while the copy runs `manage.py follow URL --interval
   0.5`; every half second the bench reads both heads: the lag in events (primary head - copy head) and in
   seconds (how long ago the primary recorded the first event the copy does not hold yet), p50, p99 and
   longest, beside the rate the primary reached (commands/s) and each command's latency (p50, p99).

Validation jobs go to a Redis queue nobody consumes (BENCH_FOLLOW_BROKER_URL, default
redis://127.0.0.1:6379/6), emptied at the end. Machines are shared and noisy: read the ratios.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from bench.serving import start_gunicorn

ROOT = Path(__file__).resolve().parents[1]
PRIMARY_URL = os.environ.get("BENCH_FOLLOW_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pacta_follow_bench")
BROKER_URL = os.environ.get("BENCH_FOLLOW_BROKER_URL", "redis://127.0.0.1:6379/6")
QUEUE = "pacta_follow_bench"


def copy_url() -> str:
    parts = urlparse(PRIMARY_URL)
    return parts._replace(path=f"{parts.path}_copy").geturl()


def fresh_database(url: str):
    import psycopg

    name = urlparse(url).path.lstrip("/")
    admin = urlparse(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def env_for(url: str) -> dict:
    env = dict(os.environ)
    env.pop("DATABASE_REPLICA_URLS", None)
    env.update(DATABASE_URL=url, CELERY_BROKER_URL=BROKER_URL, REDIS_URL=BROKER_URL, PACTA_CELERY_QUEUE=QUEUE,
               DJANGO_SECRET_KEY="bench-only", DJANGO_SETTINGS_MODULE="registry.settings", PACTA_API_ANON_RATE="",
               PACTA_ANON_STATEMENT_TIMEOUT_MS="0", DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_SECURE_COOKIES="0",
               PYTHONPATH=str(ROOT))
    return env


def head(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT COALESCE(MAX(position), 0) FROM pacta_event").fetchone()[0]


def recorded_at(url: str, position: int):
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT recorded_at FROM pacta_event WHERE position = %s", [position]).fetchone()
        return row[0] if row else None


def _writer(rate: float, seconds: float, latencies, k: int = 0):
    """One writer process: a new agreement, then one AddClause every 1/rate s for `seconds` (each command's
    latency in seconds put on `latencies`, then None)."""
    from django.db import connection

    from agreements import services
    from agreements.domain import commands

    connection.close()  # the parent's, inherited by the fork: this process opens its own
    slug = f"follow-bench-{os.getpid()}-{int(time.time())}-{k}"
    services.handle(commands.DraftAgreement(slug=slug, title="Written while a copy follows", kind="treaty"), slug=slug)
    n, next_at, until, mine = 0, time.perf_counter(), time.perf_counter() + seconds, []
    while time.perf_counter() < until:
        n += 1
        started = time.perf_counter()
        services.handle(commands.AddClause(eid=f"art_{n}", text=f"Article {n}.", text_kind="official"), slug=slug)
        mine.append(time.perf_counter() - started)
        next_at += 1 / rate
        time.sleep(max(0.0, next_at - time.perf_counter()))
    latencies.put(mine)
    connection.close()


def quantile(values, q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agreements", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=10, help="commands per second on the primary in step 3")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--writers", type=int, default=1,
                        help="writer processes on the primary in step 3, sharing --rate (one alone may not reach "
                             "it: each command waits for its commit)")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)

    fresh_database(PRIMARY_URL)
    fresh_database(copy_url())
    os.environ.update(env_for(PRIMARY_URL))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from bench import scale
    from registry.eventstore.store import last_position

    call_command("migrate", verbosity=0)
    subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env_for(copy_url()),
                   check=True)
    scale.ensure_parties()
    subprocess.run([sys.executable, "-c", "import django; django.setup(); from bench import scale; scale.ensure_parties()"],
                   cwd=ROOT, env=env_for(copy_url()), check=True)  # the copy's reference data, as an operator loads it
    t0 = time.perf_counter()
    scale._write_bulk(list(range(args.agreements)))
    bulk_seconds = time.perf_counter() - t0
    print(file=sys.stderr)
    loaded = last_position()
    with open(os.devnull, "w") as devnull:
        call_command("create_api_token", "bench-follower", "--role", "archivist", stdout=devnull)
    from rest_framework.authtoken.models import Token

    token = Token.objects.get(user__username="bench-follower").key
    connections.close_all()

    server, base = start_gunicorn(20000, env_for(PRIMARY_URL), args.workers)
    follower = None
    try:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "manage.py", "follow", base, "--token", token, "--once", "--page", "1000"],
                       cwd=ROOT, env=env_for(copy_url()), check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        copy_seconds = time.perf_counter() - t0
        copied = head(copy_url())

        follower = subprocess.Popen([sys.executable, "manage.py", "follow", base, "--token", token, "--interval", "0.5",
                                     "--page", "1000"], cwd=ROOT, env=env_for(copy_url()),
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import multiprocessing

        connections.close_all()
        fork = multiprocessing.get_context("fork")
        latencies = fork.Queue()
        writers = [fork.Process(target=_writer, args=(args.rate / args.writers, args.seconds, latencies, k))
                   for k in range(args.writers)]
        for writer in writers:
            writer.start()
        lags, seconds_behind = [], []
        while any(writer.is_alive() for writer in writers) and len(lags) < 4 * args.seconds + 60:
            time.sleep(0.5)
            primary, copy = head(PRIMARY_URL), head(copy_url())
            lags.append(primary - copy)
            first_missing = recorded_at(PRIMARY_URL, copy + 1) if primary > copy else None
            if first_missing is not None:
                import datetime as dt

                seconds_behind.append((dt.datetime.now(dt.timezone.utc) - first_missing).total_seconds())
            else:
                seconds_behind.append(0.0)
        count = [t for _ in writers for t in latencies.get(timeout=60)]
        for writer in writers:
            writer.join()
        written_seconds = args.seconds
    finally:
        if follower is not None:
            follower.terminate()
            follower.wait(timeout=30)
        server.terminate()
        server.wait(timeout=30)
        import redis

        redis.Redis.from_url(BROKER_URL).delete(QUEUE)

    bulk_rate, copy_rate = loaded / bulk_seconds, copied / copy_seconds
    print(f"primary: {args.agreements:,} agreements, {loaded:,} events; gunicorn with {args.workers} sync workers, "
          f"PostgreSQL; load average {os.getloadavg()[0]:.1f}")
    print(f"  bulk load           {bulk_rate:8.0f} events/s ({bulk_seconds:.1f} s)")
    print(f"  follow --once       {copy_rate:8.0f} events/s ({copied:,} events in {copy_seconds:.1f} s, "
          f"pages of 1000, verified and projected)   copy / bulk load: {copy_rate / bulk_rate:.2f}")
    print(f"  under {len(count) / written_seconds:.1f} commands/s on the primary ({args.writers} writer processes "
          f"asked for {args.rate:g}/s) for {written_seconds:.0f} s, the copy following every 0.5 s:")
    print(f"    command latency    p50 {quantile(count, 0.5) * 1000:6.0f} ms   p99 {quantile(count, 0.99) * 1000:6.0f} ms")
    print(f"    lag in events      p50 {quantile(lags, 0.5):6.0f}   p99 {quantile(lags, 0.99):6.0f}   "
          f"longest {max(lags):6.0f}")
    print(f"    lag in seconds     p50 {quantile(seconds_behind, 0.5):6.1f}   p99 {quantile(seconds_behind, 0.99):6.1f}   "
          f"longest {max(seconds_behind):6.1f}")


if __name__ == "__main__":
    main()
