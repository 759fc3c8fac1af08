"""The RFC 6962 Merkle tree over the event log: hashes, proofs and their checks, in plain Python.

The tree (RFC 6962 section 2.1, unchanged in RFC 9162 section 2.1) has one leaf per stored event, in
position order (the event at position p is leaf p - 1):

    leaf hash  = SHA-256(0x00 || canonical record)        canonical record: chain.canonical_json(record)
    node hash  = SHA-256(0x01 || left || right)
    empty tree = SHA-256("")

so the leaf commits to exactly the record the hash chain covers (chain.py), and anybody who can recompute a
chain link can recompute a leaf.

Stored hashes, O(log n) reads per proof
--------------------------------------
Every complete subtree of the tree is stored once, under one integer: the layout of Go's checksum
database (golang.org/x/mod/sumdb/tlog), where appending leaf n stores the leaf's hash and then the hash of
every subtree that leaf completes, so the stored hashes form an append-only sequence:

    stored_index(level, n) = the place of the n-th subtree of 2**level leaves in that sequence

A tree of any size is the ordered list of its complete subtrees (its "frontier": one per set bit of the
size, largest first); its root folds them from the right. A proof is a list of subtree hashes; each is a
complete subtree (one stored hash) or a right-edge range that decomposes into at most log2(n) complete ones.
`inclusion_plan` / `consistency_plan` list the stored indexes a proof needs (read in one query), and
`assemble` turns the hashes read into the proof, leaf-to-root as RFC 6962's PATH and PROOF order them.

Checks are the iterative algorithms of RFC 9162 sections 2.1.3.2 (inclusion) and 2.1.4.2 (consistency),
written independently of the generator above so that one does not merely agree with itself.
"""

from __future__ import annotations

import hashlib
from typing import Callable, Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


# ------------------------------------------------------------------------------------------- stored layout


def stored_index(level: int, n: int) -> int:
    """Where the hash of the n-th subtree of 2**level leaves sits in the sequence of stored hashes."""
    n = ((n + 1) << level) - 1  # the index of that subtree's last leaf: it is stored right after that leaf
    i = 0
    while n > 0:
        i += n
        n >>= 1
    return i + level


def stored_count(size: int) -> int:
    """How many hashes a tree of `size` leaves stores (2 * size - popcount(size))."""
    return 2 * size - bin(size).count("1")


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1): RFC 6962's k."""
    return 1 << ((n - 1).bit_length() - 1)


def subtrees(lo: int, hi: int) -> list[tuple[int, int]]:
    """The complete subtrees that make up the leaves [lo, hi) when lo is where a tree of hi leaves would
    split them (as in every proof): (level, index) pairs, largest first."""
    out = []
    while lo < hi:
        level = (hi - lo).bit_length() - 1
        while lo & ((1 << level) - 1):  # never taken for the ranges proofs use; kept for any other caller
            level -= 1
        out.append((level, lo >> level))
        lo += 1 << level
    return out


def frontier_indexes(size: int) -> list[int]:
    """The stored indexes of the complete subtrees of a tree of `size` leaves, largest first."""
    return [stored_index(level, n) for level, n in subtrees(0, size)]


def fold(hashes: Sequence[bytes]) -> bytes:
    """The root over consecutive complete subtrees, largest first (RFC 6962's MTH of their union)."""
    if not hashes:
        return EMPTY_ROOT
    root = hashes[-1]
    for h in reversed(hashes[:-1]):
        root = node_hash(h, root)
    return root


def append_leaf(frontier: list[bytes], size: int, leaf: bytes) -> list[bytes]:
    """Add leaf number `size` (0-based) to the tree whose frontier is `frontier` (changed in place).

    Returns the hashes this leaf makes stored, in stored order: the leaf, then each subtree it completes."""
    out, h, n = [leaf], leaf, size
    while n & 1:
        h = node_hash(frontier.pop(), h)
        out.append(h)
        n >>= 1
    frontier.append(h)
    return out


