"""A copy as a witness of the log it follows: verify a new checkpoint, then cosign it (C2SP tlog-cosignature).

A witness cosigns a checkpoint only when all of these hold, and otherwise refuses with the reason and keeps
nothing of it (its record of the log stays at the last checkpoint it cosigned):

1. the checkpoint is a signed note that verifies under the followed log's verifier key (given to the copy,
   never fetched from the log it checks), and its origin is that key's name;
2. it is not smaller than the last checkpoint this witness cosigned for that origin (no rollback), and at the
   same size it has the same root (no fork);
3. a consistency proof (RFC 6962) leads from the last cosigned checkpoint to it: the log only grew;
4. this copy, which copied and chain-verified the same events, computes the same root for that size.

Then the cosignature line (cosignature/v1, Ed25519, the witness's own key: PACTA_WITNESS_SIGNING_KEY[_FILE])
is returned, for the copy to hand to the log, and the checkpoint becomes the witness's latest for that origin
(pacta_witnessed_log).
"""

from __future__ import annotations

import time
from typing import Iterable

from django.db import transaction
from django.utils import timezone

from . import chain, checkpoints, merkle, note, records, store, tree
from .models import WitnessedLog


class WitnessRefused(Exception):
    """This witness will not cosign the checkpoint. `later`: not refused for good, the copy has not copied
    that far yet."""

    def __init__(self, message: str, later: bool = False):
        self.later = later
        super().__init__(message)


def last_cosigned(origin: str) -> WitnessedLog | None:
    return WitnessedLog.objects.filter(origin=origin).first()


def peek(signed_checkpoint: str) -> note.Checkpoint:
    """The checkpoint a signed note carries, NOT verified (to know which consistency proof to ask for)."""
    try:
        return note.Checkpoint.parse(note.split(signed_checkpoint)[0])
    except note.NoteError as exc:
        raise WitnessRefused(f"the log's checkpoint is malformed: {exc}") from None


def open_checkpoint(signed_checkpoint: str, log_key: str, refused=None) -> tuple[str, note.Checkpoint]:
    """(note text, checkpoint) of a signed checkpoint that verifies under `log_key` and whose origin is the key's
    name; else `refused` (WitnessRefused by default) saying why."""
    refused = refused or WitnessRefused
    try:
        verifier = note.Verifier.parse(log_key, kinds=(note.ED25519,))
    except note.NoteError as exc:
        raise refused(f"the followed log's key: {exc}") from None
    try:
        text, _ = note.open_note(signed_checkpoint, verifier)
        checkpoint = note.Checkpoint.parse(text)
    except note.NoteError as exc:
        raise refused(f"the log's checkpoint does not verify: {exc}") from None
    if checkpoint.origin != verifier.name:
        raise refused(f"the checkpoint's origin {checkpoint.origin!r} is not the key's name {verifier.name!r}")
    return text, checkpoint


def witness(signed_checkpoint: str, log_key: str, proof: list[bytes], now: float | None = None) -> str:
    text, checkpoint = open_checkpoint(signed_checkpoint, log_key)
    signer = checkpoints.witness_signer()
    with transaction.atomic():
        last = WitnessedLog.objects.select_for_update().filter(origin=checkpoint.origin).first()
        if last is not None:
            old_root = bytes(last.root)
            if checkpoint.size < last.size:
                raise WitnessRefused(f"the log went back from the tree of {last.size} events this witness cosigned "
                                     f"to {checkpoint.size}: a rollback")
            if checkpoint.size == last.size and checkpoint.root != old_root:
                raise WitnessRefused(f"the tree of {checkpoint.size} events has another root than the one this "
                                     "witness cosigned: a fork (rewritten history)")
            if checkpoint.size > last.size and last.size > 0 and not merkle.verify_consistency(
                    last.size, checkpoint.size, old_root, checkpoint.root, proof):
                raise WitnessRefused(f"the consistency proof from the tree of {last.size} events this witness "
                                     f"cosigned to the new one of {checkpoint.size} does not verify: the log's history "
                                     "was rewritten")
        held = store.head().position
        if held < checkpoint.size:
            raise WitnessRefused(f"this copy holds {held} events, not yet the {checkpoint.size} of the checkpoint",
                                 later=True)
        own = tree.root_at(checkpoint.size) if checkpoint.size else merkle.EMPTY_ROOT
        if own != checkpoint.root:
            raise WitnessRefused(f"the checkpoint's root for {checkpoint.size} events is not the root of the same "
                                 "events this copy verified and holds: rewritten history")
        line = note.cosign(text, signer, int(time.time() if now is None else now))
        WitnessedLog.objects.update_or_create(origin=checkpoint.origin, defaults={
            "size": checkpoint.size, "root": checkpoint.root, "note": signed_checkpoint,
            "cosigned_at": timezone.now()})
    return line


