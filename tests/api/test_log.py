"""The transparency log's API: signed checkpoints, proofs, placeholders with leaf hashes, cosignatures."""

import base64
import time

import pytest

from registry.eventstore import chain, merkle, note, store
from registry.eventstore.models import LogCheckpoint, LogCosignature
from registry.eventstore.tasks import sign_checkpoint

from .conftest import STRATEGIC, run

pytestmark = pytest.mark.django_db
LOG = "/api/v1/log/"


@pytest.fixture(autouse=True)
def checkpoint_every_tick(settings, db):
    """Beat signs a checkpoint at each tick after the log grew, unless a test says otherwise (the interval rule
    has its own test). A tick is `sign_checkpoint()`, the task beat runs; reads never sign. Each test starts
    with a checkpoint of the log as it is."""
    settings.PACTA_LOG_CHECKPOINT_INTERVAL = 0
    sign_checkpoint()


def key(client):
    return note.Verifier.parse(client.get(LOG + "key").content.decode())


def signed_checkpoint(client):
    response = client.get(LOG + "checkpoint")
    assert response.status_code == 200, response.content
    text, _ = note.open_note(response.content.decode(), key(client))
    return note.Checkpoint.parse(text), response


def b64(s):
    return base64.b64decode(s)


def test_the_checkpoint_is_plain_text_signed_by_the_published_key(anon):
    checkpoint, response = signed_checkpoint(anon)
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert body.startswith(f"{checkpoint.origin}\n{checkpoint.size}\n{base64.b64encode(checkpoint.root).decode()}\n\n")
    assert body.count("\n\u2014 ") == 1


def test_the_checkpoint_covers_every_event_and_its_root_is_the_tree_of_the_chain_records(anon):
    from registry.eventstore import store

    checkpoint, _ = signed_checkpoint(anon)
    assert checkpoint.size == store.head().position
    leaves = [merkle.leaf_hash(chain.canonical_json(chain.record_of(row))) for row in store.stored_rows()]
    assert merkle.Tree(leaves).root() == checkpoint.root


def test_a_new_checkpoint_is_signed_at_most_once_per_interval(anon, settings):
    run(STRATEGIC, "EditDetails", summary="a change")
    assert sign_checkpoint() == store.head().position  # due: the log grew
    first, _ = signed_checkpoint(anon)
    settings.PACTA_LOG_CHECKPOINT_INTERVAL = 3600
    run(STRATEGIC, "EditDetails", summary="a change after the checkpoint")
    assert sign_checkpoint() is None  # the last one is younger than the interval
    assert signed_checkpoint(anon)[0] == first
    settings.PACTA_LOG_CHECKPOINT_INTERVAL = 0
    assert sign_checkpoint() == first.size + 1
    assert signed_checkpoint(anon)[0].size == first.size + 1


def test_an_idle_log_gets_no_new_checkpoint(anon):
    sign_checkpoint()
    first, _ = signed_checkpoint(anon)
    assert sign_checkpoint() is None
    assert signed_checkpoint(anon)[0] == first


def test_reading_never_signs_a_checkpoint(anon):
    sign_checkpoint()
    first, _ = signed_checkpoint(anon)
    run(STRATEGIC, "EditDetails", summary="the log grows; nobody ticks")
    for path in ("checkpoint", "key", f"inclusion?position={first.size}", f"consistency?first={first.size}"):
        assert anon.get(LOG + path).status_code == 200
    assert anon.get(f"/api/v1/agreements/{STRATEGIC}/proofs/").status_code == 200
    assert LogCheckpoint.objects.order_by("-size").first().size == first.size


def test_an_append_nudges_the_signer_only_once_committed(anon, eager, django_capture_on_commit_callbacks):
    sign_checkpoint()
    before = LogCheckpoint.objects.order_by("-size").first()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # what runs when the append commits
        run(STRATEGIC, "EditDetails", summary="signed after the commit")
        assert LogCheckpoint.objects.order_by("-size").first() == before  # nothing signed in the transaction
    for callback in callbacks:
        callback()
    assert LogCheckpoint.objects.order_by("-size").first().size == store.head().position == before.size + 1


