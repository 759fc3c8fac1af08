"""The transparency log as readers see it: the latest signed checkpoint, the verifier key and the proofs.

Hashes are base64 (standard alphabet, padded) as the C2SP formats write them. Positions are the feed's
(1-based); the tree's leaf index is position - 1. A proof is asked for a tree size no larger than the log;
by default the latest signed checkpoint's, so it verifies against a signature. Nothing here shows an event's
content: a leaf hash commits to the record (whose event id is random), it does not reveal it.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.db.models import Count

from registry.eventstore import chain, checkpoints, merkle, store, tree, witness
from registry.eventstore.models import LogCheckpoint, StoredEvent

from .events import FeedEntry, _entries, leaf_hash
from .visibility import get_record

NoSigningKey = checkpoints.NoSigningKey
NoCheckpoint = checkpoints.NoCheckpoint


class LogRequestError(ValueError):
    """A proof asked for outside the tree: `field` names the parameter at fault; `beyond` when it names a tree
    or leaf the log does not have (yet), else the parameters contradict each other."""

    def __init__(self, field: str, message: str, beyond: bool = False):
        self.field, self.beyond = field, beyond
        super().__init__(message)


def b64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def checkpoint_text() -> str:
    """The latest signed checkpoint with its witnesses' cosignatures, exactly as C2SP writes it (NoSigningKey or
    NoCheckpoint when there is none to serve)."""
    return checkpoints.published(checkpoints.latest())


def verifier_key() -> str:
    return checkpoints.verifier_key()


@dataclass(frozen=True)
class SignedHead:
    size: int
    root: str  # base64
    witnesses: int  # how many trusted witnesses cosigned this checkpoint


def signed_head() -> SignedHead | None:
    """The latest checkpoint's size, root and cosignature count (one query); None when there is none yet.
    A plain read: checkpoints are signed in the background (registry/eventstore/tasks.py), never here."""
    latest = (LogCheckpoint.objects.annotate(witnesses=Count("cosignatures")).order_by("-size")
              .values_list("size", "root", "witnesses").first())
    if latest is None:
        return None
    return SignedHead(latest[0], b64(bytes(latest[1])), latest[2])


def _tree_size(tree_size: int | None, field: str) -> int:
    head = store.head().position
    if tree_size is None:
        head_checkpoint = signed_head()
        return head_checkpoint.size if head_checkpoint is not None else head
    if tree_size < 1:
        raise LogRequestError(field, "A tree has at least one leaf here: give 1 or more.")
    if tree_size > head:
        raise LogRequestError(field, f"The log has {head} events: no tree of {tree_size} exists yet.", beyond=True)
    return tree_size


def inclusion(position: int, tree_size: int | None = None) -> dict:
    """The inclusion proof of the event at `position` in the tree of `tree_size` leaves (default: the latest
    checkpoint's)."""
    size = _tree_size(tree_size, "tree_size")
    if position < 1:
        raise LogRequestError("position", "Positions start at 1.")
    if position > size:
        raise LogRequestError("position", f"Position {position} is not in the tree of {size} events"
                                          + ("" if tree_size else " of the latest checkpoint (a newer one is "
                                                                  "signed within seconds, or give tree_size)") + ".",
                              beyond=tree_size is None or position > store.head().position)
    leaf = tree.read([merkle.stored_index(0, position - 1)])[0]  # an event's, or a placeholder's on a copy
    return {
        "position": position, "leaf_index": position - 1, "tree_size": size, "leaf_hash": b64(leaf),
        "hashes": [b64(h) for h in tree.inclusion(position - 1, size)], "root": b64(tree.root_at(size)),
    }


def consistency(first: int, second: int | None = None) -> dict:
    """The consistency proof from the tree of `first` leaves to that of `second` (default: the latest
    checkpoint's size)."""
    size = _tree_size(second, "second")
    if first < 1:
        raise LogRequestError("first", "A tree has at least one leaf here: give 1 or more.")
    if first > size:
        raise LogRequestError("first", f"first ({first}) is larger than second ({size}).",
                              beyond=second is None or first > store.head().position)
    return {
        "first": first, "second": size, "hashes": [b64(h) for h in tree.consistency(first, size)],
        "first_root": b64(tree.root_at(first)), "second_root": b64(tree.root_at(size)),
    }


def agreement_proofs(slug: str, include_unpublished: bool = False) -> dict:
    """Everything needed to check one agreement's page without trusting this server: the signed checkpoint,
    the log's key, and each of its events with its record exactly as the chain and the tree cover it (the
    stored payload; left out, like in the feed, when it names an agreement the caller may not see), its leaf
    hash and its inclusion proof in that checkpoint's tree. Events newer than the checkpoint are listed
    without a proof until the next checkpoint covers them (within PACTA_LOG_CHECKPOINT_INTERVAL seconds).
    NoSigningKey or NoCheckpoint when no checkpoint can be shown."""

    record = get_record(slug, include_unpublished)
    checkpoint = checkpoints.latest()
    size = checkpoint.size
    rows = list(StoredEvent.objects.filter(stream_id=record.stream_id).order_by("stream_version"))
    entries = {entry.position: entry for entry in _entries(rows, include_unpublished, as_stored=True)}
    events = []
    for row in rows:
        entry = {"position": row.position, "leaf_hash": leaf_hash(row)}
        shown = entries.get(row.position)
        if isinstance(shown, FeedEntry):
            entry["record"] = chain.record(shown.position, shown.stream_id, shown.stream_version, shown.event_id,
                                           shown.type, shown.schema_version, shown.payload, shown.effective,
                                           shown.recorded_at)
        if row.position <= size:
            entry["leaf_index"] = row.position - 1
            entry["hashes"] = [b64(h) for h in tree.inclusion(row.position - 1, size)]
        events.append(entry)
    return {
        "slug": record.slug, "checkpoint": checkpoints.published(checkpoint), "key": checkpoints.verifier_key(),
        "tree_size": size, "events": events,
    }


TILE_HEIGHT = 8  # C2SP tlog-tiles: a tile is 2^8 = 256 hashes of one tree level
TILE_WIDTH = 1 << TILE_HEIGHT
MAX_TILE_LEVEL = 7  # level 7 holds subtrees of 2^56 leaves: every tree this log can have


def tile(level: int, index: int, width: int | None = None) -> bytes:
    """The C2SP tlog-tiles hash tile `tile/<level>/<index>[.p/<width>]`: the hashes (32 bytes each, in order) of
    the complete subtrees of 2^(8*level) leaves numbered index*256 to index*256 + width - 1 (a full tile: 256).
    A tile never changes once it exists; one the tree does not complete yet is a LogRequestError (`beyond`)."""
    want = TILE_WIDTH if width is None else width
    if not 0 <= level <= MAX_TILE_LEVEL or not 1 <= want <= (TILE_WIDTH if width is None else TILE_WIDTH - 1):
        raise LogRequestError("tile", f"No tile at level {level} of width {want}: levels run from 0 to "
                                      f"{MAX_TILE_LEVEL}, widths from 1 to {TILE_WIDTH - 1}.")
    complete = store.head().position >> (TILE_HEIGHT * level)  # complete subtrees at that level
    if complete - index * TILE_WIDTH < want:
        raise LogRequestError("tile", f"The tree does not complete tile {level}/{index} of {want} hashes yet.",
                              beyond=True)
    first = index * TILE_WIDTH
    return b"".join(tree.read([merkle.stored_index(TILE_HEIGHT * level, first + n) for n in range(want)]))


def empty_root() -> str:
    return b64(merkle.EMPTY_ROOT)


def witnessed_size(signed_checkpoint: str) -> tuple[str, int, int]:
    """For a copy about to witness: (origin, size) the signed checkpoint claims (not verified yet) and the
    size of the last checkpoint of that origin this copy cosigned (0: none)."""
    claimed = witness.peek(signed_checkpoint)
    last = witness.last_cosigned(claimed.origin)
    return claimed.origin, claimed.size, last.size if last is not None else 0


Placeholder = witness.Placeholder  # a position hidden from a copy: its chain links and leaf hash


def held_positions() -> list[int]:
    """On a copy: the positions it holds as placeholders (hidden from it when it copied them), in order."""
    return [p.position for p in store.placeholders()]
FeedRefused = witness.FeedRefused


def check_past_head(entries, signed_checkpoint: str, log_key: str) -> tuple[int, int]:
    """For a copy that cannot see every event (`follow` with no token): the feed past this copy's head checked
    against the followed log's signed checkpoint (registry/eventstore/witness.py); (size, hidden positions), or
    FeedRefused. Reads only: nothing is stored."""
    return witness.check_past_head(entries, signed_checkpoint, log_key)
