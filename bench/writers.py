"""Benchmark: concurrent writers through the API (issue 26 item 5), against the store's raw append in the same run.

    python -m bench.writers [--agreements 1000] [--writers 8] [--seconds 30] [--workers 4] [--baseline-writers 1]
                            [--database NAME]

Builds (once) a registry of `--agreements` synthetic agreements of bench.scale's shape through the bulk path,
in its own database (BENCH_WRITERS_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/pacta_writers_bench,
suffixed with the size; `--database NAME` names it outright, e.g. a corpus bench.scale built). One gunicorn
(`--workers` sync workers) serves the registry, warmed by 3 untimed seconds of writes; `--writers` client
threads, each with an archivist's token, draft an agreement of their own (`POST /api/v1/agreements/`) and then
send `AddClause` commands to it (`POST .../commands/` with `If-Match`) as fast as the server answers, for
`--seconds`. With `--baseline-writers N` (default 1) a run of N writers comes first, on the same server, so
that the ratio of the two rates (how far the write path scales with concurrent writers) is measured in one run.
It prints, each figure with the load average of the machine at its end:

- commands/s over all writers, p50, p99 and the longest latency, and every answer that was not a 201;
- how long each write transaction held the event store's head locked (from the statement that took the lock to
  COMMIT: the window in which no other append can proceed), measured in the server by bench.writers_probe, and
  the share of the phase the lock was held;
- the feed's gaps: the global feed (`GET /api/v1/events/`) paged from the position before the run, every
  position checked (target: positions exactly start+1 .. head, each once, every event the writers were
  answered with present);
- the write path's events/s (events appended through the API over the run's duration) against the store's
  own append (`bench.store.bench_append`: `store.append` and raw psycopg INSERTs of the same rows, one
  transaction per command of 5 events), measured right after, on the same database; and its commands/s
  against the append's transactions/s (an AddClause is one event, the append bench's transaction five).

Validation jobs go to a Redis queue of their own (BENCH_WRITERS_BROKER_URL, default redis://127.0.0.1:6379/6)
that nobody consumes, emptied at the end: a worker's validation is not the write path. Throttling is off for the bench's
server. Machines are shared and noisy: read the ratios, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from bench.serving import start_gunicorn

ROOT = Path(__file__).resolve().parents[1]
BASE_URL = os.environ.get("BENCH_WRITERS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pacta_writers_bench")
BROKER_URL = os.environ.get("BENCH_WRITERS_BROKER_URL", "redis://127.0.0.1:6379/6")
QUEUE = "pacta_writers_bench"
# Where the server's probe (bench.writers_probe) writes how long each write transaction held the head's lock.
PROBE = f"/tmp/pacta-writers-probe-{os.getpid()}"


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
               DJANGO_SECURE_COOKIES="0", PYTHONPATH=str(ROOT), BENCH_WRITERS_PROBE=PROBE)
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


def loadavg() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


@dataclass
class Phase:
    writers: int
    duration: float
    done: list  # (seconds, "201", events, positions) of each command answered 201
    refused: list  # the status of each command that was not
    events: int  # events appended to the store over the phase
    load: str
    locks: str  # what LockSampler saw
    held: list  # seconds the head's lock was held, per write transaction (bench.writers_probe)

    @property
    def rate(self) -> float:
        return len(self.done) / self.duration

    def latency(self, q: float) -> float:
        latencies = sorted(r[0] for r in self.done)
        return latencies[min(len(latencies) - 1, int(len(latencies) * q))]


class LockSampler(threading.Thread):
    """Samples the server's connections to the database every 50 ms: how many run a statement, and how many of
    those wait for a lock (the append's counter row is the only lock writers share). The share of the writers'
    time spent waiting for a lock says whether the head's lock, not the machine, bounds the rate."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.stop, self.active, self.waiting, self.samples = url, threading.Event(), 0, 0, 0
        self.events = {}  # lock wait event (transactionid: a row another transaction holds; extend...) -> samples

    def run(self):
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            me = conn.info.backend_pid
            while not self.stop.wait(0.05):
                rows = conn.execute(
                    "SELECT wait_event_type, wait_event FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> %s AND state IN ('active', 'idle in transaction')", [me]).fetchall()
                self.samples += 1
                self.active += len(rows)
                for kind, event in rows:
                    if kind == "Lock":
                        self.waiting += 1
                        self.events[event] = self.events.get(event, 0) + 1

    def share(self) -> str:
        if not self.active:
            return "no statement seen"
        kinds = ", ".join(f"{event} {n / self.active:.0%}" for event, n in sorted(self.events.items(), key=lambda e: -e[1]))
        return (f"{self.waiting / self.active:.0%} of busy connection samples waited for a lock "
                f"({kinds or 'none'}; {self.active / max(1, self.samples):.1f} busy on average)")


def run_writers(base: str, token: str, writers: int, seconds: float, label: str) -> Phase:
    from registry.eventstore.store import last_position

    from django.db import connections

    before = last_position()
    connections.close_all()
    run = f"{os.getpid()}-{int(time.time())}-{label}"
    results = [[] for _ in range(writers)]
    sampler = LockSampler(os.environ["BENCH_DATABASE_URL"])
    sampler.start()
    started, t0 = time.time(), time.perf_counter()
    threads = [threading.Thread(target=writer, args=(base, token, k, run, t0 + seconds, results[k]))
               for k in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.perf_counter() - t0
    sampler.stop.set()
    sampler.join()
    load = loadavg()
    events = last_position() - before
    connections.close_all()
    return Phase(writers, duration, [r for rs in results for r in rs if r[1] == "201"],
                 [r[1] for rs in results for r in rs if r[1] != "201"], events, load, sampler.share(),
                 held_between(started, time.time()))


def held_between(start: float, end: float) -> list[float]:
    """The lock-held samples the server's probe wrote for transactions that committed between start and end."""
    held = []
    for path in Path(PROBE).parent.glob(Path(PROBE).name + ".*"):
        for line in path.read_text().splitlines():
            at, seconds, _ = line.split()
            if start <= float(at) <= end:
                held.append(float(seconds))
    return sorted(held)


def report(phase: Phase, workers: int):
    print(f"  {phase.writers} writer(s) for {phase.duration:.1f} s (gunicorn, {workers} sync workers); load {phase.load}")
    if not phase.done:
        print(f"    no command succeeded: {sorted(set(phase.refused))}")
        return
    print(f"    commands/s         {phase.rate:8.1f}   ({len(phase.done)} commands, {phase.events} events appended)")
    print(f"    latency            p50 {statistics.median(r[0] for r in phase.done) * 1000:7.1f} ms   p99 "
          f"{phase.latency(0.99) * 1000:7.1f} ms   longest {phase.latency(1.0) * 1000:7.1f} ms")
    print(f"    database           {phase.locks}")
    if phase.held:
        held = phase.held
        print(f"    head lock held     median {statistics.median(held) * 1000:6.2f} ms   p90 "
              f"{held[int(len(held) * 0.9)] * 1000:6.2f} ms   p99 {held[min(len(held) - 1, int(len(held) * 0.99))] * 1000:6.2f} ms"
              f"   ({len(held)} transactions; share of the phase held: {sum(held) / phase.duration:.0%})")
    if phase.refused:
        counts = {code: phase.refused.count(code) for code in sorted(set(phase.refused))}
        print(f"    not 201            {counts}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agreements", type=int, default=1000)
    parser.add_argument("--database", help="the database's name (default: the bench's own, suffixed with the size)")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--baseline-writers", type=int, default=1, help="a first run with this many writers (0: none)")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--append-commands", type=int, default=300, help="commands of the store's append bench (0: no append bench)")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)

    from bench import rebuild as rebuild_bench

    url = database_url(args.agreements)
    if args.database:
        url = urlparse(url)._replace(path=f"/{args.database}").geturl()
    os.environ["BENCH_DATABASE_URL"] = url  # bench.store's raw connections: this database too
    rebuild_bench.setup_django(url)
    from django.core.management import call_command
    from django.db import connections

    from agreements.projections.models import AgreementRecord
    from bench.store import bench_append
    from registry.eventstore.store import last_position

    written, seconds = rebuild_bench.build(args.agreements)
    if written:
        print(f"built {written:,} agreements in {seconds:.0f} s")
    with open(os.devnull, "w") as devnull:
        call_command("create_api_token", "bench-writer", "--role", "archivist", stdout=devnull)
    from rest_framework.authtoken.models import Token

    token = Token.objects.get(user__username="bench-writer").key
    held, head = AgreementRecord.objects.count(), last_position()
    start = head
    connections.close_all()

    print(f"registry: {urlparse(url).path.lstrip('/')}, {held:,} agreements, {head:,} events, PostgreSQL; "
          f"load {loadavg()}")
    server, base = start_gunicorn(19000, server_env(url), args.workers, app="bench.writers_probe:application")
    phases = []
    try:
        # Every sync worker's first requests import and connect: not the write path's cost, so not timed.
        run_writers(base, token, args.workers * 2, 3.0, "warm")
        start = last_position()
        if args.baseline_writers:
            phases.append(run_writers(base, token, args.baseline_writers, args.seconds, "baseline"))
        phases.append(run_writers(base, token, args.writers, args.seconds, "main"))
        positions = feed_positions(base, token, start)
        feed_load = loadavg()
    finally:
        server.terminate()
        server.wait(timeout=30)
        purge_queue()
        for path in Path(PROBE).parent.glob(Path(PROBE).name + ".*"):
            path.unlink()

    for phase in phases:
        report(phase, args.workers)
    if len(phases) == 2 and phases[0].done and phases[1].done:
        print(f"  {phases[1].writers} writers / {phases[0].writers}: commands/s {phases[1].rate / phases[0].rate:.2f}x, "
              f"p99 {phases[1].latency(0.99) / phases[0].latency(0.99):.2f}x")
    answered = {p for phase in phases for r in phase.done for p in r[3]}
    end = last_position()
    expected = list(range(start + 1, end + 1))
    missing = sorted(answered - set(positions))
    gaps = len(set(expected) - set(positions))
    print(f"  feed                 {len(positions)} positions in ({start}, {end}]: {gaps} gaps, "
          f"{len(positions) - len(set(positions))} repeated, in order: {positions == sorted(positions)}, "
          f"exactly start+1..head: {positions == expected}, {len(missing)} answered events missing; load {feed_load}")

    if not args.append_commands:
        return
    append = bench_append(args.append_commands)
    main_phase = phases[-1]
    write_path = main_phase.events / main_phase.duration
    print(f"  write path           {write_path:8.0f} events/s (through the API, {main_phase.writers} writers)")
    per_command = main_phase.events / max(1, len(main_phase.done))
    for name in ("store", "store in atomic", "raw"):
        if name in append:
            print(f"  {name:<20} {append[name]:8.0f} events/s (one writer, 5 events a command)   "
                  f"write path / {name}: {write_path / append[name]:.2f} in events, "
                  f"{main_phase.rate / (append[name] / 5):.2f} in transactions "
                  f"(the API's commands carry {per_command:.1f} events each)")
    print(f"  load after the append bench: {loadavg()}")


if __name__ == "__main__":
    main()