def test_a_process_nudges_the_signer_at_most_once_per_interval(settings, monkeypatch, eager):
    from registry.eventstore import tasks

    sent = []
    monkeypatch.setattr(tasks.sign_checkpoint, "delay", lambda: sent.append(1))
    monkeypatch.setattr(tasks._Nudged, "at", float("-inf"))
    settings.PACTA_LOG_CHECKPOINT_INTERVAL = 3600
    tasks.nudge()
    tasks.nudge()
    assert sent == [1]


def test_the_feed_head_header_names_the_checkpoint_size_and_root(anon):
    checkpoint, _ = signed_checkpoint(anon)
    position, head_hash, size, root = anon.get("/api/v1/events/")["X-Pacta-Head"].split(" ")
    assert (int(size), b64(root)) == (checkpoint.size, checkpoint.root)
    assert int(position) >= int(size) and len(head_hash) == 64


def test_an_inclusion_proof_of_a_public_event_verifies_against_the_signed_checkpoint(anon):
    checkpoint, _ = signed_checkpoint(anon)
    entry = anon.get("/api/v1/events/", {"after": 4, "page_size": 1}).json()["results"][0]
    proof = anon.get(LOG + "inclusion", {"position": entry["position"], "tree_size": checkpoint.size}).json()
    record = chain.record(*(entry[k] for k in chain.RECORD_KEYS))
    leaf = merkle.leaf_hash(chain.canonical_json(record))
    assert b64(proof["leaf_hash"]) == leaf
    assert merkle.verify_inclusion(proof["leaf_index"], checkpoint.size, leaf, [b64(h) for h in proof["hashes"]],
                                   checkpoint.root)


def test_without_tree_size_the_proof_is_against_the_latest_checkpoint(anon):
    checkpoint, _ = signed_checkpoint(anon)
    proof = anon.get(LOG + "inclusion", {"position": 1}).json()
    assert proof["tree_size"] == checkpoint.size and b64(proof["root"]) == checkpoint.root


def test_a_consistency_proof_links_an_older_checkpoint_to_the_latest(anon):
    old, _ = signed_checkpoint(anon)
    run(STRATEGIC, "EditDetails", summary="grown")
    new, _ = signed_checkpoint(anon)
    proof = anon.get(LOG + "consistency", {"first": old.size, "second": new.size}).json()
    assert merkle.verify_consistency(old.size, new.size, old.root, new.root, [b64(h) for h in proof["hashes"]])


@pytest.mark.parametrize("path, params, field", [
    ("inclusion", {"position": 1, "tree_size": 0}, "tree_size"),
    ("inclusion", {"position": 1, "tree_size": 2 ** 63}, "tree_size"),
    ("inclusion", {"position": "1\x00"}, "position"),
    ("inclusion", {"position": "-1"}, "position"),
    ("inclusion", {"position": 0}, "position"),
    ("inclusion", {"position": "x" * 10_000}, "position"),
    ("inclusion", {}, "position"),
    ("consistency", {"first": 0}, "first"),
    ("consistency", {"first": 1, "second": 2 ** 63}, "second"),
    ("consistency", {"first": "\u0661"}, "first"),
])
def test_a_malformed_number_is_a_400_naming_the_parameter(anon, path, params, field):
    response = anon.get(LOG + path, params)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


@pytest.mark.parametrize("path, params, field, code", [
    ("inclusion", {"position": 10 ** 9}, "position", 404),
    ("inclusion", {"position": 1, "tree_size": 2 ** 63 - 1}, "tree_size", 404),
    ("inclusion", {"position": 5, "tree_size": 3}, "position", 422),
    ("consistency", {"first": 10 ** 9}, "first", 404),
    ("consistency", {"first": 5, "second": 3}, "first", 422),
])
def test_a_proof_outside_the_tree_is_refused_naming_the_parameter(anon, path, params, field, code):
    """Well-formed, but no such tree or leaf (yet): 404; two parameters that contradict each other: 422."""
    response = anon.get(LOG + path, params)
    assert response.status_code == code, response.content
    assert field in response.json()["errors"]


