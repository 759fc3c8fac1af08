"""The issue's hostile inputs, each refused with a message saying why, nothing stored and never a 500: a forged
checkpoint signature, a tree size of 0 or 2^63, a proof or a checkpoint beyond the tree, a cosignature by an
unknown key or replayed (tests/api/test_log.py), a rewritten event under a witness (tests/api/test_witness.py).
Here the witness's own checks (registry/eventstore/witness.py), in process, and the API's answers to the sizes
at the edges of the number range."""

import base64
import time

import pytest
from rest_framework.test import APIClient

from registry.eventstore import checkpoints, note, store, tree, witness
from registry.eventstore.models import LogCosignature, WitnessedLog
from tests.api.conftest import archivist_client  # noqa: F401  (fixture; `archivist` is tests/conftest.py's)

LOG = "/api/v1/log/"


@pytest.fixture
def log_key(db, settings):
    """This test database as a copy of itself: it witnesses the log it holds, under the log's own key."""
    settings.PACTA_WITNESS_SIGNING_KEY = note.Signer.generate("copy.example/w1", note.COSIGNATURE_V1).line()
    return checkpoints.log_signer().verifier().line()


def signed(size: int, root: bytes) -> str:
    """A checkpoint signed by the log's key, as a hostile log would sign whatever it likes."""
    return note.sign(f"{checkpoints.origin()}\n{size}\n{base64.b64encode(root).decode()}\n", checkpoints.log_signer())


def refused(signed_checkpoint: str, log_key: str, match: str) -> None:
    before = list(WitnessedLog.objects.values_list("origin", "size"))
    with pytest.raises(witness.WitnessRefused, match=match):
        witness.witness(signed_checkpoint, log_key, [])
    assert list(WitnessedLog.objects.values_list("origin", "size")) == before


def test_a_witness_refuses_a_checkpoint_whose_signature_was_forged(log_key):
    head = store.head().position
    body, lines = note.split(signed(head, tree.root_at(head)))
    raw = bytearray(base64.b64decode(lines[0].text().split(" ")[-1]))
    raw[-1] ^= 1
    forged = body + "\n" + lines[0].text().rsplit(" ", 1)[0] + " " + base64.b64encode(bytes(raw)).decode() + "\n"
    refused(forged, log_key, "the log's checkpoint does not verify")


def test_a_witness_refuses_a_tree_size_of_2_63(log_key):
    refused(signed(2 ** 63, bytes(32)), log_key, "the log's checkpoint does not verify: .*size")


def test_a_witness_refuses_a_tree_size_of_0_after_cosigning_a_larger_tree_as_a_rollback(log_key):
    head = store.head().position
    assert witness.witness(signed(head, tree.root_at(head)), log_key, [])
    refused(signed(0, bytes(32)), log_key, "a rollback")


def test_a_witness_refuses_a_checkpoint_beyond_the_events_it_holds_for_now(log_key):
    head = store.head().position
    with pytest.raises(witness.WitnessRefused, match=f"holds {head} events, not yet the {head + 5}") as caught:
        witness.witness(signed(head + 5, bytes(32)), log_key, [])
    assert caught.value.later and not WitnessedLog.objects.exists()


def test_a_witness_refuses_a_root_that_is_not_the_tree_of_the_events_it_holds(log_key):
    head = store.head().position
    refused(signed(head, bytes(32)), log_key, "rewritten history")


@pytest.mark.parametrize("size", [0, 2 ** 63])
def test_a_cosignature_of_a_checkpoint_of_size_0_or_2_63_is_refused_and_nothing_is_stored(archivist_client, settings,
                                                                                         size):
    signer = note.Signer.generate("witness.example/w1", note.COSIGNATURE_V1)
    settings.PACTA_LOG_WITNESSES = [signer.verifier().line()]
    text = f"{checkpoints.origin()}\n{size}\n{base64.b64encode(bytes(32)).decode()}\n"
    line = note.SignatureLine(signer.name, signer.verifier().id,
                              bytes(8) + bytes(64)).text()  # any well-formed line: the checkpoint is refused first
    response = archivist_client.post(LOG + "cosignatures", {"checkpoint": text, "cosignature": line}, format="json")
    assert response.status_code == (404 if size == 0 else 400), response.content
    assert "checkpoint" in response.json()["errors"]
    assert not LogCosignature.objects.exists()


@pytest.mark.parametrize("params, field", [
    ({"position": 2 ** 63}, "position"),
    ({"position": 2 ** 63 - 1}, "position"),
    ({"position": 1, "tree_size": 2 ** 64}, "tree_size"),
])
def test_a_position_or_tree_size_at_the_edge_of_the_number_range_is_refused_naming_it(db, params, field):
    response = APIClient().get(LOG + "inclusion", params)
    assert response.status_code in (400, 404), response.content
    assert field in response.json()["errors"]


def test_a_consistency_proof_to_a_tree_beyond_the_log_is_a_404_naming_second(db):
    response = APIClient().get(LOG + "consistency", {"first": 1, "second": store.head().position + 1})
    assert response.status_code == 404 and "second" in response.json()["errors"]
