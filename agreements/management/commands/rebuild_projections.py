from django.core.management.base import BaseCommand
from tqdm import tqdm

from agreements.projections.rebuild import projection_hash, rebuild


class Command(BaseCommand):
    help = "Drop every projection and rebuild it from the event store, then print the projection hash."

    def handle(self, *args, **options):
        bar = tqdm(total=None, unit="event", desc="rebuilding", file=self.stderr._out, disable=None)

        def progress(n, total):
            bar.total = total
            bar.update(n)

        count = rebuild(progress=progress)
        bar.close()
        self.stdout.write(f"replayed {count} events")
        self.stdout.write(f"projection hash: {projection_hash()}")
