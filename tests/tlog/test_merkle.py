"""The RFC 6962 tree and its proofs, against published vectors (tests/fixtures/tlog/README.md says whose)."""

import base64
import json
from pathlib import Path

import pytest

from registry.eventstore import merkle

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tlog"
VECTORS = json.loads((FIXTURES / "vectors.json").read_text())
LEAVES = [bytes.fromhex(x) for x in VECTORS["leaf_inputs_hex"]]
ROOTS = [bytes.fromhex(x) for x in VECTORS["root_hashes_hex"]]
PROBES = FIXTURES / "transparency-dev-merkle" / "testdata"


def _probes(kind):
    return sorted((PROBES / kind).rglob("*.json"))


def _b64(value):
    return base64.b64decode(value) if value else b""


def reference_tree():
    return merkle.Tree(merkle.leaf_hash(x) for x in LEAVES)


def test_the_reference_trees_of_every_size_have_the_published_roots():
    for size, root in enumerate(ROOTS):
        assert merkle.Tree(merkle.leaf_hash(x) for x in LEAVES[:size]).root() == root, size


def test_every_complete_subtree_is_stored_with_its_published_hash():
    tree = reference_tree()
    for level, hashes in enumerate(VECTORS["node_hashes_hex"]):
        for n, expected in enumerate(hashes):
            assert tree.stored[merkle.stored_index(level, n)].hex() == expected, (level, n)


def test_a_tree_stores_two_hashes_per_leaf_less_one_per_set_bit_of_its_size():
    for size in range(0, 70):
        assert len(merkle.Tree(merkle.leaf_hash(bytes([i % 256])) for i in range(size)).stored) == \
            merkle.stored_count(size)


def test_the_root_of_any_earlier_size_is_read_from_the_stored_frontier():
    tree = reference_tree()
    for size, root in enumerate(ROOTS):
        assert tree.root_at(size) == root


@pytest.mark.parametrize("path", _probes("inclusion"), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_inclusion_checks_agree_with_the_published_probes(path):
    probe = json.loads(path.read_text())
    ok = merkle.verify_inclusion(probe["leafIdx"], probe["treeSize"], _b64(probe["leafHash"]),
                                 [_b64(p) for p in probe["proof"] or []], _b64(probe["root"]))
    assert ok is not probe["wantErr"], probe["desc"]


@pytest.mark.parametrize("path", _probes("consistency"), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_consistency_checks_agree_with_the_published_probes(path):
    probe = json.loads(path.read_text())
    ok = merkle.verify_consistency(probe["size1"], probe["size2"], _b64(probe["root1"]), _b64(probe["root2"]),
                                   [_b64(p) for p in probe["proof"] or []])
    assert ok is not probe["wantErr"], probe["desc"]


def test_the_inclusion_proofs_made_equal_the_published_happy_paths():
    tree = reference_tree()
    for path in sorted((PROBES / "inclusion").glob("*/happy-path.json")):
        probe = json.loads(path.read_text())
        made = tree.inclusion(probe["leafIdx"], probe["treeSize"])
        assert [base64.b64encode(h).decode() for h in made] == (probe["proof"] or []), path


def test_the_consistency_proofs_made_equal_the_published_happy_paths():
    tree = reference_tree()
    for path in sorted((PROBES / "consistency").glob("*/happy-path.json")):
        probe = json.loads(path.read_text())
        made = tree.consistency(probe["size1"], probe["size2"])
        assert [base64.b64encode(h).decode() for h in made] == (probe["proof"] or []), path


def test_every_proof_made_for_trees_up_to_70_leaves_verifies_and_a_flipped_bit_does_not():
    tree = merkle.Tree(merkle.leaf_hash(str(i).encode()) for i in range(70))
    for size in range(1, 71):
        root = tree.root_at(size)
        for index in range(size):
            proof = tree.inclusion(index, size)
            assert len(proof) <= size.bit_length()
            leaf = tree.stored[merkle.stored_index(0, index)]
            assert merkle.verify_inclusion(index, size, leaf, proof, root)
            if proof:
                bad = [proof[0][:-1] + bytes([proof[0][-1] ^ 1])] + proof[1:]
                assert not merkle.verify_inclusion(index, size, leaf, bad, root)
        for first in range(1, size + 1):
            proof = tree.consistency(first, size)
            assert merkle.verify_consistency(first, size, tree.root_at(first), root, proof), (first, size)
            if first < size:
                assert not merkle.verify_consistency(first, size, tree.root_at(first), root, proof[:-1])


def test_a_proof_outside_the_tree_is_refused_when_made():
    tree = reference_tree()
    with pytest.raises(merkle.ProofError):
        tree.inclusion(8, 8)
    with pytest.raises(merkle.ProofError):
        tree.consistency(0, 8)
    with pytest.raises(merkle.ProofError):
        tree.consistency(5, 4)
