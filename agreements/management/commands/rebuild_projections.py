from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from agreements.projections.lock import WritesInFlight
from agreements.projections.rebuild import projection_hash, rebuild
from agreements.validation import sweep


class Command(BaseCommand):
    help = (
        "Drop every projection and rebuild it from the event store, re-derive the validation findings "
        "(they hang on the agreement rows), then print the projection hash. Writes wait meanwhile (and get "
        "a 503 after PACTA_REBUILD_WAIT_SECONDS); agreement row ids are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--lock-timeout", type=float, default=60, metavar="SECONDS",
                            help="How long to wait for the writes in flight to finish (default 60).")

    def handle(self, *args, **options):
        bar = tqdm(total=None, unit="event", desc="rebuilding", file=self.stderr._out, disable=None)

        def progress(n, total):
            bar.total = total
            bar.update(n)

        try:
            count = rebuild(progress=progress, lock_timeout=options["lock_timeout"])
        except WritesInFlight as exc:
            raise CommandError(str(exc)) from None
        finally:
            bar.close()
        self.stdout.write(f"replayed {count} events")
        report = sweep.run(check_urls=False)
        codes = ", ".join(f"{code} {n}" for code, n in sorted(report.codes.items())) or "none"
        self.stdout.write(f"re-validated the registry; problems by code: {codes}")
        self.stdout.write(f"projection hash: {projection_hash()}")
