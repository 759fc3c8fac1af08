"""Verifiers this project did not write check Pacta's live checkpoints and proofs, as the API serves them.

- `sigstore` (the Sigstore project's Python client, pinned in requirements-test.txt) verifies Rekor's log
  entries: it parses the C2SP signed note and the tlog-checkpoint in it, checks the note's Ed25519 signature
  under a key it is given, recomputes the leaf hash `SHA-256(0x00 || body)` from the entry's body, folds the
  RFC 6962 inclusion path to a root (RFC 9162 section 2.1.3.2) and compares it with the proof's root, and
  that root with the signed checkpoint's. Pacta's answers are handed to it as a Rekor entry (`rekor_entry`):
  the body is the event's canonical record, the proof and the checkpoint are the API's, byte for byte.
- `pymerkle` (an RFC 9162 Merkle tree library, pinned likewise) rebuilds the whole tree from the feed, public
  records hashed by it, hidden positions taken as the leaf hashes their placeholders carry, and gives the root
  at any size; and it checks Pacta's inclusion proofs with its own path layout and folding.

Neither verifies an RFC 6962 consistency proof (no maintained Python library on PyPI does, in RFC 6962's
PROOF format; pymerkle's consistency proofs have another shape): the log growing only by appending is
checked instead by pymerkle's roots of the same leaves at both signed sizes, each signature checked by
sigstore. Pacta's consistency proofs are checked by tools/tlog_verify.py and against transparency-dev's
published probes (test_independent_verifier.py).

The canonical record is written out here from docs/api.md (JSON, sorted keys, `(",", ":")`, no ASCII escaping,
UTF-8): nothing of Pacta's hashing or note code is used to verify.
"""

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pymerkle import InmemoryTree, InvalidProof, verify_inclusion
from pymerkle.core import _inclusion_path_layout
from pymerkle.proof import InclusionProof
from rest_framework.test import APIClient
from sigstore._internal.rekor.checkpoint import SignedCheckpoint
from sigstore._internal.trust import Keyring, RekorKeyring
from sigstore.errors import VerificationError
from sigstore.models import TransparencyLogEntry
from sigstore_models.common import v1 as common_v1
from sigstore_models.rekor.v1 import TransparencyLogEntry as RekorEntry

from registry.eventstore.tasks import sign_checkpoint

from tests.api.conftest import STRATEGIC, make_agreement, run  # noqa: F401  (fixtures)

RECORD_KEYS = ("position", "stream_id", "stream_version", "event_id", "type", "schema_version", "payload",
               "effective", "recorded_at")


@pytest.fixture
def api(settings, db):
    settings.PACTA_LOG_CHECKPOINT_INTERVAL = 0  # every tick of beat after the log grew signs a checkpoint of it
    settings.PACTA_API_ANON_RATE = None
    sign_checkpoint()  # beat's tick: a checkpoint of the log as it is
    client = APIClient()  # anonymous: what anyone can check

    def get(url, parse=True):
        response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        return json.loads(response.content) if parse else response.content.decode("utf-8")

    return get


