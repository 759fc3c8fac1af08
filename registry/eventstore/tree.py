"""The stored Merkle tree over the event log: kept with the events, read for proofs, checked by verify_log.

`pacta_log_hash` holds every complete subtree's hash under merkle.stored_index: appending leaves only ever
adds rows at the end of that sequence (ids stored_count(size) onwards). The store writes them in the append
transaction, under the position counter's lock, from the tree's frontier (the log2(n) hashes of the complete
subtrees of the current size), so the tree always has exactly as many leaves as the log has events and the
lag is zero: an event is provable as soon as it is committed.

The frontier is read (one query by primary key) when the store locks the head, or carried along with the
head a connection remembers (store.Head.frontier). `catch_up` builds the hashes of events stored without
them (a database migrated from before the tree, rows copied in by hand): appends call it when the frontier
is incomplete, so it runs once, inside the append that found it.

A proof reads only the stored hashes it needs (merkle.needed: at most about 2 log2(n) rows) in one query.
"""

from __future__ import annotations

from typing import Sequence

from django.db import connection

from . import chain, merkle
from .models import stored_rows


class TreeBroken(Exception):
    """A stored hash does not match the one recomputed from the events."""


class MissingHashes(LookupError):
    pass


def leaf_of(event) -> bytes:
    """The leaf hash of anything with the chain's nine attributes (a stored row, a RecordedEvent), or the one a
    placeholder holds (store.py: a position hidden from a copy)."""
    held = getattr(event, "leaf_hash", None)
    if held is not None:
        return bytes(held)
    return merkle.leaf_hash(chain.canonical_json(chain.record_of(event)))


def read(indexes: Sequence[int]) -> list[bytes]:
    """The stored hashes at `indexes`, in that order (one query); MissingHashes names those not stored."""
    if not indexes:
        return []
    found = {}
    unique = sorted(set(indexes))
    with connection.cursor() as cursor:
        for start in range(0, len(unique), 500):
            chunk = unique[start:start + 500]
            cursor.execute(f"SELECT id, hash FROM pacta_log_hash WHERE id IN ({', '.join(['%s'] * len(chunk))})",
                           chunk)
            found.update((i, bytes(h)) for i, h in cursor.fetchall())
    missing = [i for i in unique if i not in found]
    if missing:
        raise MissingHashes(f"the tree has no stored hash at {missing[:5]}")
    return [found[i] for i in indexes]


def frontier(size: int) -> list[bytes]:
    """The hashes of the complete subtrees of the tree of `size` leaves (largest first), building any
    missing ones from the events first (`catch_up`). Called under the position counter's lock."""
    try:
        return read(merkle.frontier_indexes(size))
    except MissingHashes:
        catch_up(size)
        return read(merkle.frontier_indexes(size))


def leaves_stored() -> int:
    """How many leaves the stored hashes cover (the sequence is always whole for some size)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM pacta_log_hash")
        last = cursor.fetchone()[0]
    if last is None:
        return 0
    count = last + 1
    for size in range(count // 2, count // 2 + 66):
        if merkle.stored_count(size) == count:
            return size
    raise TreeBroken(f"the stored tree ends at hash {last}, which no whole tree ends at")


def write(start: int, hashes: Sequence[bytes]) -> None:
    """Store `hashes` at ids start, start + 1, ... (the next ones of the sequence)."""
    with connection.cursor() as cursor:
        for at in range(0, len(hashes), 1000):
            chunk = hashes[at:at + 1000]
            params = []
            for k, h in enumerate(chunk):
                params += [start + at + k, h]
            cursor.execute(f"INSERT INTO pacta_log_hash (id, hash) VALUES {', '.join(['(%s, %s)'] * len(chunk))}",
                           params)


def grow(front: list[bytes], size: int, leaves: Sequence[bytes]) -> list[bytes]:
    """The hashes appending `leaves` to the tree of `size` leaves stores (from stored_count(size) on);
    `front` (that tree's frontier) becomes the new tree's."""
    out: list[bytes] = []
    for k, leaf in enumerate(leaves):
        out += merkle.append_leaf(front, size + k, leaf)
    return out


def catch_up(size: int, batch: int = 5000, rows_after=None) -> int:
    """Build and store the hashes of the events 1..size the tree does not cover yet; returns how many leaves
    were added. Events are read as stored (`rows_after(position)`, by default models.stored_rows), exactly
    what the chain covers."""
    if rows_after is None:
        rows_after = stored_rows

    done = leaves_stored()
    if done >= size:
        return 0
    front = read(merkle.frontier_indexes(done))
    added, pending, at = 0, [], merkle.stored_count(done)
    for row in rows_after(done):
        if row.position > size:
            break
        if row.position != done + added + 1:
            raise TreeBroken(f"position {row.position} follows {done + added}: the log has a gap")
        pending += merkle.append_leaf(front, done + added, leaf_of(row))
        added += 1
        if len(pending) >= batch:
            write(at, pending)
            at += len(pending)
            pending = []
    write(at, pending)
    return added


def root_at(size: int) -> bytes:
    return merkle.fold(read(merkle.frontier_indexes(size)))


def inclusion(index: int, size: int) -> list[bytes]:
    """RFC 6962 PATH for leaf `index` (0-based) in the tree of `size` leaves; size must not exceed the log."""
    return merkle.inclusion_proof(index, size, read)


def consistency(first: int, second: int) -> list[bytes]:
    return merkle.consistency_proof(first, second, read)


def verify(rows, batch: int = 5000) -> tuple[int, bytes]:
    """Recompute the tree from `rows` (every stored event in position order) and compare every stored hash,
    in stored order; returns (leaves, root). Raises TreeBroken at the first stored hash that differs."""
    front: list[bytes] = []
    expected: list[bytes] = []
    at, size = 0, 0

    def compare(upto_all=False):
        nonlocal at, expected
        while len(expected) >= batch or (upto_all and expected):
            chunk, expected = expected[:batch], expected[batch:]
            with connection.cursor() as cursor:
                cursor.execute("SELECT id, hash FROM pacta_log_hash WHERE id >= %s AND id < %s ORDER BY id",
                               [at, at + len(chunk)])
                stored = {i: bytes(h) for i, h in cursor.fetchall()}
            for k, h in enumerate(chunk):
                if stored.get(at + k) != h:
                    level, n = split(at + k)
                    what = "is missing" if at + k not in stored else "differs from the recomputed one"
                    raise TreeBroken(f"the stored tree hash {at + k} (level {level}, subtree {n}) {what}")
            at += len(chunk)

    for row in rows:
        expected += merkle.append_leaf(front, size, leaf_of(row))
        size += 1
        compare()
    compare(upto_all=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pacta_log_hash WHERE id >= %s", [at])
        extra = cursor.fetchone()[0]
    if extra:
        raise TreeBroken(f"the tree stores {extra} hashes beyond the {size} events of the log")
    return size, merkle.fold(front)


def split(index: int) -> tuple[int, int]:
    """(level, n) of a stored index (for messages): stored_index is increasing in n at every level."""
    for level in range(64):
        lo, hi = 0, index + 1
        while lo < hi:
            mid = (lo + hi) // 2
            if merkle.stored_index(level, mid) < index:
                lo = mid + 1
            else:
                hi = mid
        if merkle.stored_index(level, lo) == index:
            return level, lo
    raise ValueError(f"{index} is no stored index")
