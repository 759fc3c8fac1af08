"""Recompute the whole hash chain and the Merkle tree of the event log and say whether both verify."""

import base64
import time

from django.core.management.base import BaseCommand, CommandError

from registry.eventstore import chain, store, tree


class Command(BaseCommand):
    help = ("Recompute every event's hash in position order (see registry/eventstore/chain.py) and the RFC 6962 "
            "tree over them (tree.py: every stored hash is compared). Prints 'verified N events; head <hash>; "
            "tree root <base64>' and exits 0, or names the first position or tree hash that does not verify and "
            "exits 1.")

    def add_arguments(self, parser):
        parser.add_argument("--progress-every", type=int, default=10_000, help="events between progress lines")

    def handle(self, *args, progress_every, **options):
        state = {"count": 0, "head": chain.GENESIS}
        started = time.monotonic()

        def chained():
            # One pass over the events: the chain checks each link, the tree recomputes its leaf.
            rows = store.stored_entries()
            links = _links(_tee(rows, pending))
            for count, (_, head_hash) in enumerate(links, start=1):
                state["count"], state["head"] = count, head_hash
                if progress_every and count % progress_every == 0:
                    self.stderr.write(f"  verified {count:,} events ({time.monotonic() - started:.1f} s)")
                yield pending.pop(0)

        pending = []
        try:
            size, root = tree.verify(chained())
        except chain.ChainBroken as broken:
            raise CommandError(f"the log does not verify at position {broken.where.position}: "
                               f"{broken.where.reason}") from None
        except tree.TreeBroken as broken:
            raise CommandError(f"the Merkle tree does not verify: {broken}") from None
        count, head_hash = state["count"], state["head"]
        counter = store.head()
        if (counter.position, counter.hash) != (count, head_hash):
            raise CommandError(f"the log verifies up to position {count} ({head_hash}), but the counter row says "
                               f"the head is position {counter.position} ({counter.hash})")
        self.stdout.write(f"verified {count} events; head {head_hash}; tree root {base64.b64encode(root).decode()}")


def _links(entries):
    """chain.verify over events and, on a copy, the placeholders between them: a placeholder's position and
    prev_hash are checked, its hash taken as given (its leaf is checked by the tree's root)."""
    position, prev = 0, chain.GENESIS
    for entry in entries:
        if isinstance(entry, store.Placeholder):
            if entry.position != position + 1:
                raise chain.ChainBroken(chain.Break(entry.position, f"expected position {position + 1} (a gap or "
                                                                    "a reordering)"))
            if entry.prev_hash != prev:
                raise chain.ChainBroken(chain.Break(entry.position, f"prev_hash {entry.prev_hash} does not match "
                                                                    f"the previous hash {prev}"))
        else:
            for _ in chain.verify([entry], prev, position):
                pass
        position, prev = entry.position, entry.hash
        yield position, prev


def _tee(rows, pending):
    """Hand each row to the chain's check and keep it for the tree, which takes it once its link verified."""
    for row in rows:
        pending.append(row)
        yield row
