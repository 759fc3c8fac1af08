"""Import agreement files in the seed format (docs/seed-format.md) through the command path.

    python manage.py import_agreements FILE... [--dry-run]

Every problem is reported as `file: agreement: field: message`. A file with an error writes nothing; the
other files are imported (files may refer to one another: relations and references run after every file's
own facts, as in the seed loader). With --dry-run everything runs in a transaction that is rolled back.
Importing a file twice appends nothing the second time (each command has a deterministic id).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from agreements import services
from agreements.domain.commands import parse_command
from agreements.domain.errors import InvalidCommand
from agreements.seeding import SeedError, plan_agreement, read_yaml, run_plans
from registry.outage import Unavailable


class DryRunRollback(Exception):
    pass


def check_fields(plan) -> list[SeedError]:
    """Every field error of every command of a file, before anything runs (they need no database)."""
    problems = []
    for planned in plan.first + plan.second:
        try:
            parse_command(planned.type, planned.data)
        except InvalidCommand as exc:
            for field_name, messages in exc.errors.items():
                problems.append(SeedError(plan.file, plan.slug, f"{planned.where}.{field_name}", " ".join(messages)))
    return problems


class Command(BaseCommand):
    help = "Import agreement files (seed format) through the command path; a file with an error writes nothing."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="YAML files in the seeds' agreement format")
        parser.add_argument("--dry-run", action="store_true", help="check and run everything, then roll back")

    def handle(self, *args, files, dry_run, **options):
        problems: list[SeedError] = []
        plans, seen = [], {}
        for name in files:
            path = Path(name)
            try:
                if not path.is_file():
                    raise SeedError(path, None, "file", "no such file")
                plan = plan_agreement(path, read_yaml(path))
            except SeedError as exc:
                problems.append(exc)
                continue
            except (AttributeError, TypeError) as exc:  # a mapping where a list was expected, and the like
                problems.append(SeedError(path, None, "file", f"does not follow the seed format: {exc}"))
                continue
            if plan.slug in seen:
                problems.append(SeedError(path, plan.slug, "slug", f"also defined in {seen[plan.slug]}"))
                continue
            field_problems = check_fields(plan)
            if field_problems:
                problems += field_problems
                continue
            seen[plan.slug] = path
            plans.append(plan)

        appended, imported = 0, []
        try:
            with transaction.atomic():
                appended, imported = self._run(plans, problems)
                if dry_run:
                    raise DryRunRollback
        except DryRunRollback:
            pass
        except Unavailable as exc:  # e.g. a projection rebuild holding writes: nothing was imported
            raise CommandError(str(exc)) from None

        if not dry_run:
            services.sign_checkpoint_of_head()  # readers get proofs of everything imported (docs/log.md)
        for problem in problems:
            self.stderr.write(f"ERROR {problem.file}: {problem.slug or '-'}: {problem.field}: {problem.message}")
        verb = "would import" if dry_run else "imported"
        self.stdout.write(
            f"{verb} {len(imported)} agreement(s), {appended} event(s)"
            + (" (dry run: nothing was written)" if dry_run else "")
            + (f"; {len({str(p.file) for p in problems})} file(s) with errors written nothing" if problems else "")
        )
        if problems:
            raise CommandError(f"{len(problems)} problem(s) found")

    def _run(self, plans, problems):
        """Run all the good plans together; a file that fails is reported, dropped, and the rest run again
        (inside a savepoint, so the failed attempt leaves nothing behind)."""
        remaining = list(plans)
        while remaining:
            bar = tqdm(total=2 * len(remaining), unit="file", desc="importing", file=self.stderr._out, disable=None)
            try:
                with transaction.atomic():
                    appended = run_plans(remaining, progress=lambda plan: bar.update(1))
                return appended, remaining
            except SeedError as exc:
                problems.append(exc)
                remaining = [p for p in remaining if str(p.file) != str(exc.file)]
            finally:
                bar.close()
        return 0, []