def test_an_anonymous_reader_recomputes_the_whole_tree_from_the_feed_with_hidden_positions(anon, draft):
    checkpoint, _ = signed_checkpoint(anon)
    leaves, hidden, url = [], 0, f"/api/v1/events/?after=0&page_size=1000"
    while url:
        body = anon.get(url).json()
        for entry in body["results"]:
            if "stream_id" in entry:
                leaves.append(merkle.leaf_hash(chain.canonical_json(chain.record(*(entry[k] for k in chain.RECORD_KEYS)))))
            else:
                assert set(entry) == {"position", "prev_hash", "hash", "leaf_hash"}
                leaves.append(b64(entry["leaf_hash"]))
                hidden += 1
        url = body["next"]
    assert hidden >= 1
    assert merkle.Tree(leaves[:checkpoint.size]).root() == checkpoint.root


def test_the_agreement_detail_links_to_its_proofs_and_each_event_verifies(anon):
    detail = anon.get(f"/api/v1/agreements/{STRATEGIC}/").json()
    assert detail["verify"].endswith(f"/api/v1/agreements/{STRATEGIC}/proofs/")
    proofs = anon.get(detail["verify"]).json()
    text, _ = note.open_note(proofs["checkpoint"], note.Verifier.parse(proofs["key"]))
    checkpoint = note.Checkpoint.parse(text)
    assert proofs["events"]
    for event in proofs["events"]:
        leaf = merkle.leaf_hash(chain.canonical_json(event["record"]))
        assert b64(event["leaf_hash"]) == leaf
        assert merkle.verify_inclusion(event["leaf_index"], checkpoint.size, leaf,
                                       [b64(h) for h in event["hashes"]], checkpoint.root)


def test_an_unpublished_agreement_has_no_public_proofs_page(anon, draft):
    assert anon.get("/api/v1/agreements/secret-draft-2024/proofs/").status_code == 404


def test_the_log_endpoints_are_in_the_openapi_schema(anon):
    schema = anon.get("/api/schema/", {"format": "json"}).json()
    for path in ("checkpoint", "key", "inclusion", "consistency", "cosignatures"):
        assert f"/api/v1/log/{path}" in schema["paths"]
    assert "/api/v1/agreements/{slug}/proofs/" in schema["paths"]


# ------------------------------------------------------------------------------------------- cosignatures


@pytest.fixture
def witness(settings):
    signer = note.Signer.generate("witness.example/w1", note.COSIGNATURE_V1)
    settings.PACTA_LOG_WITNESSES = [signer.verifier().line()]
    return signer


def hand_in(client, checkpoint_note, line):
    """A witness hands its cosignature in with its API token of this log (the one it follows the feed with)."""
    return client.post(LOG + "cosignatures", {"checkpoint": checkpoint_note, "cosignature": line}, format="json")


def test_a_trusted_witness_cosignature_is_published_with_the_checkpoint(anon, archivist_client, witness, settings):
    settings.PACTA_LOG_CHECKPOINT_INTERVAL = 3600
    body = anon.get(LOG + "checkpoint").content.decode()
    text = note.split(body)[0]
    line = note.cosign(text, witness, int(time.time()))
    response = hand_in(archivist_client, body, line)
    assert response.status_code == 201, response.content
    published = anon.get(LOG + "checkpoint").content.decode()
    assert published == body + line
    cosig = note.split(published)[1][-1]
    assert note.verify_cosignature(text, cosig, witness.verifier())


