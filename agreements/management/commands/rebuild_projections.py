from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from agreements.projections.lock import WritesInFlight
from agreements.projections.rebuild import (
    HoldsPlaceholders,
    RebuildRunning,
    SwitchBlocked,
    projection_hash,
    rebuild_beside,
    rebuild_in_place,
)
from agreements.queries.summaries import forget_kept
from agreements.validation import sweep


class Command(BaseCommand):
    help = (
        "Rebuild every projection from the event store, re-derive the validation findings (they hang on the "
        "agreement rows), then print the projection hash. On PostgreSQL the new read models are built beside "
        "the live ones while reads and writes go on, and switched in by one short transaction (writes wait for "
        "that transaction only); with --in-place (and always on SQLite) they are rebuilt in one transaction "
        "during which writes wait (and get a 503 after PACTA_REBUILD_WAIT_SECONDS). Agreement row ids are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--lock-timeout", type=float, default=60, metavar="SECONDS",
                            help="How long to wait for the writes in flight to finish (default 60).")
        parser.add_argument("--in-place", action="store_true",
                            help="Rebuild the live tables in one transaction, holding writes out throughout.")
        parser.add_argument("--final-lag", type=int, default=20, metavar="EVENTS",
                            help="Catch up in rounds until fewer events than this remain, then switch (default 20).")
        parser.add_argument("--switch-timeout", type=float, default=2, metavar="SECONDS",
                            help="How long the switch waits for readers of the live tables before it is tried "
                                 "again (default 2).")

    def handle(self, *args, **options):
        bar = tqdm(total=None, unit="event", desc="rebuilding", file=self.stderr._out, disable=None)

        def progress(n, total):
            bar.total = total
            bar.update(n)

        # Beside needs PostgreSQL and commits as it goes: never inside a caller's transaction (call_command in one).
        in_place = options["in_place"] or connection.vendor != "postgresql" or connection.in_atomic_block
        try:
            if in_place:
                report = rebuild_in_place(progress=progress, lock_timeout=options["lock_timeout"])
            else:
                report = rebuild_beside(progress=progress, lock_timeout=options["lock_timeout"],
                                        final_lag=options["final_lag"], switch_timeout=options["switch_timeout"])
        except (WritesInFlight, RebuildRunning, HoldsPlaceholders) as exc:
            raise CommandError(str(exc)) from None
        except SwitchBlocked as exc:
            raise CommandError(f"Readers kept the live read models busy at every switch; nothing changed: {exc}") from None
        finally:
            bar.close()
        self.stdout.write(f"replayed {report.events} events")
        if report.beside:
            self.stdout.write(f"built beside the live read models in {report.rounds} round(s); writes waited "
                              f"{report.writes_held:.3f} s at the switch")
        else:
            self.stdout.write(f"rebuilt in place; writes waited {report.writes_held:.1f} s")
        self.stdout.write(f"counts shared by the pages forgotten, counted again when next read: {forget_kept()}")
        report = sweep.run(check_urls=False)
        codes = ", ".join(f"{code} {n}" for code, n in sorted(report.codes.items())) or "none"
        self.stdout.write(f"re-validated the registry; problems by code: {codes}")
        self.stdout.write(f"projection hash: {projection_hash()}")
