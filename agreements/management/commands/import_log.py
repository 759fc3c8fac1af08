"""`manage.py import_log FILE`: load an export_log file into an empty registry, verified first, all or nothing.

The checks and what is written are described in agreements/backup.py and docs/operations.md.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from agreements import backup, services


class Command(BaseCommand):
    help = ("Verify FILE (an export_log file: format, hash chain, counts, digest), then load it into this empty "
            "registry in one transaction, project the read models and print the projection hash. A file that "
            "does not verify, a truncated file or a non-empty registry is refused and nothing is written.")

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        bars = {}

        def progress(kind, n):
            if kind not in bars:
                bars[kind] = tqdm(total=None, unit=" " + kind, desc=kind, file=self.stderr._out, disable=None)
            bars[kind].update(n)

        try:
            result = backup.import_(file, progress=progress)
        except backup.Refused as exc:
            raise CommandError(f"refused, nothing was written: {exc}") from None
        except DatabaseError as exc:
            raise CommandError(f"the import failed and was rolled back, nothing was written: {exc}") from None
        finally:
            for bar in bars.values():
                bar.close()
        services.sign_checkpoint_of_head()  # this log's own checkpoint of the imported head (docs/log.md)
        self.stdout.write(f"verified {result.events} events; head {result.head_position} {result.head_hash}")
        self.stdout.write(f"imported {result.events} events and {result.rows} reference rows")
        self.stdout.write(f"projection hash: {result.projection_hash}")
