from django.core.management.base import BaseCommand
from tqdm import tqdm

from agreements.projections.rebuild import projection_hash, rebuild
from agreements.validation import sweep


class Command(BaseCommand):
    help = (
        "Drop every projection and rebuild it from the event store, re-derive the validation findings "
        "(they hang on the agreement rows), then print the projection hash."
    )

    def handle(self, *args, **options):
        bar = tqdm(total=None, unit="event", desc="rebuilding", file=self.stderr._out, disable=None)

        def progress(n, total):
            bar.total = total
            bar.update(n)

        count = rebuild(progress=progress)
        bar.close()
        self.stdout.write(f"replayed {count} events")
        report = sweep.run(check_urls=False)
        codes = ", ".join(f"{code} {n}" for code, n in sorted(report.codes.items())) or "none"
        self.stdout.write(f"re-validated the registry; problems by code: {codes}")
        self.stdout.write(f"projection hash: {projection_hash()}")
