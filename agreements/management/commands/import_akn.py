"""Import Akoma Ntoso 3.0 files through the command path (docs/importing.md).

    python manage.py import_akn FILE... [--publish] [--dry-run]

Each file is one transaction: a malformed or refused file writes nothing and is reported with its line;
the other files are imported. The last line for a file begins `imported SLUG`. Importing the same file
again appends nothing; a later expression of a work amends the clauses that changed, from its date.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements.importers import akn
from agreements.importers.documents import ImportRefused
from agreements.importers.loading import load


class Command(BaseCommand):
    help = "Import Akoma Ntoso 3.0 files (act, bill, doc, statement, documentCollection) as agreements."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="Akoma Ntoso XML files")
        parser.add_argument("--publish", action="store_true", help="submit for review and publish what is imported")
        parser.add_argument("--dry-run", action="store_true", help="check everything, then roll back")

    def handle(self, *args, files, publish, dry_run, **options):
        failed = []
        for name in files:
            try:
                if not Path(name).is_file():
                    raise ImportRefused(name, None, "no such file")
                self.stdout.write(f"{name}: reading")
                document = akn.read(name)
                self.stdout.write(f"{name}: {document.doc_type} {document.source_uri}, {len(document.clauses)} clauses, "
                                  f"language {document.language}, expression {document.expression_date or '-'}")
                result = load(document, publish=publish, dry_run=dry_run)
            except ImportRefused as exc:
                self.stderr.write(str(exc))
                failed.append(name)
                continue
            what = "would import" if dry_run else "imported"
            state = "new" if result.created else "existing"
            self.stdout.write(f"{what} {result.slug} ({state}; {result.clauses} clauses, {result.events} events)")
        if failed:
            raise CommandError(f"{len(failed)} of {len(files)} file(s) refused; nothing of them was written.")
