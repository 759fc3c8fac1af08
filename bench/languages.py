"""Languages benchmark (issue 22): the search of a diacritic or non-Latin word at 100,000 agreements against the
same search at 1,000, on a corpus whose texts are in four languages; and public pages in Turkish against English.

    python -m bench.languages [--sizes 1000,100000] [--rounds 21] [--keep]

It runs on PostgreSQL, in one database per size (BENCH_LANGUAGES_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/pacta_languages_bench, with the size appended: `pacta_languages_bench_1000`),
each dropped and made afresh unless `--keep` finds it already holding its corpus, migrated, with the seeds
loaded (the pages timed are theirs). The synthetic corpus is written straight into the read models
(`pacta_agreement`, `pacta_clause_version`), because the search reads nothing else: each agreement has a title
(and every other one a Turkish or Azerbaijani title), two current clauses written in English, Turkish, Russian or
Azerbaijani in turn; every hundredth agreement names the city of Şuşa (as "Şuşa", "Shusha" or "Шуша", in the
clause's language), and five agreements among the first thousand name Xankəndi (Ханкенди, Khankendi): its
matches stay five at every size. The projections' own folding (`rows.agreement_search_text`,
`rows.clause_search_text`) fills `search_text`, as a real load would. The searches are timed in this process
through `agreements.queries.search`: the first call at each size, then `--rounds` rounds, each of which times
each search at every size one right after the other (so that the machine's noise hits every size alike); the
medians are compared with the smallest size's, and so is each round's timing (the median of those ratios).

The page timings render through Django's test client in this process, each page in English and in Turkish in
turn (Accept-Language), median of `--rounds`: their ratio is what the translation costs. Machines are shared
and noisy: read the ratios, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
import uuid
from urllib.parse import urlparse

URL = os.environ.get("BENCH_LANGUAGES_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pacta_languages_bench")
# Şuşa in one agreement of a hundred (its matches grow with the corpus, up to the search's CANDIDATES ranked); Xankəndi
# in five agreements at every size (a rare word); işbirliği in a quarter of the clauses (a common word).
QUERIES = ["Şuşa", "Шуша", "Shusha", "Xankəndi", "Ханкенди", "işbirliği", "Azərbaycan"]
PAGES = ["/", "/timeline/", "/parties/TUR/", "/akn/int/treaty/2010/tr-az-strategic-partnership-2010/",
         "/akn/int/treaty/2010/tr-az-strategic-partnership-2010/art_2/", "/search/?q=Shusha"]
TEXTS = {
    "en": "The parties shall cooperate in defence training, logistics and the exchange of military personnel {n}.",
    "tr": "Taraflar savunma eğitimi, lojistik ve askerî personel değişimi alanlarında işbirliği yapar {n}.",
    "ru": "Стороны сотрудничают в области военной подготовки, логистики и обмена военнослужащими {n}.",
    "az": "Tərəflər Azərbaycan Respublikasında hərbi təhsil və logistika sahəsində əməkdaşlıq edirlər {n}.",
}
CITY = {"en": "Shusha", "tr": "Şuşa", "ru": "Шуша", "az": "Şuşa"}
LANGUAGES = list(TEXTS)


def database(size: int) -> str:
    return f"{urlparse(URL).path.lstrip('/')}_{size}"


def configure() -> None:
    os.environ.update(DATABASE_URL=URL, DJANGO_SECRET_KEY="bench-only", DJANGO_SETTINGS_MODULE="registry.settings",
                      DJANGO_ALLOWED_HOSTS="testserver,127.0.0.1,localhost", PACTA_ANON_STATEMENT_TIMEOUT_MS="0",
                      PACTA_API_ANON_RATE="", PACTA_CACHE_KEY_PREFIX="bench-languages", DJANGO_SECURE_COOKIES="0")
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


_CONNECTIONS: dict = {}


def use(size: int) -> None:
    """Point Django's default connection at the database of `size` agreements, each size on a connection of its
    own kept open, so that switching sizes costs no new connection and no cold catalogue caches. Each is named
    "default", as the database the registry migrates and reads (its router migrates no other)."""
    from django.db import connections
    from django.db.utils import load_backend

    if size not in _CONNECTIONS:
        settings_dict = {**connections.settings["default"], "NAME": database(size)}
        _CONNECTIONS[size] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")
    setattr(connections._connections, "default", _CONNECTIONS[size])


def setup(size: int, keep: bool) -> None:
    """The database of `size` synthetic agreements: kept when `keep` and it holds them, else made afresh."""
    import psycopg

    name = database(size)
    with psycopg.connect(urlparse(URL)._replace(path="/postgres").geturl(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if exists and keep:
        use(size)
        from django.db import DatabaseError

        from agreements.projections.models import AgreementRecord

        try:
            if AgreementRecord.objects.filter(slug__startswith="lang-").count() == size:
                print(f"  {name}: kept, {size} agreements", flush=True)
                return
        except DatabaseError:  # a database that an interrupted run left unmigrated
            pass
    from django.db import connection

    connection.close()  # the dropped database's sessions end
    with psycopg.connect(urlparse(URL)._replace(path="/postgres").geturl(), autocommit=True) as conn:
        if exists:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    use(size)
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    settings.PACTA_SOURCE_TEXTS = settings.BASE_DIR / "tests" / "fixtures" / "sources"
    call_command("load_seeds", verbosity=0)
    print(f"  {name}:", flush=True)
    grow(0, size)


def grow(start: int, stop: int) -> None:
    """Synthetic agreements number `start` to `stop - 1`, written into the read models in batches."""
    from django.db import transaction
    from django.utils import timezone

    from agreements.projections.models import AgreementRecord, ClauseVersion
    from agreements.projections.rows import agreement_search_text, clause_search_text

    now = timezone.now()
    batch = 2000
    for first in range(start, stop, batch):
        records, clauses = [], []
        for i in range(first, min(first + batch, stop)):
            titles = {"tr": f"Askerî işbirliği anlaşması {i}"} if i % 2 else {"az": f"Hərbi əməkdaşlıq sazişi {i}"}
            title = f"Synthetic defence agreement {i}"
            records.append(AgreementRecord(
                stream_id=f"agreement:lang-{i}", slug=f"lang-{i}", work_uri=f"/akn/int/treaty/2000/lang-{i}",
                title=title, titles=titles, kind="agreement", summary="", publication="published",
                created_at=now, updated_at=now, earliest_date=dt.date(2000, 1, 1) + dt.timedelta(days=i % 7000),
                search_text=agreement_search_text(title, titles, "", "")))
        with transaction.atomic():
            AgreementRecord.objects.bulk_create(records)
            for record in AgreementRecord.objects.filter(slug__in=[r.slug for r in records]).only("pk", "slug"):
                i = int(record.slug.split("-")[1])
                for k in range(2):
                    language = LANGUAGES[(i + k) % 4]
                    text = TEXTS[language].format(n=i) + (f" {CITY[language]}." if i % 100 == 0 and k == 0 else "")
                    if i < 1000 and i % 200 == 0 and k == 1:
                        text += " Xankəndi." if language in ("az", "tr") else " Ханкенди." if language == "ru" else " Khankendi."
                    clauses.append(ClauseVersion(
                        agreement_id=record.pk, clause_id=uuid.uuid4(), eid=f"art_{k + 1}", number=str(k + 1),
                        text=text, text_kind="official", language=language, sort_key=k + 1, change="added",
                        valid_from=dt.date(2000, 1, 1), known_from=now, event_id=uuid.uuid4(), position=0,
                        search_text=clause_search_text("", text)))
            ClauseVersion.objects.bulk_create(clauses)
        print(f"  {min(first + batch, stop):>7} agreements", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:  # as autovacuum leaves a table: hint bits set, visibility map, statistics
        cursor.execute("VACUUM (ANALYZE) pacta_agreement")
        cursor.execute("VACUUM (ANALYZE) pacta_clause_version")
        cursor.execute("CHECKPOINT")  # what the build left dirty is written now, not while the searches are timed


def time_searches(sizes: list[int], rounds: int) -> dict[int, dict[str, tuple[float, float, int, float]]]:
    """Per size and query: the first call, the median of `rounds`, the hits, and the median of the rounds' ratios
    to the smallest size. Each round times each query at every size one right after the other (the order turned
    every round), each after one untimed call: the machine's load, which changes from second to second on a
    shared machine, weighs on both timings of a round alike, so each round's ratio is read on its own."""
    from agreements.queries.search import SearchFilters, search

    first, hits, times = {}, {}, {size: {q: [] for q in QUERIES} for size in sizes}
    for size in sizes:
        use(size)
        for q in QUERIES:
            started = time.perf_counter()
            hits[size, q] = len(search(SearchFilters(q=q)).hits)
            first[size, q] = time.perf_counter() - started
    for round_ in range(rounds):
        for q in QUERIES:
            for size in sizes if round_ % 2 else reversed(sizes):
                use(size)
                search(SearchFilters(q=q))
                started = time.perf_counter()
                search(SearchFilters(q=q))
                times[size][q].append(time.perf_counter() - started)
    smallest = sizes[0]
    return {size: {q: (first[size, q], statistics.median(times[size][q]), hits[size, q],
                       statistics.median(t / base for t, base in zip(times[size][q], times[smallest][q])))
                   for q in QUERIES}
            for size in sizes}


