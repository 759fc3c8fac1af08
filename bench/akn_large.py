"""Benchmark: one large valid Akoma Ntoso act (20,000 sections by default) imported, then read back bounded.

    python -m bench.akn_large [--sections 20000] [--database-url URL]

Prints the import time and, for the API detail, one page of the clause list and the public agreement page,
the size of the answer and its time. Past PACTA_CLAUSES_INLINE clauses (1,000) every edge pages the clauses,
so the ratio of an answer's size to a 1,000-clause act's stays near 1 whatever the act's size (printed).
Into a scratch SQLite database, or the database `--database-url` names. Machines are shared and noisy: read
the ratios, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path


def _get(client, url):
    start = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(response.content), time.perf_counter() - start


def measure(sections: int, folder: Path, uri: str) -> dict:
    from django.core.management import call_command
    from django.test import Client
    from rest_framework.test import APIClient

    from bench.akn_import import write_act

    path = folder / f"act-{sections}.xml"
    write_act(path, sections, uri=uri, words="the parties shall cooperate in good faith")
    start = time.perf_counter()
    call_command("import_akn", str(path), "--publish", stdout=io.StringIO())
    out = {"file_mb": path.stat().st_size / 1e6, "import_s": time.perf_counter() - start}
    slug = uri.strip("/").replace("/", "-").removeprefix("akn-")
    out["api"] = _get(APIClient(), f"/api/v1/agreements/{slug}/")
    out["list"] = _get(APIClient(), f"/api/v1/agreements/{slug}/clauses/?page=2")
    out["page"] = _get(Client(), f"{uri}/")
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sections", type=int, default=20_000)
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
        base = measure(1_000, Path(folder), "/akn/za/act/2020/bench-base")
        large = measure(args.sections, Path(folder), "/akn/za/act/2020/bench-large")
        for name, row in (("1,000 sections", base), (f"{args.sections:,} sections", large)):
            print(f"{name}: file {row['file_mb']:.1f} MB, import {row['import_s']:.1f} s; "
                  + "; ".join(f"{k} {row[k][0] / 1e6:.2f} MB in {row[k][1]:.2f} s" for k in ("api", "list", "page")))
        print("size ratios (large / 1,000): "
              + ", ".join(f"{k} {large[k][0] / base[k][0]:.2f}" for k in ("api", "list", "page"))
              + f"; time ratios: " + ", ".join(f"{k} {large[k][1] / base[k][1]:.2f}" for k in ("api", "list", "page"))
              + f"; import time ratio {large['import_s'] / base['import_s']:.1f} for "
              f"{args.sections / 1000:.0f}x the sections")


if __name__ == "__main__":
    main()