# ------------------------------------------------------------------------------------------- a copy without a token
# An anonymous reader's feed shows a placeholder where an event is hidden from it: the position, the chain's
# two hashes and the event's Merkle leaf hash, never its content. Such a copy checks everything past its head
# against the log's signed checkpoint here, then stores the public events and holds the hidden positions as
# placeholders (store.py).


class FeedRefused(Exception):
    """The feed past this copy's head does not verify against the log's signed checkpoint (the message names
    the position or the root at fault). `later`: not refused, the feed does not reach the checkpoint yet."""

    def __init__(self, message: str, later: bool = False):
        self.later = later
        super().__init__(message)


Placeholder = records.Placeholder  # a position hidden from this copy: its chain links and leaf hash


def check_past_head(entries: Iterable, signed_checkpoint: str, log_key: str) -> tuple[int, int]:
    """Check the feed past this copy's head against the log's signed checkpoint; returns (the checkpoint's size,
    how many hidden positions it covered), or raises FeedRefused.

    `entries` are the feed's, in position order from just after the copy's head: events (anything with the
    chain's nine attributes, `prev_hash` and `hash`) and Placeholders. Up to the checkpoint's size, each must link
    to the one before it (a public event's hash is recomputed from its record; a placeholder's is taken as given,
    the next one's link checks it), and the tree of every position (this copy's own tree up to its head, then each
    public record's leaf hash computed here and each placeholder's as given) must have the signed root. A
    checkpoint within what this copy holds is checked against the copy's own tree."""
    _, checkpoint = open_checkpoint(signed_checkpoint, log_key, FeedRefused)
    head = store.head()
    if checkpoint.size <= head.position:
        own = tree.root_at(checkpoint.size) if checkpoint.size else merkle.EMPTY_ROOT
        if own != checkpoint.root:
            raise FeedRefused(f"the signed root of the tree of {checkpoint.size} events is not the root of the same "
                              "events this copy verified and holds: rewritten history")
        return checkpoint.size, 0
    front = tree.frontier(head.position) if head.position else []
    size, prev, hidden = head.position, head.hash, 0
    for entry in entries:
        if size == checkpoint.size:
            break
        if entry.position != size + 1:
            raise FeedRefused(f"position {entry.position}: expected position {size + 1} (a gap or a reordering)")
        if entry.prev_hash != prev:
            raise FeedRefused(f"position {entry.position}: prev_hash {entry.prev_hash} does not match the previous "
                              f"hash {prev}")
        if isinstance(entry, Placeholder):
            leaf, hidden = entry.leaf_hash, hidden + 1
        else:
            record = chain.record_of(entry)
            if chain.link(prev, record) != entry.hash:
                raise FeedRefused(f"position {entry.position}: hash {entry.hash} does not match the one recomputed "
                                  "from its record")
            leaf = merkle.leaf_hash(chain.canonical_json(record))
        merkle.append_leaf(front, size, leaf)
        size, prev = size + 1, entry.hash
    if size < checkpoint.size:
        raise FeedRefused(f"the feed ends at position {size}, before the checkpoint's {checkpoint.size}", later=True)
    if merkle.fold(front) != checkpoint.root:
        raise FeedRefused(f"the tree of {size} events recomputed from the feed (public records hashed here, hidden "
                          "positions' leaf hashes as given) does not have the signed root: the feed and the "
                          "checkpoint tell two histories")
    return checkpoint.size, hidden
