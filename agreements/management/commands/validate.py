"""python manage.py validate [--all | SLUG ...] [--urls | --no-urls] [--fail-on-error]

Runs validation synchronously, here, with a progress bar and a summary by finding code:
- `--all`: the full sweep (what Celery beat runs periodically);
- `SLUG ...`: those agreements fully (their clauses, the clauses referring to them, their facts);
- neither: the agreements changed since the last full sweep (everything when there was none).
"""

import uuid
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from tqdm import tqdm

from agreements.queries.agreements import agreement_slugs, agreements_changed_since
from agreements.queries.findings import last_sweep_started
from agreements.validation import sweep as sweeping
from agreements.findings.models import Finding
from agreements.validation.tasks import SWEEP, run_job


class Command(BaseCommand):
    help = "Validate the registry synchronously and print a summary of the findings by code."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="agreements to validate fully")
        parser.add_argument("--all", action="store_true", help="run the full sweep")
        urls = parser.add_mutually_exclusive_group()
        urls.add_argument("--urls", dest="urls", action="store_true", default=None,
                          help="also check source URLs (default: the PACTA_CHECK_URLS setting)")
        urls.add_argument("--no-urls", dest="urls", action="store_false")
        parser.add_argument("--fail-on-error", action="store_true",
                            help="exit with status 1 when error-level findings are open")

    def handle(self, *args, slugs, all, urls, fail_on_error, **options):
        if all and slugs:
            raise CommandError("Give agreement slugs or --all, not both.")
        if slugs:
            unknown = sorted(set(slugs) - set(agreement_slugs()))
            if unknown:
                raise CommandError(f"No such agreement: {', '.join(unknown)}.")
            plan, what = sweeping.plan_for_agreements(slugs), f"{len(slugs)} agreement(s)"
        else:
            since = None if all else last_sweep_started()
            if since is None:
                plan, what, all = sweeping.full_plan(), "the whole registry", True
            else:
                changed = agreements_changed_since(since)
                plan = sweeping.plan_for_agreements(changed)
                what = f"{len(changed)} agreement(s) changed since the last sweep ({since:%Y-%m-%d %H:%M})"
        check_urls = urls if urls is not None else None
        from django.conf import settings

        effective_urls = settings.PACTA_CHECK_URLS if check_urls is None else check_urls
        bar = tqdm(total=sweeping.units(plan, effective_urls), unit="item", desc="validating",
                   file=self.stderr._out, disable=None)
        holder = {}

        def work():
            holder["report"] = sweeping.run(plan, check_urls=effective_urls, progress=bar.update)
            return holder["report"]

        try:
            if all:  # a full sweep is recorded like beat's, so `validate` alone knows when it last ran
                run_job(uuid.uuid4(), SWEEP, work)
            else:
                work()
        finally:
            bar.close()
        self._summary(holder["report"], what, effective_urls)
        if fail_on_error and Finding.objects.filter(resolved_at__isnull=True, severity="error").exists():
            raise CommandError("Open error-level findings remain.", returncode=1)

    def _summary(self, report, what, urls):
        out = self.stdout
        agreements = max(report.agreements.values() or [0])
        out.write(f"Validated {what}: {len(report.checked_clauses)} clause(s) with references, "
                  f"{agreements} agreement(s), {report.sources} source URL(s)"
                  + ("" if urls else " (URL checks off)") + ".")
        out.write(f"This run: {report.outcome.seen} problem(s) found, {report.outcome.opened} new or reopened, "
                  f"{report.outcome.resolved} resolved.")
        rows = (
            Finding.objects.filter(resolved_at__isnull=True).values("severity", "code")
            .annotate(n=Count("id")).order_by("severity", "code")
        )
        totals = Counter()
        if not rows:
            out.write("Open findings: none.")
            return
        out.write("Open findings by code:")
        width = max(len(r["code"]) for r in rows)
        for r in rows:
            totals[r["severity"]] += r["n"]
            out.write(f"  {r['severity']:<8} {r['code']:<{width}} {r['n']:>6}")
        out.write("Total: " + ", ".join(f"{totals[s]} {s}" for s in ("error", "warning", "info") if totals[s]) + ".")
