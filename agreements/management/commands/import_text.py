"""Import a plain text copied from an official publication as an agreement's official clauses.

    python manage.py import_text FILE --slug S --title T [--date EDTF] [--language L] [--kind K] [--dry-run]
                                      [--accept-warnings]

The text is split by its headings (Article 1, Art. 2, ARTICLE III, Section 4, Chapter II, Part 1, and their
French and Spanish forms); the preview (eId, number, heading, first words) is printed before anything is
written, then any warning (one clause only, fewer articles than their numbers announce): with a warning nothing
is written unless --accept-warnings is given. The clauses are written as `official` text in one transaction.
The last line begins `imported SLUG`. A NUL character is refused, naming its line.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements import services
from agreements.domain import commands
from agreements.domain.errors import DomainError
from agreements.importers import text
from agreements.importers.documents import ImportRefused


class Command(BaseCommand):
    help = "Split a plain text into clauses by its headings and import it as a new agreement's official text."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--slug", required=True)
        parser.add_argument("--title", required=True)
        parser.add_argument("--date", default=None, help="EDTF date of the agreement; the clauses hold from it")
        parser.add_argument("--language", default="en")
        parser.add_argument("--kind", default="agreement")
        parser.add_argument("--dry-run", action="store_true", help="print the preview only")
        parser.add_argument("--accept-warnings", action="store_true",
                            help="write even when the split is warned about (one clause, missing articles)")

    def handle(self, *args, file, slug, title, date, language, kind, dry_run, accept_warnings=False, **options):
        path = Path(file)
        try:
            content = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file}: cannot be read as UTF-8 text: {exc}") from None
        try:
            clauses = text.split(content, file=file)
        except ImportRefused as exc:
            raise CommandError(str(exc)) from None
        if not clauses:
            raise CommandError(f"{file}: no text to import.")
        for row in text.preview(clauses):
            self.stdout.write(f"{row.eid:<20} {row.number:<8} {row.heading[:40]:<40} {row.first_words}")
        warnings = text.warnings(content, clauses)
        for warning in warnings:
            self.stdout.write(f"WARNING: {warning}")
        if warnings and not (accept_warnings or dry_run):
            raise CommandError(f"{file}: nothing was written ({len(warnings)} warning(s) above); check the split, "
                               "then run again with --accept-warnings to import it as shown.")
        try:
            draft = commands.parse_command("DraftAgreement", {"slug": slug, "title": title, "kind": kind,
                                                      **({"work_date": date} if date else {})})
            if dry_run:
                text.commands_for(clauses, language=language, effective=date)
                self.stdout.write(f"would import {slug} ({len(clauses)} clauses)")
                return
            events = text.write(slug, clauses, language=language, effective=date, draft=draft)
        except commands.InvalidCommand as exc:
            raise CommandError(f"{file}: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.errors.items())) from None
        except (ImportRefused, DomainError) as exc:
            raise CommandError(f"{file}: {exc}") from None
        services.sign_checkpoint_of_head()  # readers get proofs of everything imported (docs/log.md)
        self.stdout.write(f"imported {slug} ({len(clauses)} clauses, {events} events)")
