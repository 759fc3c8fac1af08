"""Benchmark of participation: a large multilateral agreement against a two-party one, as ratios.

    python -m bench.participation [--participants 200] [--runs 15]

The large agreement has `--participants` participants with 4 actions each (signature, provisional application,
ratification or accession, territorial application), 50 reservations and 100 objections to them, and a
35-instrument entry-into-force rule; the small one has 2 participants with the same 4 actions, one reservation
and one objection. Both are stored through the bulk write path and published. Measured (median of `--runs`,
interleaved so machine noise hits both alike):

- the public agreement page (`/akn/.../@date/`),
- the API detail (`/api/v1/agreements/{slug}/?as_of=`),
- "in force for P on D": the API list filtered by `in_force_for` and `as_of`,

each as the ratio large/small (target: within 1.5): of the medians, and the median of the rounds' own ratios
(`paired`: each round measures both back to back, so a load that drifts during the run hits both alike), and
the query count of each (the page's must not depend on the number of participants), with the machine's load
average before and after. The page and the detail show
the first PACTA_PARTICIPANTS_INLINE (25) participants of the large one and page the rest; every participant's
actions still count in its derivation.

It runs on PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/pacta_bench_participation),
a database it creates and migrates itself. Machines are shared and noisy: read the ratios, not the numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time

from bench.store import ensure_database

BENCH_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pacta_bench_participation")


def setup_django():
    os.environ["DATABASE_URL"] = BENCH_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("PACTA_ACCESS_LOG", "0")  # one log line per request would be most of the output
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def agreement_commands(slug: str, codes: list[str], reservations: int, objections: int):
    from agreements.domain import commands
    from agreements.domain.identities import statement_identity

    planned = [commands.DraftAgreement(slug=slug, title=f"Bench {slug}", kind="treaty", work_date="2000-01-01"),
                commands.AddClause(eid="art_1", text="Scope.", text_kind="official")]
    planned += [commands.AddParty(party=code) for code in codes]
    planned.append(commands.SetEntryIntoForceRule(instruments=min(35, len(codes)), days_after=30, later_days_after=30))
    start = dt.date(2000, 1, 1)
    for i, code in enumerate(codes):
        day = (start + dt.timedelta(days=i)).isoformat()
        planned += [
            commands.RecordLifecycle(action="signature", date=day, party=code),
            commands.RecordLifecycle(action="provisional_application", date=day, party=code),
            commands.RecordLifecycle(action="ratification" if i % 3 else "accession", date=day, party=code,
                              notification=f"C.N.{i}.2000.TREATIES-1"),
            commands.RecordLifecycle(action="territorial_application", date=day, party=code, territory=f"Territory {i}"),
        ]
    for i in range(reservations):
        planned.append(commands.MakeStatement(party=codes[i % len(codes)], kind="reservation", text=f"Reservation {i}.",
                                        date="2001-01-01", eids=["art_1"], made_at="consent"))
    for i in range(objections):
        target = i % reservations
        objector = codes[(target + 1 + i // reservations) % len(codes)]
        planned.append(commands.MakeStatement(party=objector, kind="objection", text=f"Objection {i}.", date="2001-06-01",
                                        objects_to=statement_identity(slug, target + 1)))
    planned.append(commands.Publish(uncited_reason="bench data"))
    return planned


def build(participants: int):
    from agreements import services
    from sources.models import Party

    codes = [f"B{i:03}" for i in range(participants)]
    Party.objects.bulk_create([Party(code=code, name=f"Bench state {code}", kind="state") for code in codes],
                              ignore_conflicts=True)
    large, small = f"bench-large-{participants}", "bench-small-2"
    services.handle_bulk([services.NewAgreement(large, agreement_commands(large, codes, 50, 100)),
                          services.NewAgreement(small, agreement_commands(small, codes[:2], 1, 1))])
    return large, small, codes


def measure(client, url: str) -> tuple[float, int]:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - began
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(queries)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    ensure_database(BENCH_URL)
    setup_django()
    from django.test import Client

    from agreements.projections.models import AgreementRecord

    built = time.perf_counter()
    large, small, codes = build(args.participants)
    # As the server starts (registry/wsgi.py): every view imported, the objects left frozen out of the collector's reach.
    from registry.wsgi import settle

    settle()
    print(f"built in {time.perf_counter() - built:.1f}s")
    records = dict(AgreementRecord.objects.filter(slug__in=[large, small]).values_list("slug", "work_uri"))
    client = Client()
    on = "2001-12-31"
    probes = {
        "public page": lambda slug: f"{records[slug]}/@{on}/",
        "API detail": lambda slug: f"/api/v1/agreements/{slug}/?as_of={on}",
        "in force for P on D": lambda slug: f"/api/v1/agreements/?in_force_for={codes[1]}&as_of={on}&party=" + codes[1],
    }
    print("load average before: %.2f %.2f %.2f" % os.getloadavg())
    for name, url in probes.items():
        for slug in (large, small):
            measure(client, url(slug))  # warm up
        times = {large: [], small: []}
        counts = {}
        for _ in range(args.runs):
            for slug in (large, small):
                elapsed, count = measure(client, url(slug))
                times[slug].append(elapsed)
                counts[slug] = count
        big, little = statistics.median(times[large]), statistics.median(times[small])
        paired = statistics.median(b / s for b, s in zip(times[large], times[small]))
        print(f"{name:22s} large {big * 1000:7.1f} ms  small {little * 1000:7.1f} ms  ratio {big / little:4.2f}  "
              f"paired {paired:4.2f}  queries large {counts[large]} small {counts[small]}")
    print("load average after: %.2f %.2f %.2f" % os.getloadavg())


if __name__ == "__main__":
    main()