def time_pages(rounds: int) -> dict[str, dict[str, float]]:
    from django.test import Client

    client = Client()
    out = {path: {"en": [], "tr": []} for path in PAGES}
    for path in PAGES:  # warm both
        for language in ("en", "tr"):
            assert client.get(path, HTTP_ACCEPT_LANGUAGE=language).status_code == 200, path
    for _ in range(rounds):
        for path in PAGES:
            for language in ("en", "tr"):  # in turn, so that the machine's noise hits both alike
                started = time.perf_counter()
                client.get(path, HTTP_ACCEPT_LANGUAGE=language)
                out[path][language].append(time.perf_counter() - started)
    return {path: {lang: statistics.median(t) for lang, t in by.items()} for path, by in out.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--keep", action="store_true", help="keep the databases of an earlier run")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    configure()
    print("corpora:")
    for size in sizes:
        setup(size, args.keep)

    use(sizes[0])
    print("pages, Turkish against English (median ms):")
    pages = time_pages(args.rounds)
    for path, by in pages.items():
        print(f"  {path:<62} en {by['en'] * 1000:7.1f}  tr {by['tr'] * 1000:7.1f}  ratio {by['tr'] / by['en']:.2f}")
    ratios = [by["tr"] / by["en"] for by in pages.values()]
    print(f"  median ratio tr/en: {statistics.median(ratios):.2f}")

    results = time_searches(sizes, args.rounds)
    for size in sizes:
        print(f"corpus of {size} synthetic agreements:")
        for q, (cold, median, hits, _) in results[size].items():
            print(f"  search {q!r:<14} hits {hits:>3}  first {cold * 1000:7.1f} ms  median {median * 1000:7.1f} ms")
    smallest = sizes[0]
    for size in sizes[1:]:
        print(f"search at {size} against {smallest} agreements (ratio of the medians; median of the rounds' ratios):")
        for q in QUERIES:
            print(f"  {q!r:<14} {results[size][q][1] / results[smallest][q][1]:.2f}  {results[size][q][3]:.2f}")


if __name__ == "__main__":
    main()
