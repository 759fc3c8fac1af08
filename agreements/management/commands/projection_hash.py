from django.core.management.base import BaseCommand

from agreements.projections.rebuild import projection_hash


class Command(BaseCommand):
    help = "Print the hash of the current projected state (compare it before and after a rebuild)."

    def handle(self, *args, **options):
        self.stdout.write(f"projection hash: {projection_hash()}")