class Tree:
    """A whole tree in memory (for tests, the verifier's recomputation and building from scratch)."""

    def __init__(self, leaves: Iterable[bytes] = ()):
        self.stored: list[bytes] = []
        self.frontier: list[bytes] = []
        self.size = 0
        for leaf in leaves:
            self.append(leaf)

    def append(self, leaf: bytes) -> None:
        self.stored += append_leaf(self.frontier, self.size, leaf)
        self.size += 1

    def root(self) -> bytes:
        return fold(self.frontier)

    def read(self, indexes: Sequence[int]) -> list[bytes]:
        return [self.stored[i] for i in indexes]

    def inclusion(self, index: int, size: int) -> list[bytes]:
        plan = inclusion_plan(index, size)
        return assemble(plan, self.read(needed(plan)))

    def consistency(self, first: int, second: int) -> list[bytes]:
        plan = consistency_plan(first, second)
        return assemble(plan, self.read(needed(plan)))

    def root_at(self, size: int) -> bytes:
        return fold(self.read(frontier_indexes(size)))


# ------------------------------------------------------------------------------------------- proofs (making)


class ProofError(ValueError):
    """A proof asked for, or checked, with sizes or indexes that do not fit the tree."""


def inclusion_plan(index: int, size: int) -> list[tuple[int, int]]:
    """RFC 6962's PATH(index, D[0:size]) as leaf ranges [lo, hi), leaf-to-root."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is not in a tree of {size} leaves")
    out: list[tuple[int, int]] = []

    def path(lo, hi):
        if hi - lo == 1:
            return
        k = _split(hi - lo)
        if index < lo + k:
            path(lo, lo + k)
            out.append((lo + k, hi))
        else:
            path(lo + k, hi)
            out.append((lo, lo + k))

    path(0, size)
    return out


def consistency_plan(first: int, second: int) -> list[tuple[int, int]]:
    """RFC 6962's PROOF(first, D[0:second]) as leaf ranges [lo, hi), in the RFC's order."""
    if not 0 < first <= second:
        raise ProofError(f"no consistency proof from a tree of {first} to one of {second} leaves "
                         "(0 < first <= second)")
    out: list[tuple[int, int]] = []
    if first == second:
        return out

    def subproof(lo, hi, whole):
        if first == hi:
            if not whole:
                out.append((lo, hi))
            return
        k = _split(hi - lo)
        if first <= lo + k:
            subproof(lo, lo + k, whole)
            out.append((lo + k, hi))
        else:
            subproof(lo + k, hi, False)
            out.append((lo, lo + k))

    subproof(0, second, True)
    return out


def needed(plan: Sequence[tuple[int, int]]) -> list[int]:
    """The stored indexes a plan's subtree hashes are folded from, in order."""
    return [stored_index(level, n) for lo, hi in plan for level, n in subtrees(lo, hi)]


def assemble(plan: Sequence[tuple[int, int]], hashes: Sequence[bytes]) -> list[bytes]:
    """The proof: each planned range's hash, folded from the stored hashes read for `needed(plan)`."""
    proof, at = [], 0
    for lo, hi in plan:
        count = len(subtrees(lo, hi))
        proof.append(fold(hashes[at:at + count]))
        at += count
    if at != len(hashes):
        raise ProofError("the stored hashes read do not match the proof's plan")
    return proof


def inclusion_proof(index: int, size: int, read: Callable[[list[int]], list[bytes]]) -> list[bytes]:
    plan = inclusion_plan(index, size)
    return assemble(plan, read(needed(plan)))


def consistency_proof(first: int, second: int, read: Callable[[list[int]], list[bytes]]) -> list[bytes]:
    plan = consistency_plan(first, second)
    return assemble(plan, read(needed(plan)))


# ------------------------------------------------------------------------------------------- proofs (checking)


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """RFC 9162 2.1.3.2: the root that `proof` leads to from `leaf`; ProofError when it cannot fit."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is not in a tree of {size} leaves")
    if len(leaf) != HASH_SIZE:
        raise ProofError("the leaf hash is not 32 bytes")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if len(p) != HASH_SIZE:
            raise ProofError("a proof hash is not 32 bytes")
        if sn == 0:
            raise ProofError("the inclusion proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the inclusion proof is shorter than the tree is deep")
    return r


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> bool:
    try:
        return root_from_inclusion(index, size, leaf, proof) == root
    except ProofError:
        return False


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes,
                       proof: Sequence[bytes]) -> bool:
    """RFC 9162 2.1.4.2: does `proof` show the tree of `first` leaves is a prefix of that of `second`?"""
    if not 0 < first <= second or any(len(h) != HASH_SIZE for h in proof):
        return False
    if first == second:
        return not proof and first_root == second_root
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # an exact power of two: the old tree is a subtree the proof leaves out
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root
