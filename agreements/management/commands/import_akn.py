"""Import Akoma Ntoso 3.0 files through the command path (docs/importing.md).

    python manage.py import_akn FILE... [--publish] [--dry-run]

Files are read in groups of FILES_PER_LOAD; the new works of a group are stored in one bulk load (one
transaction), later expressions one transaction each. A malformed or refused file writes nothing and is
reported with its line (and eId); the other files are imported. The last line for a file begins `imported SLUG`. Importing the same file
again appends nothing; a later expression of a work amends the clauses that changed, from its date.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements import services
from agreements.importers import akn
from agreements.importers.documents import ImportRefused
from agreements.importers.loading import load_many

FILES_PER_LOAD = 100  # files read, then stored in one bulk load; their clause texts are held in memory meanwhile


class Command(BaseCommand):
    help = "Import Akoma Ntoso 3.0 files (act, bill, doc, statement, documentCollection) as agreements."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="Akoma Ntoso XML files")
        parser.add_argument("--publish", action="store_true", help="submit for review and publish what is imported")
        parser.add_argument("--dry-run", action="store_true", help="check everything, then roll back")

    def handle(self, *args, files, publish, dry_run, **options):
        failed = []
        for start in range(0, len(files), FILES_PER_LOAD):
            documents = []
            for name in files[start:start + FILES_PER_LOAD]:
                try:
                    documents.append(self._read(name))
                except ImportRefused as exc:
                    self.stderr.write(str(exc))
                    failed.append(name)
            for document, outcome in zip(documents, load_many(documents, publish=publish, dry_run=dry_run)):
                if isinstance(outcome, ImportRefused):
                    self.stderr.write(str(outcome))
                    failed.append(document.file)
                    continue
                what = "would import" if dry_run else "imported"
                state = "new" if outcome.created else "existing"
                self.stdout.write(f"{what} {outcome.slug} ({state}; {outcome.clauses} clauses, {outcome.events} events)")
        if not dry_run:
            services.sign_checkpoint_of_head()  # readers get proofs of everything imported (docs/log.md)
        if failed:
            raise CommandError(f"{len(failed)} of {len(files)} file(s) refused; nothing of them was written.")

    def _read(self, name):
        if not Path(name).is_file():
            raise ImportRefused(name, None, "no such file")
        self.stdout.write(f"{name}: reading")
        document = akn.read(name)
        self.stdout.write(f"{name}: {document.doc_type} {document.source_uri}, {len(document.clauses)} clauses, "
                          f"language {document.language}, expression {document.expression_date or '-'}")
        return document
