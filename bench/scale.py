"""Scale benchmark: build synthetic corpora through the write path, then time every public page at each size.

    python -m bench.scale [--sizes 1000,10000] [--fresh] [--rounds 5]

Each synthetic agreement has the shape of issue 12: 2 parties, a signature, 10 clauses, 2 amendments, 1
cross-reference to an earlier agreement, submitted and published (about 20 events). Every 1,000th
agreement is long instead: one with 500 clauses, one whose article 1 is amended 1,000 times. Corpora grow
by copying (the 10k corpus is a copy of the 1k corpus plus 9,000 more), so each agreement is written once.

Writes go through the bulk ingestion path, `services.handle_bulk` (500 agreements a transaction);
`--builder handle_many` writes one agreement per transaction as the admin does, `--builder in-memory` decides
each agreement in memory and appends it at once; `--jobs` processes write side by side. The load rate is
printed per step.
Pages are timed through real gunicorns (one sync worker per size, all running) over HTTP: one cold GET,
then the median of `--rounds` GETs, the sizes taking turns page by page and round by round so that the
machine's noise hits them alike; the page size is the body's bytes. Those medians are mostly the cache's
(a page's answer, the corpus summary): `--rounds` more GETs each follow an emptied cache (every key of the
corpus's namespace deleted from Redis), and their median is the page's uncached cost, what the first reader
after a change or a restart pays. Anonymous statement timeouts and throttling are off in
the timed server, so a slow page shows its real cost instead of a 503. The admin changelist is read as a
logged-in superuser. At the end, each page's growth ratio from the smallest to every larger size, and each corpus's storage: the
database's size per agreement and per event, and its largest indexes.

It runs on PostgreSQL, one database per size named after BENCH_SCALE_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/pacta_scale_bench): `pacta_scale_bench_1000`, `pacta_scale_bench_10000`…,
each created as a copy of the next smaller one and grown (`--fresh` drops them first). `--time-only` times
the corpora already built, e.g. again after a change to the read side. Validation jobs go to a Redis queue of
their own (BENCH_SCALE_BROKER_URL, default redis://127.0.0.1:6379/13) that nobody consumes; it is emptied at
the end. Machines are shared and noisy: read the ratios, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BENCH_URL = os.environ.get("BENCH_SCALE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pacta_scale_bench")
_active = {"url": BENCH_URL}  # the database of the size being built or timed
BROKER_URL = os.environ.get("BENCH_SCALE_BROKER_URL", "redis://127.0.0.1:6379/13")
QUEUE = "pacta_scale_bench"
PREFIX = "syn"
PARTY_POOL = 100  # synthetic states besides TUR, which is a party to every tenth agreement
LONG_EVERY = 1000
REFERENCE_BACK = 8  # agreement i refers to agreement i - 8 (written earlier by the same building process)
WORDS = (
    "the parties shall cooperate in matters of defence training logistics supply exchange personnel "
    "equipment maintenance information security research production procurement joint exercises visits "
    "experts consultations protocol annex article competent authorities provisions implementation mutual "
    "assistance technical military education medical services transport communications"
).split()


def server_env() -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=_active["url"], CELERY_BROKER_URL=BROKER_URL, REDIS_URL=BROKER_URL, PACTA_CELERY_QUEUE=QUEUE,
        DJANGO_SECRET_KEY="bench-only", DJANGO_SETTINGS_MODULE="registry.settings",
        PACTA_ANON_STATEMENT_TIMEOUT_MS="0", PACTA_API_ANON_RATE="", DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_COOKIES="0",
        # One cache namespace per corpus: the servers share the bench's Redis, and a summary cached for one
        # size must never be served by another.
        PACTA_CACHE_KEY_PREFIX=f"bench-{_name(_active['url'])}",
    )
    env.pop("DATABASE_REPLICA_URLS", None)
    return env


def size_url(size: int) -> str:
    parts = urlparse(BENCH_URL)
    return parts._replace(path=f"{parts.path}_{size}").geturl()


def _admin_connection():
    import psycopg

    return psycopg.connect(urlparse(BENCH_URL)._replace(path="/postgres").geturl(), autocommit=True)


def _name(url: str) -> str:
    return urlparse(url).path.lstrip("/")


def drop_databases(sizes):
    with _admin_connection() as conn:
        for size in sizes:
            conn.execute(f'DROP DATABASE IF EXISTS "{_name(size_url(size))}" WITH (FORCE)')


def ensure_database(url: str, template: str | None):
    """Create the database if missing: a copy of `template` (the next smaller corpus), or empty."""
    import psycopg

    with _admin_connection() as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [_name(url)]).fetchone():
            return
        source = f' TEMPLATE "{_name(template)}"' if template else ""
        for attempt in range(30):  # a stopped server's connections take a moment to go
            try:
                conn.execute(f'CREATE DATABASE "{_name(url)}"{source}')
                return
            except psycopg.errors.ObjectInUse:
                time.sleep(1)
        raise RuntimeError(f"{_name(template)} stays in use: it cannot be copied")


def use_database(url: str):
    """Point this process (and the servers it starts) at `url`, migrated."""
    from django.core.management import call_command
    from django.db import connection

    connection.close()
    _active["url"] = url
    connection.settings_dict["NAME"] = _name(url)
    call_command("migrate", verbosity=0)


def setup_django():
    os.environ.update(server_env())
    import django

    django.setup()


# ------------------------------------------------------------------------------------------------ corpus


def text(rng: random.Random, words: int = 40) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def slug_of(i: int) -> str:
    return f"{PREFIX}-{i:06d}-{1950 + i % 75}"


def commands_for(i: int):
    """The commands that make synthetic agreement number i (its shape depends on i only)."""
    from agreements.domain import commands

    rng = random.Random(i)
    year = 1950 + i % 75
    slug = slug_of(i)
    signed = dt.date(year, 1 + i % 12, 1 + i % 28)
    first = "TUR" if i % 10 == 0 else f"S{i % PARTY_POOL:03d}"
    second = f"S{(i * 7 + 3) % PARTY_POOL:03d}"
    if second == first:
        second = f"S{(i * 7 + 4) % PARTY_POOL:03d}"
    clauses = 500 if i % LONG_EVERY == LONG_EVERY // 2 else 10
    amendments = 1000 if i % LONG_EVERY == LONG_EVERY - 1 else 2
    out = [
        commands.DraftAgreement(slug=slug, title=f"Agreement {i} on {rng.choice(WORDS)} {rng.choice(WORDS)}",
                         kind=rng.choice(["agreement", "treaty", "protocol", "memorandum"]), work_date=str(year)),
        commands.AddParty(party=first), commands.AddParty(party=second),
        commands.RecordLifecycle(action="signature", date=signed.isoformat()),
    ]
    for n in range(1, clauses + 1):
        out.append(commands.AddClause(eid=f"art_{n}", number=str(n), heading=f"Article {n}", text=text(rng),
                               text_kind="official", effective=signed.isoformat()))
    for k in range(1, amendments + 1):
        effective = signed + dt.timedelta(days=30 * k) if amendments <= 2 else signed + dt.timedelta(days=k)
        out.append(commands.AmendClause(eid="art_1" if amendments > 2 else f"art_{k + 1}", text=text(rng),
                                 effective=effective.isoformat()))
    if i >= REFERENCE_BACK:
        out.append(commands.AddReference(eid="art_3", target=slug_of(i - REFERENCE_BACK), target_eid="art_1"))
    out += [commands.SubmitForReview(), commands.Publish(uncited_reason="synthetic benchmark agreement")]
    return slug, out


def ensure_parties():
    from sources.models import Party

    wanted = [("TUR", "Türkiye")] + [(f"S{n:03d}", f"State {n:03d}") for n in range(PARTY_POOL)]
    existing = set(Party.objects.values_list("code", flat=True))
    Party.objects.bulk_create(
        [Party(code=code, name=name, kind="state") for code, name in wanted if code not in existing]
    )


def existing_slugs() -> set[str]:
    from agreements.projections.models import AgreementRecord

    return set(AgreementRecord.objects.filter(slug__startswith=f"{PREFIX}-").values_list("slug", flat=True))


def _write_handle_many(numbers: list[int]) -> None:
    """The write path as the admin uses it: `services.handle_many`, one transaction per agreement."""
    from agreements import services

    for n, i in enumerate(numbers, start=1):
        slug, planned = commands_for(i)
        services.handle_many(planned, slug=slug)
        _progress(n, len(numbers))


def _write_in_memory(numbers: list[int], per_transaction: int = 50) -> None:
    """The same commands decided against the aggregate in memory (no replay per command), one append per
    agreement, projected and given its outbox jobs as `services.handle` does, 50 agreements a transaction."""
    import uuid

    from django.db import transaction

    from agreements import services
    from agreements.domain.aggregate import Agreement
    from agreements.domain.identities import stream_id
    from agreements.projections.projector import Projector
    from registry.eventstore import store
    from registry.eventstore.store import NewEvent

    directory = services.DatabaseDirectory()
    for start in range(0, len(numbers), per_transaction):
        with transaction.atomic():
            for i in numbers[start:start + per_transaction]:
                slug, commands = commands_for(i)
                agreement, decided = Agreement(), []
                for command in commands:
                    for event in agreement.decide(command, directory):
                        agreement.apply(event, str(uuid.uuid4()))
                        decided.append(event)
                recorded = store.append(stream_id(slug), 0, [
                    NewEvent(type=ev.type, payload=ev.payload(), schema_version=ev.schema_version,
                             effective=ev.valid_time() or "") for ev in decided
                ], actor="bench", causation_id=str(uuid.uuid4()))
                Projector().project(recorded)
                for hook in services._after_append_hooks:
                    hook(slug, recorded)
        _progress(min(start + per_transaction, len(numbers)), len(numbers))


def _write_bulk(numbers: list[int], per_transaction: int = 500) -> None:
    """The bulk ingestion path (`services.handle_bulk`, as `import_agreements` uses it): new agreements
    decided in memory, many per transaction, appended and projected in batches."""
    from agreements import services

    # One call with a generator: a load that large defers the search indexes' row-by-row upkeep (see
    # services.handle_bulk), which a call per chunk of 500 never would; its memory stays one batch.
    services.handle_bulk((services.NewAgreement(*commands_for(i)) for i in numbers), batch=per_transaction,
                         progress=lambda done: _progress(done, len(numbers)))


BUILDERS = {"bulk": _write_bulk, "handle_many": _write_handle_many, "in-memory": _write_in_memory}


def _progress(done: int, total: int) -> None:
    if done % 50 == 0 or done == total or done % 500 == 0:
        print(f"\r  building: {done:,}/{total:,} agreements in this process", end="", file=sys.stderr)


def _write(builder: str, numbers: list[int]) -> None:
    """Write these agreements (in a child process when building in parallel)."""
    from django.db import connection

    connection.close()  # never share the parent's connection
    BUILDERS[builder](numbers)
    connection.close()


def build(upto: int, jobs: int, builder: str) -> tuple[int, int, float]:
    """Write the agreements missing below `upto`; (agreements written, events written, seconds).

    With `jobs` > 1 that many processes write side by side (the write path is safe under concurrency);
    agreement i refers to agreement i - 8, which the same process wrote before it (jobs divide 8).
    """
    import multiprocessing

    from django.db import connection
    from registry.eventstore.store import last_position

    existing = existing_slugs()
    missing = [i for i in range(upto) if slug_of(i) not in existing]
    before = last_position()
    connection.close()
    t0 = time.perf_counter()
    if jobs <= 1:
        _write(builder, missing)
    else:
        context = multiprocessing.get_context("fork")
        workers = [context.Process(target=_write, args=(builder, [i for i in missing if i % jobs == k])) for k in range(jobs)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
            if worker.exitcode:
                sys.exit(f"a building process failed (exit code {worker.exitcode})")
    seconds = time.perf_counter() - t0
    print(file=sys.stderr)
    return len(missing), last_position() - before, seconds


# ------------------------------------------------------------------------------------------------ pages


@dataclass
class Page:
    name: str
    path: str
    staff: bool = False


def pages(size: int, deep_path: str) -> list[Page]:
    """The issue's table, plus the admin changelist, a party's API lists and the long agreements' pages."""
    mid = slug_of(size // 3)
    year = mid.rsplit("-", 1)[1]
    long_clauses, long_history = slug_of(LONG_EVERY // 2), slug_of(LONG_EVERY - 1)
    return [
        Page("API list, first page", "/api/v1/agreements/"),
        Page("API list, deep page", deep_path),
        Page("API detail", f"/api/v1/agreements/{mid}/"),
        Page("API clause as_of", f"/api/v1/agreements/{mid}/clauses/art_2/?as_of=2015-01-01"),
        Page("API search q=logistics", "/api/v1/search/?q=logistics"),
        Page("API feed after=0", "/api/v1/events/?after=0&limit=100"),
        Page("API feed near the tail", f"/api/v1/events/?after={tail_position() - 50}&limit=100"),
        Page("API party TUR", "/api/v1/parties/TUR/"),
        Page("API agreements of TUR", "/api/v1/agreements/?party=TUR"),
        # A party with no agreement: the worst case of a filter the planner meets by walking the list's order.
        Page("API agreements of a party with none", "/api/v1/agreements/?party=ZZZ"),
        Page("API list q=zebra (a rare word)", "/api/v1/agreements/?q=zebra"),
        Page("API list q=logistics (a common word)", "/api/v1/agreements/?q=logistics"),
        Page("API list status=draft (none)", "/api/v1/agreements/?status=no_dated_fact"),
        Page("API list party=TUR&q=logistics", "/api/v1/agreements/?party=TUR&q=logistics"),
        Page("browser home", "/"),
        Page("browser timeline", "/timeline/"),
        Page("browser party TUR", "/parties/TUR/"),
        Page("browser parties", "/parties/"),
        Page("browser agreement", f"/akn/int/treaty/{year}/{mid}/"),
        Page("browser clause diff", f"/akn/int/treaty/{year}/{mid}/art_2/diff/"),
        Page("browser agreement, 500 clauses", f"/akn/int/treaty/{long_clauses.rsplit('-', 1)[1]}/{long_clauses}/"),
        Page("browser clause, 1,000 versions", f"/akn/int/treaty/{long_history.rsplit('-', 1)[1]}/{long_history}/art_1/"),
        Page("browser search", "/search/?q=logistics"),
        Page("sitemap.xml", "/sitemap.xml"),
        Page("sitemap of clauses, first", "/sitemaps/clauses-1.xml"),
        Page("browser timeline, 1990s", "/timeline/?decade=1990"),
        Page("Atom feed", "/changes.atom"),
        Page("admin changelist", "/admin/agreements/agreementrecord/", staff=True),
    ]


def tail_position() -> int:
    from registry.eventstore.store import last_position

    return last_position()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A real gunicorn (one sync worker) on the bench database."""

    def __init__(self):
        self.url = _active["url"]
        self.port = free_port()
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "registry.wsgi:application", "--bind",
             f"127.0.0.1:{self.port}", "--workers", "1", "--timeout", "600", "--log-level", "warning"],
            cwd=ROOT, env=server_env(),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.get("/api/v1/")
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start")

    def get(self, path: str, cookie: str = "") -> tuple[int, bytes, dict]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        try:
            conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = conn.getresponse()
            return response.status, response.read(), dict(response.getheaders())
        finally:
            conn.close()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def staff_cookie() -> str:
    """A session of a bench superuser, made directly in the session store."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    User = get_user_model()
    user = User.objects.filter(username="bench-admin").first() or User.objects.create_superuser(
        "bench-admin", "bench@example.org", "bench-admin-pw-1")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def find_deep_page(server: Server, hops: int = 20) -> str:
    import json

    path = "/api/v1/agreements/"
    for _ in range(hops):
        status, body, _ = server.get(path)
        following = json.loads(body).get("next") if status == 200 else None
        if not following:
            break
        parts = urlparse(following)
        path = parts.path + ("?" + parts.query if parts.query else "")
    return path


@dataclass
class Timing:
    status: int
    cold: float
    median: float
    size: int
    uncached: float = 0.0


def empty_cache(size: int) -> None:
    """Every key of the size's cache namespace (server_env's PACTA_CACHE_KEY_PREFIX) deleted from Redis."""
    import redis

    client = redis.Redis.from_url(BROKER_URL)
    keys = list(client.scan_iter(match=f"bench-{_name(size_url(size))}:*", count=1000))
    if keys:
        client.delete(*keys)


def time_pages(sizes: list[int], rounds: int) -> dict[int, dict[str, Timing]]:
    """Every page at every size, through one gunicorn per size. The sizes are timed in turn, page by page and
    round by round, so the machine's noise of the moment hits every size alike and the ratios stay fair."""
    servers, plans = {}, {}
    try:
        for size in sizes:
            use_database(size_url(size))
            cookie = staff_cookie()
            connection_close()
            servers[size] = Server()
            plans[size] = (pages(size, find_deep_page(servers[size])), cookie)
        results = {size: {} for size in sizes}
        for index in range(len(plans[sizes[0]][0])):
            cold, samples, last = {}, {size: [] for size in sizes}, {}
            for size in sizes:
                page, cookie = plans[size][0][index], plans[size][1]
                t0 = time.perf_counter()
                servers[size].get(page.path, cookie if page.staff else "")
                cold[size] = time.perf_counter() - t0
            uncached = {size: [] for size in sizes}
            for _ in range(rounds):
                for size in sizes:
                    page, cookie = plans[size][0][index], plans[size][1]
                    t0 = time.perf_counter()
                    last[size] = servers[size].get(page.path, cookie if page.staff else "")
                    samples[size].append(time.perf_counter() - t0)
            for _ in range(rounds):
                for size in sizes:
                    page, cookie = plans[size][0][index], plans[size][1]
                    empty_cache(size)
                    t0 = time.perf_counter()
                    servers[size].get(page.path, cookie if page.staff else "")
                    uncached[size].append(time.perf_counter() - t0)
            for size in sizes:
                status, body, _ = last[size]
                results[size][plans[size][0][index].name] = Timing(
                    status, cold[size], statistics.median(samples[size]), len(body), statistics.median(uncached[size]))
            name = plans[sizes[0]][0][index].name
            print(f"  {name:34} " + "  ".join(f"{statistics.median(samples[s]) * 1e3:9.1f} ms "
                                              f"({statistics.median(uncached[s]) * 1e3:,.0f} uncached)" for s in sizes),
                  file=sys.stderr)
        return results
    finally:
        for server in servers.values():
            server.stop()


def connection_close():
    from django.db import connection

    connection.close()


def purge_queue():
    try:
        import redis

        redis.Redis.from_url(BROKER_URL).flushdb()
    except Exception as exc:  # the queue is the bench's own; failing to empty it loses nothing
        print(f"could not empty the bench queue: {exc}", file=sys.stderr)


def report(by_size: dict[int, dict[str, Timing]], loads: dict[int, tuple[int, int, float]], builder: str, jobs: int):
    sizes = sorted(by_size)
    print()
    print(f"load rate (builder {builder}, {jobs} process(es)):")
    for size in sizes:
        agreements, events, seconds = loads[size]
        if agreements:
            print(f"  up to {size:>7,}: {agreements:,} agreements, {events:,} events in {seconds:,.0f} s: "
                  f"{events / seconds:,.0f} events/s, {agreements / seconds:,.1f} agreements/s")
    print()
    head = " | ".join(f"{s:,}: median (first GET; uncached median) ms, size" for s in sizes)
    growth = " | ".join(f"growth {sizes[0]:,}→{s:,} (uncached)" for s in sizes[1:])
    print(f"| page | {head} | {growth} |")
    print("|---|" + "---|" * (len(sizes) + len(sizes) - 1))
    for name in by_size[sizes[0]]:
        cells = []
        for s in sizes:
            t = by_size[s][name]
            flag = "" if t.status == 200 else f" ({t.status})"
            cells.append(f"{t.median * 1e3:,.1f} ms (first {t.cold * 1e3:,.0f}; uncached {t.uncached * 1e3:,.0f}), "
                         f"{t.size / 1024:,.1f} KB{flag}")
        base = by_size[sizes[0]][name]
        ratios = [f"{by_size[s][name].median / base.median:.2f}× ({by_size[s][name].uncached / base.uncached:.2f}×)"
                  for s in sizes[1:]]
        print(f"| {name} | " + " | ".join(cells + ratios) + " |")


def storage(sizes: list[int], largest: int = 8) -> None:
    """Each corpus's database size per agreement and per event, and its largest indexes (what they cost each
    agreement): what a million agreements will weigh, read from the sizes built."""
    import psycopg

    print()
    print("storage (the database, then its largest indexes; bytes per agreement and per event):")
    for size in sizes:
        with psycopg.connect(size_url(size)) as conn:
            agreements = conn.execute("SELECT count(*) FROM pacta_agreement").fetchone()[0]
            events = conn.execute("SELECT position FROM pacta_event_position").fetchone()[0]
            total = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
            heap = conn.execute("SELECT pg_total_relation_size('pacta_event')").fetchone()[0]
            indexes = conn.execute(
                "SELECT c.relname, t.relname, pg_relation_size(c.oid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
                "ORDER BY pg_relation_size(c.oid) DESC LIMIT %s", [largest]).fetchall()
            all_indexes = conn.execute(
                "SELECT coalesce(sum(pg_relation_size(i.indexrelid)), 0) FROM pg_index i JOIN pg_class c "
                "ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
            ).fetchone()[0]
        print(f"  {size:>9,}: {agreements:,} agreements, {events:,} events, database {total / 2**20:,.0f} MB: "
              f"{total / agreements / 1024:,.1f} KB per agreement, {total / events:,.0f} B per event "
              f"(the event table with its indexes {heap / events:,.0f} B per event; all indexes "
              f"{all_indexes / 2**20:,.0f} MB, {all_indexes / total:.0%})")
        for name, table, bytes_ in indexes:
            print(f"      {name:<48} on {table:<28} {bytes_ / 2**20:8,.1f} MB  {bytes_ / agreements:8,.0f} B/agreement")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--fresh", action="store_true", help="drop the bench databases first")
    parser.add_argument("--time-only", action="store_true", help="time the corpora already built, build nothing")
    parser.add_argument("--jobs", type=int, default=1, choices=(1, 2, 4, 8),
                        help="processes writing side by side")
    parser.add_argument("--builder", choices=sorted(BUILDERS), default="bulk",
                        help="how agreements are written (see _write_bulk, _write_handle_many, _write_in_memory)")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    if args.fresh:
        drop_databases(sizes)
    setup_django()
    loads = {}
    previous = None
    for size in sizes:
        url = size_url(size)
        ensure_database(url, previous)
        use_database(url)
        ensure_parties()
        held = len(existing_slugs())
        if held > size or (args.time_only and held != size):
            sys.exit(f"{_name(url)} holds {held:,} agreements, not {size:,}: build it (or use --fresh)")
        print(f"{size:,} agreements in {_name(url)}", file=sys.stderr)
        loads[size] = (0, 0, 0.0) if args.time_only else build(size, args.jobs, args.builder)
        from django.db import connection

        if loads[size][0]:
            with connection.cursor() as cursor:  # fresh planner statistics, as autovacuum would give in time
                cursor.execute("VACUUM ANALYZE")
        connection.close()  # the next size's database is copied from this one: nobody may be connected
        previous = url
    print("timing pages (median ms per size, in turn):", file=sys.stderr)
    by_size = time_pages(sizes, args.rounds)
    purge_queue()
    report(by_size, loads, args.builder, args.jobs)
    storage(sizes)


if __name__ == "__main__":
    main()
