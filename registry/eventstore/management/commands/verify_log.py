"""Recompute the whole hash chain of the event log and say whether it verifies."""

import time

from django.core.management.base import BaseCommand, CommandError

from registry.eventstore import chain, store


class Command(BaseCommand):
    help = ("Recompute every event's hash in position order (see registry/eventstore/chain.py). Prints "
            "'verified N events; head <hash>' and exits 0, or names the first position that does not verify "
            "and exits 1.")

    def add_arguments(self, parser):
        parser.add_argument("--progress-every", type=int, default=10_000, help="events between progress lines")

    def handle(self, *args, progress_every, **options):
        count, head_hash, started = 0, chain.GENESIS, time.monotonic()
        try:
            for count, (_, head_hash) in enumerate(chain.verify(store.stored_rows()), start=1):
                if progress_every and count % progress_every == 0:
                    self.stderr.write(f"  verified {count:,} events ({time.monotonic() - started:.1f} s)")
        except chain.ChainBroken as broken:
            raise CommandError(f"the log does not verify at position {broken.where.position}: "
                               f"{broken.where.reason}") from None
        counter = store.head()
        if (counter.position, counter.hash) != (count, head_hash):
            raise CommandError(f"the log verifies up to position {count} ({head_hash}), but the counter row says "
                               f"the head is position {counter.position} ({counter.hash})")
        self.stdout.write(f"verified {count} events; head {head_hash}")
