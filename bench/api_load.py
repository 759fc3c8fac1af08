"""Benchmark: the API under concurrent clients against a bare Django view in the same gunicorn (issue 26 item 4).

    python -m bench.api_load [--clients 16] [--seconds 5] [--rounds 3] [--workers 4] [--threads 1] [--redis URL]

On PostgreSQL (BENCH_DATABASE_URL's database with `_api` after its name, `pacta_bench_api` by default, created,
migrated and seeded here), one gunicorn (`--workers` sync workers, or gthread with `--threads`) serves the registry
and `bench.bare`'s view, which answers the stored JSON of the same agreement's API detail from one indexed query.
`wrk` (Debian's package) drives each address with `--clients` connections for `--seconds`, in `--rounds` interleaved
rounds (medians): the bare view, the API detail, the API list, the detail as a conditional GET (`If-None-Match` with
its ETag: a 304), and the server's floor (`bench.bare_wsgi`: a 304 with no work, what gunicorn, the kernel and wrk
cost a request, the most any answer can reach). It prints requests/s, p50 and p99 latency of each, and the ratios
API / bare (target >= 0.5) and 304 / full GET (target >= 5; at most floor / full GET), and the CPU time the server's
workers spent per request of each (/proc), a reading the machine's other load moves less. The anonymous throttle and
statement timeout are off (a load test from one address would measure the throttle's 429s). Read the ratios: the
machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.store import BENCH_URL, ensure_database
from bench.serving import FLOOR, start_gunicorn

ROOT = Path(__file__).resolve().parents[1]
URL = BENCH_URL + "_api"  # pacta_bench_api by default
SLUG = "tr-az-strategic-partnership-2010"


def server_env(redis_url: str = "") -> dict:
    """The server's environment: the bench database, no broker; Django's cache in each worker's memory, or in
    Redis (`--redis`, as a production registry keeps it: one cache shared by every worker)."""
    env = dict(os.environ)
    for name in ("CELERY_BROKER_URL", "REDIS_URL", "DATABASE_REPLICA_URLS"):
        env.pop(name, None)
    if redis_url:
        env["PACTA_CACHE_URL"] = redis_url
    env.update(DATABASE_URL=URL, DJANGO_SECRET_KEY="bench-only", DJANGO_SETTINGS_MODULE="bench.bare_settings",
               PACTA_API_ANON_RATE="", PACTA_ANON_STATEMENT_TIMEOUT_MS="0", DJANGO_ALLOWED_HOSTS="127.0.0.1",
               PYTHONPATH=str(ROOT))
    return env


def manage(*args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=server_env(), check=True,
                   stdout=subprocess.DEVNULL)


def prepare():
    import psycopg

    ensure_database(URL)
    manage("migrate", "--verbosity", "0")
    with psycopg.connect(URL) as conn:
        seeded = conn.execute("SELECT count(*) FROM pacta_agreement").fetchone()[0]
    if not seeded:
        manage("load_seeds")


def store_documents(base: str):
    """The bare view's documents: each agreement's API detail as the API serves it, stored by slug."""
    import psycopg

    with psycopg.connect(URL) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_document (slug text PRIMARY KEY, body text NOT NULL)")
        slugs = [row[0] for row in conn.execute("SELECT slug FROM pacta_agreement")]
        for slug in slugs:
            with urllib.request.urlopen(f"{base}/api/v1/agreements/{slug}/") as response:
                body = response.read().decode()
            conn.execute("INSERT INTO bench_document VALUES (%s, %s) ON CONFLICT (slug) DO UPDATE SET body = "
                         "EXCLUDED.body", [slug, body])
        conn.execute("ANALYZE bench_document")


def server_cpu_seconds(server) -> float:
    """CPU time (user and system) spent so far by the gunicorn workers of `server` (Linux /proc): what the server
    itself spends, which the machine's other load does not change the way it changes requests per second."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for child in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split():
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # a worker replaced meanwhile
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def wrk(url: str, clients: int, seconds: int, header: str | None = None, server=None) -> dict:
    cpu_before = server_cpu_seconds(server) if server else 0.0
    args = ["wrk", "-t", "2", "-c", str(clients), "-d", f"{seconds}s", "--latency", url]
    if header:
        args[1:1] = ["-H", header]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    cpu = server_cpu_seconds(server) - cpu_before if server else 0.0
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    def percentile(p):
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return {"rate": rate, "p50": percentile(50), "p99": percentile(99),
            "errors": int(non_2xx.group(1)) if non_2xx else 0, "cpu_us": cpu / max(requests, 1) * 1e6}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per worker (above 1: gunicorn's gthread workers, which keep connections alive)")
    parser.add_argument("--redis", default="", metavar="URL",
                        help="keep Django's cache in this Redis (e.g. redis://127.0.0.1:6379/9), as production does")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        sys.exit("bench.api_load needs wrk (Debian: apt-get install wrk)")
    prepare()
    server, base = start_gunicorn(18000, server_env(args.redis), args.workers, quiet=False,
                                  threads=args.threads, app="bench.bare_wsgi:application")
    try:
        store_documents(base)
        with urllib.request.urlopen(f"{base}/api/v1/agreements/{SLUG}/") as response:
            etag = response.headers["ETag"]
            detail = json.loads(response.read())
        with urllib.request.urlopen(f"{base}/bench/bare/{SLUG}/") as response:
            stored = json.loads(response.read())
        # The same document but for `known_at` (the record time of the answer: now, at each request).
        assert {**stored, "known_at": None} == {**detail, "known_at": None}, "the bare view must answer the same JSON"
        targets = [
            ("bare Django view, stored JSON", f"{base}/bench/bare/{SLUG}/", None),
            ("API detail", f"{base}/api/v1/agreements/{SLUG}/", None),
            ("API list", f"{base}/api/v1/agreements/", None),
            ("API detail, If-None-Match (304)", f"{base}/api/v1/agreements/{SLUG}/", f"If-None-Match: {etag}"),
            ("server floor: a 304 with no work (bench.bare_wsgi)", f"{base}{FLOOR}", None),
        ]
        for name, url, header in targets:
            wrk(url, args.clients, 2, header)  # warm up every worker
        # Interleaved rounds, medians: a shared machine's load changes over a run, and hits every target alike.
        runs = {name: [] for name, _, _ in targets}
        for _ in range(args.rounds):
            for name, url, header in targets:
                runs[name].append(wrk(url, args.clients, args.seconds, header, server))
        results = {name: {field: statistics.median(r[field] for r in rs) for field in rs[0]}
                   for name, rs in runs.items()}
    finally:
        server.terminate()
        server.wait(timeout=30)
    bare = results["bare Django view, stored JSON"]["rate"]
    kind = "sync" if args.threads == 1 else "gthread"
    print(f"{args.clients} clients, {args.rounds} rounds of {args.seconds} s each, medians; gunicorn with "
          f"{args.workers} {kind} workers x {args.threads} threads, PostgreSQL; cache: "
          f"{'Redis' if args.redis else 'each worker its own memory'}")
    print("| address | requests/s | p50 ms | p99 ms | non-2xx/3xx | ratio to bare | server CPU per request |")
    print("|---|---|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['rate']:,.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['errors']} | {r['rate'] / bare:.2f} "
              f"| {r['cpu_us']:,.0f} us |")
    full = results["API detail"]["rate"]
    cpu = {name: r["cpu_us"] for name, r in results.items()}
    print(f"By the server's CPU per request (less moved by the machine's other load): bare / API detail "
          f"{cpu['bare Django view, stored JSON'] / cpu['API detail']:.2f}, bare / API list "
          f"{cpu['bare Django view, stored JSON'] / cpu['API list']:.2f}, full GET / 304 "
          f"{cpu['API detail'] / cpu['API detail, If-None-Match (304)']:.2f}")
    print(f"API detail / bare: {full / bare:.2f} (target >= 0.5); API list / bare: "
          f"{results['API list']['rate'] / bare:.2f} (target >= 0.5); 304 / full GET: "
          f"{results['API detail, If-None-Match (304)']['rate'] / full:.2f} (target >= 5; this server's ceiling, "
          f"floor / full GET: {results['server floor: a 304 with no work (bench.bare_wsgi)']['rate'] / full:.2f})")


if __name__ == "__main__":
    main()
