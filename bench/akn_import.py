"""Benchmark of the Akoma Ntoso importer, as ratios between sizes measured in the same run.

    python -m bench.akn_import [--sections 500] [--import-sections 100]

(a) reading (streaming parse, no database) of generated acts of N, 2N, 4N and 8N sections: time and peak
    Python memory (tracemalloc) against the N-section file. Linear work gives time ratios near 2, 4, 8; memory
    that does not grow with the file (each unit dropped once read) gives peak-memory ratios well below them.
(b) importing a NEW work (reading + the bulk path: decided in memory, one append, one projector pass) of
    M, 2M, 4M and 8M sections: time ratios near 2, 4, 8 are linear; events/s should stay level.
(c) a later expression of each of those works amending every section (the command path, one transaction):
    the same ratios, for the path that decides against the stored agreement.
(d) many files in one run (`--files` works of M sections, through import_akn's `load_many`): events/s.
Into a scratch SQLite database, or the database `--database-url` names (e.g. an empty PostgreSQL one).
Machines are shared and noisy: read the ratios, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

SECTION = """      <section eId="sec_{n}">
        <num>{n}.</num>
        <heading>Section {n}</heading>
        <subsection eId="sec_{n}__subsec_1"><num>(1)</num><content><p>{words}</p></content></subsection>
        <subsection eId="sec_{n}__subsec_2"><num>(2)</num><intro><p>The Minister must—</p></intro>
          <paragraph eId="sec_{n}__subsec_2__para_a"><num>(a)</num><content><p>{words}</p></content></paragraph>
          <paragraph eId="sec_{n}__subsec_2__para_b"><num>(b)</num><content><p>{words}</p></content></paragraph>
        </subsection>
      </section>
"""
WORDS = " ".join(["the parties shall cooperate in good faith and consult each other"] * 6)


def write_act(path: Path, sections: int, uri: str = "/akn/za/act/2020/bench", date: str = "2020-01-01",
              words: str = WORDS):
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">\n'
                  '  <act name="act"><meta><identification source="#b"><FRBRWork>'
                  f'<FRBRthis value="{uri}/!main"/><FRBRuri value="{uri}"/><FRBRdate date="2020-01-01" name="g"/>'
                  '<FRBRauthor href="#b"/><FRBRcountry value="za"/></FRBRWork><FRBRExpression>'
                  f'<FRBRthis value="{uri}/eng@{date}/!main"/><FRBRuri value="{uri}/eng@{date}"/>'
                  f'<FRBRdate date="{date}" name="g"/><FRBRauthor href="#b"/><FRBRlanguage language="eng"/>'
                  '</FRBRExpression><FRBRManifestation><FRBRthis value="x"/><FRBRuri value="x"/>'
                  '<FRBRdate date="2020-01-01" name="g"/><FRBRauthor href="#b"/></FRBRManifestation>'
                  '</identification></meta>\n    <body>\n      <part eId="part_1"><num>1</num><heading>All</heading>\n')
        for n in range(1, sections + 1):
            out.write(SECTION.format(n=n, words=words))
        out.write("      </part>\n    </body>\n  </act>\n</akomaNtoso>\n")


def bench_read(sections: int, folder: Path):
    from agreements.importers import akn

    rows = []
    for factor in (1, 2, 4, 8):
        path = folder / f"act-{factor}.xml"
        write_act(path, sections * factor)
        start = time.perf_counter()
        doc = akn.read(path)
        elapsed = time.perf_counter() - start
        tracemalloc.start()  # a second read for memory: tracing slows the parse several times over
        akn.read(path)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        text = sum(len(c.text) for c in doc.clauses)
        rows.append((factor, path.stat().st_size, len(doc.clauses), elapsed, peak, text))
    base = rows[0]
    print("read (streaming parse):")
    for factor, size, clauses, elapsed, peak, text in rows:
        print(f"  x{factor}: {size / 1e6:6.2f} MB, {clauses:5d} clauses, {elapsed:6.2f} s, peak {peak / 1e6:6.1f} MB"
              f" (clause text {text / 1e6:5.1f} MB) | time ratio {elapsed / base[3]:5.2f}, "
              f"peak-memory ratio {peak / base[4]:5.2f}")


def _rows(title, rows):
    print(title)
    base = rows[0]
    for factor, clauses, events, elapsed in rows:
        print(f"  x{factor}: {clauses:5d} clauses, {events:5d} events, {elapsed:6.2f} s, {events / elapsed:7.0f} events/s"
              f" | time ratio {elapsed / base[3]:5.2f} (size ratio {factor})")


def bench_import(sections: int, folder: Path):
    from agreements.importers import akn
    from agreements.importers.loading import load

    warm_up = folder / "warm-up.xml"  # first-use costs (imports, caches) out of the x1 row
    write_act(warm_up, 10, uri=f"/akn/za/act/2020/warm-up-{time.time_ns()}")
    load(akn.read(warm_up))
    new, later = [], []
    for factor in (1, 2, 4, 8):
        uri = f"/akn/za/act/2020/bench-{factor}-{time.time_ns()}"
        path = folder / f"import-{factor}.xml"
        write_act(path, sections * factor, uri=uri)
        start = time.perf_counter()
        result = load(akn.read(path))
        new.append((factor, result.clauses, result.events, time.perf_counter() - start))
        path = folder / f"import-{factor}-2021.xml"
        write_act(path, sections * factor, uri=uri, date="2021-01-01", words=WORDS.replace("good", "utmost good"))
        start = time.perf_counter()
        result = load(akn.read(path))
        later.append((factor, result.clauses, result.events, time.perf_counter() - start))
    _rows("import of a new work (read + the bulk path, one transaction):", new)
    _rows("a later expression amending every section (read + the command path, one transaction):", later)


def bench_many_files(sections: int, files: int, folder: Path):
    from agreements.importers import akn
    from agreements.importers.loading import load_many

    paths = []
    for n in range(files):
        paths.append(folder / f"many-{n}.xml")
        write_act(paths[-1], sections, uri=f"/akn/za/act/2020/many-{n}-{time.time_ns()}")
    start = time.perf_counter()
    outcomes = load_many([akn.read(p) for p in paths])
    elapsed = time.perf_counter() - start
    events = sum(o.events for o in outcomes)
    size = sum(p.stat().st_size for p in paths)
    print(f"{files} files of {sections} sections in one run ({size / 1e6:.1f} MB, read + one bulk load): "
          f"{events} events, {elapsed:.2f} s, {events / elapsed:.0f} events/s")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sections", type=int, default=500)
    parser.add_argument("--import-sections", type=int, default=100)
    parser.add_argument("--files", type=int, default=50, help="files in the many-files run")
    parser.add_argument("--database-url", default="", help="an empty database to use instead of scratch SQLite")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    with tempfile.TemporaryDirectory() as folder:
        os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
        os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
        os.environ.pop("CELERY_BROKER_URL", None)
        os.environ.pop("REDIS_URL", None)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        bench_read(args.sections, Path(folder))
        bench_import(args.import_sections, Path(folder))
        bench_many_files(args.import_sections, args.files, Path(folder))


if __name__ == "__main__":
    main()
