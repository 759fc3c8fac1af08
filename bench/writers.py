"""Benchmark: concurrent writers through the API (issue 26 item 5), against the store's raw append in the same run.

    python -m bench.writers [--agreements 1000] [--writers 8] [--seconds 30] [--workers 4]

Builds (once) a registry of `--agreements` synthetic agreements of bench.scale's shape through the bulk path,
in its own database (BENCH_WRITERS_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/pacta_writers_bench,
suffixed with the size). One gunicorn (`--workers` sync workers) serves the registry; `--writers` client
threads, each with an archivist's token, draft an agreement of their own (`POST /api/v1/agreements/`) and then
send `AddClause` commands to it (`POST .../commands/` with `If-Match`) as fast as the server answers, for
`--seconds`. It prints:

- commands/s over all writers, p50, p99 and the longest latency, and every answer that was not a 201;
- the feed's gaps: the global feed (`GET /api/v1/events/`) paged from the position before the run, every
  position counted (target 0 gaps, every event the writers were answered with present once);
- the write path's events/s (events appended through the API over the run's duration) against the store's
  own append (`bench.store.bench_append`: `store.append` and raw psycopg INSERTs of the same rows, one
  transaction per command of 5 events), measured right after, on the same database.

Validation jobs go to a Redis queue of their own (BENCH_WRITERS_BROKER_URL, default redis://127.0.0.1:6379/6)
that nobody consumes, emptied at the end: a worker's validation is not the write path. Throttling is off for the bench's
server. Machines are shared and noisy: read the ratios, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from bench.serving import start_gunicorn

ROOT = Path(__file__).resolve().parents[1]
BASE_URL = os.environ.get("BENCH_WRITERS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pacta_writers_bench")
BROKER_URL = os.environ.get("BENCH_WRITERS_BROKER_URL", "redis://127.0.0.1:6379/6")
QUEUE = "pacta_writers_bench"


def database_url(size: int) -> str:
    parts = urlparse(BASE_URL)
    return parts._replace(path=f"{parts.path}_{size}").geturl()


def server_env(url: str) -> dict:
    env = dict(os.environ)
    env.pop("DATABASE_REPLICA_URLS", None)
    # Validation jobs go to a queue of the bench's own that nobody consumes (emptied at the end): with no
    # broker at all they would run inside each request, which is not the write path.
    env.update(CELERY_BROKER_URL=BROKER_URL, REDIS_URL=BROKER_URL, PACTA_CELERY_QUEUE=QUEUE, DATABASE_URL=url, DJANGO_SECRET_KEY="bench-only", DJANGO_SETTINGS_MODULE="registry.settings",
               PACTA_API_ANON_RATE="", PACTA_ANON_STATEMENT_TIMEOUT_MS="0", DJANGO_ALLOWED_HOSTS="127.0.0.1",
               DJANGO_SECURE_COOKIES="0", PYTHONPATH=str(ROOT))
    return env


def request(method: str, url: str, token: str, body=None, headers=None):
    """(status, headers, JSON body) of one request."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": f"Token {token}", "Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, response.headers, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def writer(base: str, token: str, number: int, run: str, until: float, out: list):
    slug = f"writers-{run}-{number}"
    status, _, body = request("POST", f"{base}/api/v1/agreements/", token,
                              {"slug": slug, "title": f"Written by writer {number}", "kind": "treaty"})
    if status != 201:
        out.append((0.0, f"draft {status}", 0, []))
        return
    version, n = body["version"], 0
    while time.perf_counter() < until:
        n += 1
        t0 = time.perf_counter()
        status, _, body = request("POST", f"{base}/api/v1/agreements/{slug}/commands/", token,
                                  {"type": "AddClause", "eid": f"art_{n}", "text": f"Article {n}.",
                                   "text_kind": "official"}, {"If-Match": f'"{version}"'})
        seconds = time.perf_counter() - t0
        if status == 201:
            version = body["version"]
            out.append((seconds, "201", len(body["events"]), [event["position"] for event in body["events"]]))
        else:
            out.append((seconds, str(status), 0, []))


def feed_positions(base: str, token: str, after: int) -> list[int]:
    positions = []
    url = f"{base}/api/v1/events/?after={after}&page_size=1000"
    while url:
        status, _, body = request("GET", url, token)
        if status != 200:
            raise RuntimeError(f"the feed answered {status}")
        positions += [event["position"] for event in body["results"]]
        url = body.get("next")
    return positions


def purge_queue():
    import redis

    redis.Redis.from_url(BROKER_URL).delete(QUEUE)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agreements", type=int, default=1000)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--append-commands", type=int, default=300, help="commands of the store's append bench")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)

    from bench import rebuild as rebuild_bench

    url = database_url(args.agreements)
    os.environ["BENCH_DATABASE_URL"] = url  # bench.store's raw connections: this database too
    rebuild_bench.setup_django(url)
    from django.core.management import call_command
    from django.db import connections

    from bench.store import bench_append
    from registry.eventstore.store import last_position

    written, seconds = rebuild_bench.build(args.agreements)
    if written:
        print(f"built {written:,} agreements in {seconds:.0f} s")
    with open(os.devnull, "w") as devnull:
        call_command("create_api_token", "bench-writer", "--role", "archivist", stdout=devnull)
    from rest_framework.authtoken.models import Token

    token = Token.objects.get(user__username="bench-writer").key
    start = last_position()
    connections.close_all()

    server, base = start_gunicorn(19000, server_env(url), args.workers)
    try:
        run = f"{os.getpid()}-{int(time.time())}"
        results = [[] for _ in range(args.writers)]
        t0 = time.perf_counter()
        threads = [threading.Thread(target=writer, args=(base, token, k, run, t0 + args.seconds, results[k]))
                   for k in range(args.writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        duration = time.perf_counter() - t0
        positions = feed_positions(base, token, start)
    finally:
        server.terminate()
        server.wait(timeout=30)
        purge_queue()

    done = [r for rs in results for r in rs if r[1] == "201"]
    refused = [r[1] for rs in results for r in rs if r[1] != "201"]
    latencies = sorted(r[0] for r in done)
    answered = sorted(p for r in done for p in r[3])
    gaps = (positions[-1] - start - len(positions)) if positions else 0
    missing = sorted(set(answered) - set(positions))
    events = last_position() - start
    print(f"registry: {args.agreements:,} agreements; {args.writers} writers through the API for {duration:.1f} s, "
          f"gunicorn with {args.workers} sync workers, PostgreSQL")
    if not latencies:
        sys.exit(f"no command succeeded: {sorted(set(refused))}")
    print(f"  commands/s           {len(done) / duration:8.1f}   ({len(done)} commands, {events} events appended)")
    print(f"  latency              p50 {statistics.median(latencies) * 1000:7.1f} ms   p99 "
          f"{latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000:7.1f} ms   longest "
          f"{latencies[-1] * 1000:7.1f} ms")
    if refused:
        counts = {code: refused.count(code) for code in sorted(set(refused))}
        print(f"  not 201              {counts}")
    print(f"  feed                 {len(positions)} positions after {start}, {gaps} gaps, "
          f"{len(missing)} answered events missing, {len(positions) - len(set(positions))} repeated")

    append = bench_append(args.append_commands)
    write_path = events / duration
    print(f"  write path           {write_path:8.0f} events/s (through the API, {args.writers} writers)")
    for name in ("store", "store in atomic", "raw"):
        if name in append:
            print(f"  {name:<20} {append[name]:8.0f} events/s (one writer, 5 events a command)   "
                  f"write path / {name}: {write_path / append[name]:.2f}")


if __name__ == "__main__":
    main()
