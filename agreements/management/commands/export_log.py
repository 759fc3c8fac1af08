"""`manage.py export_log FILE`: the whole registry (event log, reference data, chain head) as one verifiable file.

The format and its guarantees are described in agreements/backup.py and docs/operations.md.
"""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from agreements import backup


class Command(BaseCommand):
    help = ("Write the event log, the reference data (parties, sources and their texts, with their history) and "
            "the chain head to FILE, gzip-compressed JSON Lines. Written under a temporary name and renamed at "
            "the end: an interrupted export leaves no FILE.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write, e.g. pacta-2026-12-06.jsonl.gz")

    def handle(self, *args, file, **options):
        bars = {}

        def progress(kind, n):
            if kind not in bars:
                bars[kind] = tqdm(total=None, unit=" " + kind, desc=f"exporting {kind}", file=self.stderr._out,
                                  disable=None)
            bars[kind].update(n)

        try:
            result = backup.export(file, progress=progress)
        except OSError as exc:
            raise CommandError(f"cannot write {file}: {exc.strerror or exc}") from None
        finally:
            for bar in bars.values():
                bar.close()
        self.stdout.write(f"exported {result.events} events and {result.rows} reference rows to {file}")
        self.stdout.write(f"chain head: {result.head_position} {result.head_hash}")
