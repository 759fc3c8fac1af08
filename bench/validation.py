"""Time the validation sweep: over the seeds, then over a synthetic corpus of 10,000 clauses.

Run it against a scratch database (it migrates it and adds agreements to it):

    PACTA_SQLITE_PATH=/tmp/bench-validation.sqlite3 python bench/validation.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_pacta_validation python bench/validation.py

The corpus is built through services.handle_many (the write path), 100 agreements of 100 clauses each;
every fourth clause refers to a clause of an earlier agreement (some to an eId that does not exist, some
to an agreement of a later date), so the sweep finds real problems. The validation jobs those writes make
are dropped before they commit: the build is not what is measured. Prints the sweep timings as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
os.environ.setdefault("PACTA_LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from agreements import services  # noqa: E402
from agreements.domain.commands import parse_command  # noqa: E402
from agreements.projections.models import AgreementRecord, ClauseVersion  # noqa: E402
from agreements.validation import sweep  # noqa: E402
from agreements.findings.models import Finding  # noqa: E402
from registry.outbox.models import OutboxJob  # noqa: E402
from registry import statistics  # noqa: E402


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def build_corpus(agreements: int, clauses: int) -> int:
    """Build the synthetic corpus; returns the number of clauses added."""
    added = 0
    for a in range(agreements):
        slug = f"bench-{a:03d}"
        if AgreementRecord.objects.filter(slug=slug).exists():
            added += clauses
            continue
        year = 1950 + a % 70
        commands = [parse_command("DraftAgreement", {"slug": slug, "title": f"Bench agreement {a}", "kind": "treaty",
                                                     "work_date": f"{year}-01-01"})]
        for n in range(1, clauses + 1):
            commands.append(parse_command("AddClause", {
                "eid": f"art_{n}", "text": f"Article {n} of bench agreement {a}: the parties cooperate.",
                "text_kind": "summary", "effective": f"{year}-01-01",
            }))
        for n in range(4, clauses + 1, 4):
            if a == 0:
                break
            target = f"bench-{(a * 7 + n) % a:03d}"
            target_eid = f"art_{n}" if n % 20 else f"art_{clauses + n}"  # every 20th: an eId that does not exist
            commands.append(parse_command("AddReference", {"eid": f"art_{n}", "target": target,
                                                           "target_eid": target_eid}))
        with transaction.atomic():
            mark = OutboxJob.objects.order_by("-created_at").values_list("created_at", flat=True).first()
            services.handle_many(commands, slug=slug)
            jobs = OutboxJob.objects.all() if mark is None else OutboxJob.objects.filter(created_at__gt=mark)
            jobs.delete()  # the build is not what is measured: its validation jobs never commit
        added += clauses
        print(f"  built {slug} ({added} clauses)", file=sys.stderr)
    return added


def sweep_once(label):
    plan = sweep.full_plan()
    report, seconds = timed(lambda: sweep.run(plan, check_urls=False))
    return {
        "corpus": label,
        "clauses": ClauseVersion.objects.values("clause_id").distinct().count(),
        "clauses_with_references_checked": len(report.checked_clauses),
        "agreements": AgreementRecord.objects.count(),
        "seconds": round(seconds, 2),
        "problems": dict(report.codes),
        "open_findings": Finding.objects.filter(resolved_at__isnull=True).count(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agreements", type=int, default=100)
    parser.add_argument("--clauses", type=int, default=100)
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}", file=sys.stderr)
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("load_seeds", stdout=devnull, stderr=devnull)
    results = [sweep_once("seeds"), sweep_once("seeds (second run: all findings already recorded)")]
    _, build_seconds = timed(lambda: build_corpus(args.agreements, args.clauses))
    statistics.refresh(connection.introspection.table_names())  # time on fresh planner statistics (PostgreSQL)
    synthetic = sweep_once(f"seeds + {args.agreements} x {args.clauses} synthetic clauses")
    synthetic["build_seconds"] = round(build_seconds, 1)
    results += [synthetic, sweep_once("same, second run")]
    print(json.dumps({"database": connection.vendor, "results": results}, indent=2))


if __name__ == "__main__":
    main()