def test_a_cosignature_by_an_unknown_key_is_refused_and_nothing_is_stored(anon, archivist_client, witness):
    stranger = note.Signer.generate("witness.example/w1", note.COSIGNATURE_V1)
    body = anon.get(LOG + "checkpoint").content.decode()
    response = hand_in(archivist_client, body, note.cosign(note.split(body)[0], stranger, int(time.time())))
    assert response.status_code == 403 and response.json()["code"] == "unknown_witness"
    assert not LogCosignature.objects.exists()


def test_a_forged_cosignature_is_refused(anon, archivist_client, witness):
    body = anon.get(LOG + "checkpoint").content.decode()
    line = note.cosign(note.split(body)[0], witness, int(time.time()))
    raw = bytearray(base64.b64decode(line.split(" ")[-1]))
    raw[-1] ^= 1
    forged = line.rsplit(" ", 1)[0] + " " + base64.b64encode(bytes(raw)).decode() + "\n"
    response = hand_in(archivist_client, body, forged)
    assert response.status_code == 403 and response.json()["code"] == "bad_signature"
    assert "cosignature" in response.json()["errors"]
    assert not LogCosignature.objects.exists()


def test_a_replayed_old_cosignature_is_refused(anon, archivist_client, witness):
    body = anon.get(LOG + "checkpoint").content.decode()
    text = note.split(body)[0]
    now = int(time.time())
    old = note.cosign(text, witness, now - 60)
    assert hand_in(archivist_client, body, note.cosign(text, witness, now)).status_code == 201
    response = hand_in(archivist_client, body, old)
    assert response.status_code == 409 and response.json()["code"] == "replayed"
    assert LogCosignature.objects.get().timestamp == now


def test_a_cosignature_of_a_checkpoint_this_log_never_signed_is_refused(anon, archivist_client, witness):
    fake = note.Checkpoint(key(anon).name, 3, bytes(32)).text()
    response = hand_in(archivist_client, fake, note.cosign(fake, witness, int(time.time())))
    assert response.status_code == 404 and response.json()["code"] == "unknown_checkpoint"


def test_a_checkpoint_with_a_forged_log_signature_does_not_open_under_the_log_key(anon):
    body = anon.get(LOG + "checkpoint").content.decode()
    text, lines = note.split(body)
    forged = text.replace("\n", "\n", 1)[:-2] + ("0" if text[-2] != "0" else "1") + "\n"
    with pytest.raises(note.NoteError, match="does not verify"):
        note.open_note(forged + "\n" + lines[0].text(), key(anon))


def test_a_cosignature_without_a_token_is_refused(anon, witness):
    body = anon.get(LOG + "checkpoint").content.decode()
    response = hand_in(anon, body, note.cosign(note.split(body)[0], witness, int(time.time())))
    assert response.status_code == 401
    assert not LogCosignature.objects.exists()


@pytest.mark.parametrize("body, field", [
    ({"checkpoint": "localhost/pacta\n1\n\x00\n", "cosignature": "\u2014 w AAAA"}, "checkpoint"),
    ({"checkpoint": "x" * 10_000, "cosignature": "\u2014 w AAAA"}, "checkpoint"),
    ({"checkpoint": "localhost/pacta\n1\nAAAA\n", "cosignature": "\u2014 w " + "A" * 2000}, "cosignature"),
    ({"checkpoint": "localhost/pacta\n1\nAAAA\n"}, "cosignature"),
    ({"checkpoint": "localhost/pacta\n01\n" + "A" * 43 + "=\n", "cosignature": "\u2014 w AAAAAAAA"}, "checkpoint"),
    ({"checkpoint": "localhost/pacta\n1\n" + "A" * 43 + "=\n", "cosignature": "-- w AAAAAAAA"}, "cosignature"),
])
def test_a_malformed_cosignature_is_a_400_naming_the_field(archivist_client, witness, body, field):
    response = archivist_client.post(LOG + "cosignatures", body, format="json")
    assert response.status_code == 400, response.content
    answer = response.json()
    assert field in answer.get("errors", {}) or answer["detail"].startswith(f"body.{field}:")  # NUL: the parser
    assert not LogCosignature.objects.exists()
