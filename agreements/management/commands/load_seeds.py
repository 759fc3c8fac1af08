from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from agreements import services
from agreements.seeding import SEEDS_DIR, SeedError, load_seeds, missing_snapshots
from registry.outage import Unavailable


class Command(BaseCommand):
    help = "Load the seed agreements through the command path (idempotent: a second run appends nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--seeds-dir", default=str(SEEDS_DIR))

    def handle(self, *args, seeds_dir, **options):
        from pathlib import Path

        count = len(list((Path(seeds_dir) / "agreements").glob("*.yaml")))
        bar = tqdm(total=2 * count, unit="file", desc="loading seeds", file=self.stderr._out, disable=None)
        try:
            appended = load_seeds(Path(seeds_dir), progress=lambda plan: bar.update(1))
        except (SeedError, Unavailable) as exc:
            raise CommandError(str(exc)) from None
        finally:
            bar.close()
        services.sign_checkpoint_of_head()  # readers get proofs of everything loaded (docs/log.md)
        missing = missing_snapshots(Path(seeds_dir) / "reference" / "sources.yaml")
        if missing:
            from django.conf import settings

            self.stdout.write(
                f"{len(missing)} source(s) have no stored text ({', '.join(missing)}): their files are not in "
                f"{settings.PACTA_SOURCE_TEXTS} (PACTA_SOURCE_TEXTS), so their quotes stay unverified."
            )
        self.stdout.write(f"appended {appended} events")  # the summary comes last, after any warning
