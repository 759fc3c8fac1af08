"""Benchmark of the Akoma Ntoso importer, as ratios between sizes measured in the same run.

    python -m bench.akn_import [--sections 500] [--import-sections 100]

(a) reading (streaming parse, no database) of generated acts of N, 2N, 4N and 8N sections: time and peak
    Python memory (tracemalloc) against the N-section file. Linear work gives time ratios near 2, 4, 8; memory
    that does not grow with the file (each unit dropped once read) gives peak-memory ratios well below them.
(b) importing (reading + commands through services, one transaction) of N and 2N sections into a scratch
    SQLite database: the ratio shows what the write path costs per clause as an agreement grows.
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


def write_act(path: Path, sections: int, uri: str = "/akn/za/act/2020/bench"):
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">\n'
                  '  <act name="act"><meta><identification source="#b"><FRBRWork>'
                  f'<FRBRthis value="{uri}/!main"/><FRBRuri value="{uri}"/><FRBRdate date="2020-01-01" name="g"/>'
                  '<FRBRauthor href="#b"/><FRBRcountry value="za"/></FRBRWork><FRBRExpression>'
                  f'<FRBRthis value="{uri}/eng@2020-01-01/!main"/><FRBRuri value="{uri}/eng@2020-01-01"/>'
                  '<FRBRdate date="2020-01-01" name="g"/><FRBRauthor href="#b"/><FRBRlanguage language="eng"/>'
                  '</FRBRExpression><FRBRManifestation><FRBRthis value="x"/><FRBRuri value="x"/>'
                  '<FRBRdate date="2020-01-01" name="g"/><FRBRauthor href="#b"/></FRBRManifestation>'
                  '</identification></meta>\n    <body>\n      <part eId="part_1"><num>1</num><heading>All</heading>\n')
        for n in range(1, sections + 1):
            out.write(SECTION.format(n=n, words=WORDS))
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


def bench_import(sections: int, folder: Path):
    from agreements.importers import akn
    from agreements.importers.loading import load

    rows = []
    for factor in (1, 2):
        path = folder / f"import-{factor}.xml"
        write_act(path, sections * factor, uri=f"/akn/za/act/2020/bench-{factor}-{time.time_ns()}")
        start = time.perf_counter()
        result = load(akn.read(path))
        rows.append((factor, result.clauses, result.events, time.perf_counter() - start))
    print("import (read + commands through services, one transaction):")
    for factor, clauses, events, elapsed in rows:
        print(f"  x{factor}: {clauses:5d} clauses, {events:5d} events, {elapsed:6.2f} s | "
              f"time ratio {elapsed / rows[0][3]:5.2f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sections", type=int, default=500)
    parser.add_argument("--import-sections", type=int, default=100)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    with tempfile.TemporaryDirectory() as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
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


if __name__ == "__main__":
    main()