def canonical(entry: dict) -> bytes:
    """The event's record as the feed shows it, in the chain's canonical JSON (docs/api.md)."""
    return json.dumps({key: entry[key] for key in RECORD_KEYS}, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def feed(get) -> list[dict]:
    entries, url = [], "/api/v1/events/?after=0&limit=1000"
    while url:
        page = get(url)
        entries += page["results"]
        url = page["next"] and page["next"].replace("http://testserver", "")
    return entries


# ------------------------------------------------------------------------------- the adapter to sigstore


def keyring(verifier_key: str) -> tuple[RekorKeyring, bytes]:
    """sigstore's keyring holding the log's Ed25519 key, from the C2SP verifier key line
    `<name>+<hex key ID>+base64(0x01 || key)`, and the note's key ID (the hint sigstore matches signatures by)."""
    _name, key_id, encoded = verifier_key.strip().split("+", 2)
    raw = base64.b64decode(encoded)
    assert raw[0] == 0x01 and len(raw) == 33, "an Ed25519 verifier key"
    der = Ed25519PublicKey.from_public_bytes(raw[1:]).public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    key = common_v1.PublicKey.model_validate({"rawBytes": base64.b64encode(der).decode(),
                                              "keyDetails": common_v1.PublicKeyDetails.PKIX_ED25519})
    return RekorKeyring(Keyring([key])), bytes.fromhex(key_id)


def rekor_entry(body: bytes, proof: dict, checkpoint: str, key_id: bytes) -> TransparencyLogEntry:
    """Pacta's answers in the shape sigstore reads (protobuf JSON of Rekor's TransparencyLogEntry): nothing is
    computed here, only moved: the body, the API's leaf index, tree size, path and root, the served note."""
    return TransparencyLogEntry(RekorEntry.model_validate({
        "logIndex": str(proof["leaf_index"]),
        "logId": {"keyId": base64.b64encode(key_id).decode()},
        "kindVersion": {"kind": "pacta-event", "version": "1"},
        "canonicalizedBody": base64.b64encode(body).decode(),
        "inclusionProof": {
            "logIndex": str(proof["leaf_index"]), "treeSize": str(proof["tree_size"]),
            "rootHash": proof["root"], "hashes": proof["hashes"], "checkpoint": {"envelope": checkpoint},
        },
    }))


def sigstore_verifies(get, entry: dict, body: bytes | None = None, checkpoint: str | None = None,
                      key: str | None = None) -> None:
    """sigstore's check of one event's inclusion against the signed checkpoint; raises VerificationError."""
    checkpoint = checkpoint or get("/api/v1/log/checkpoint", parse=False)
    size = SignedCheckpoint.from_text(checkpoint).checkpoint.log_size
    proof = get(f"/api/v1/log/inclusion?position={entry['position']}&tree_size={size}")
    ring, key_id = keyring(key or get("/api/v1/log/key", parse=False))
    rekor_entry(body if body is not None else canonical(entry), proof, checkpoint, key_id)._verify(ring)


# ------------------------------------------------------------------------------- sigstore


def test_sigstore_verifies_every_public_events_inclusion_against_the_signed_checkpoint(api):
    checkpoint = api("/api/v1/log/checkpoint", parse=False)
    size = SignedCheckpoint.from_text(checkpoint).checkpoint.log_size
    public = [entry for entry in feed(api) if "stream_id" in entry and entry["position"] <= size]
    assert len(public) == size > 1  # the seeded log, all of it public here
    for entry in public:
        sigstore_verifies(api, entry, checkpoint=checkpoint)


def test_sigstore_verifies_an_event_of_a_tree_larger_than_a_power_of_two(api):
    run(STRATEGIC, "EditDetails", summary="one more event: the checkpoint's tree has a ragged right edge")
    sign_checkpoint()  # beat's tick (checkpoints are signed in the background, never on read)
    entries = feed(api)
    size = SignedCheckpoint.from_text(api("/api/v1/log/checkpoint", parse=False)).checkpoint.log_size
    assert size == entries[-1]["position"] and size & (size - 1)
    sigstore_verifies(api, entries[-1])
    sigstore_verifies(api, entries[size // 2])


def test_sigstore_refuses_a_record_that_was_changed(api):
    entry = feed(api)[4]
    changed = canonical({**entry, "effective": entry["effective"] + "x"})
    with pytest.raises(VerificationError, match="inclusion proof contains invalid root hash"):
        sigstore_verifies(api, entry, body=changed)


def test_sigstore_refuses_a_checkpoint_signed_by_another_key(api):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    raw = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    genuine_name, genuine_id, _ = api("/api/v1/log/key", parse=False).strip().split("+", 2)
    impostor = "+".join([genuine_name, genuine_id, base64.b64encode(bytes([1]) + raw).decode()])
    with pytest.raises(VerificationError, match="invalid signature"):
        sigstore_verifies(api, feed(api)[0], key=impostor)


def test_sigstore_refuses_a_checkpoint_whose_root_was_replaced_by_the_proofs(api):
    """A note whose root line was changed no longer verifies under the log's signature."""
    checkpoint = api("/api/v1/log/checkpoint", parse=False)
    lines = checkpoint.split("\n")
    lines[2] = base64.b64encode(bytes(32)).decode()
    with pytest.raises(VerificationError, match="invalid signature"):
        sigstore_verifies(api, feed(api)[0], checkpoint="\n".join(lines))


# ------------------------------------------------------------------------------- pymerkle


class LeafTree(InmemoryTree):
    """pymerkle's in-memory tree, which also takes a leaf as its hash (a hidden position's placeholder)."""

    def append_leaf_hash(self, digest: bytes) -> int:
        return self._store_leaf(None, digest)


def pymerkle_tree(entries: list[dict]) -> LeafTree:
    tree = LeafTree(algorithm="sha256")  # RFC 9162: leaf 0x00, node 0x01, the largest power of two below n
    for entry in entries:
        if "stream_id" in entry:
            tree.append_entry(canonical(entry))
        else:
            tree.append_leaf_hash(base64.b64decode(entry["leaf_hash"]))
    return tree


def signed(get, checkpoint: str) -> tuple[int, bytes]:
    """(size, root) of a checkpoint whose signature sigstore checked under the log's key."""
    note = SignedCheckpoint.from_text(checkpoint)
    ring, key_id = keyring(get("/api/v1/log/key", parse=False))
    note.signed_note.verify(ring, key_id)
    return note.checkpoint.log_size, bytes.fromhex(note.checkpoint.log_hash)


def test_pymerkle_rebuilds_the_signed_root_from_an_anonymous_feed_with_hidden_positions(api, make_agreement):
    make_agreement("secret-draft-2024", clauses=2)  # unpublished: placeholders in the anonymous feed
    sign_checkpoint()
    entries = feed(api)
    hidden = [entry for entry in entries if "stream_id" not in entry]
    assert len(hidden) >= 5 and all(set(entry) == {"position", "prev_hash", "hash", "leaf_hash"} for entry in hidden)
    size, root = signed(api, api("/api/v1/log/checkpoint", parse=False))
    assert size == len(entries)
    assert pymerkle_tree(entries).get_root(size) == root


def test_pymerkle_finds_a_placeholders_forged_leaf_hash(api, make_agreement):
    make_agreement("secret-draft-2024", clauses=1)
    sign_checkpoint()
    entries = feed(api)
    forged = next(entry for entry in entries if "stream_id" not in entry)
    forged["leaf_hash"] = base64.b64encode(bytes(32)).decode()
    size, root = signed(api, api("/api/v1/log/checkpoint", parse=False))
    assert pymerkle_tree(entries).get_root(size) != root


def test_pymerkle_finds_the_later_signed_tree_holds_the_earlier_one_unchanged(api):
    first_size, first_root = signed(api, api("/api/v1/log/checkpoint", parse=False))
    run(STRATEGIC, "EditDetails", summary="the log grows")
    run(STRATEGIC, "EditDetails", summary="and grows again")
    sign_checkpoint()
    second_size, second_root = signed(api, api("/api/v1/log/checkpoint", parse=False))
    assert second_size == first_size + 2
    tree = pymerkle_tree(feed(api))
    assert (tree.get_root(first_size), tree.get_root(second_size)) == (first_root, second_root)


def pymerkle_proof(proof: dict, leaf: bytes) -> InclusionProof:
    """Pacta's RFC 6962 path as pymerkle's proof: its path is the leaf, then the RFC path (leaf to root); the
    rule (left or right at each step) is pymerkle's own layout for that leaf and size, which it checks again."""
    index, size = proof["leaf_index"] + 1, proof["tree_size"]  # pymerkle counts leaves from one
    rule, _ = _inclusion_path_layout(index, size)
    return InclusionProof("sha256", True, size, index, rule, [leaf] + [base64.b64decode(h) for h in proof["hashes"]])


def test_pymerkle_verifies_pactas_inclusion_proofs_against_the_signed_root(api):
    run(STRATEGIC, "EditDetails", summary="a tree that is not a power of two")
    sign_checkpoint()
    size, root = signed(api, api("/api/v1/log/checkpoint", parse=False))
    tree = LeafTree(algorithm="sha256")
    for entry in feed(api)[:size]:
        proof = api(f"/api/v1/log/inclusion?position={entry['position']}&tree_size={size}")
        leaf = tree.hash_buff(canonical(entry))
        verify_inclusion(leaf, root, pymerkle_proof(proof, leaf), index=entry["position"], size=size)


def test_pymerkle_refuses_an_inclusion_proof_with_one_hash_changed(api):
    size, root = signed(api, api("/api/v1/log/checkpoint", parse=False))
    entry = feed(api)[2]
    proof = api(f"/api/v1/log/inclusion?position={entry['position']}&tree_size={size}")
    proof["hashes"][-1] = base64.b64encode(bytes(32)).decode()
    leaf = LeafTree(algorithm="sha256").hash_buff(canonical(entry))
    with pytest.raises(InvalidProof, match="State does not match"):
        verify_inclusion(leaf, root, pymerkle_proof(proof, leaf), index=entry["position"], size=size)
