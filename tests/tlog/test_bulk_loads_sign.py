"""A bulk load signs a checkpoint of its head when it ends (registry/eventstore/checkpoints.py, `sign_head`):
without beat (the embedded default, Celery eager) the per-process nudge signs at most once per interval and only
after an append, so after load_seeds the served checkpoint could trail the head, or be missing (a log filled
before the tree existed, a new key, a load that appends nothing), until the next write."""

import json
import os
from io import StringIO

from django.core.management import call_command
from rest_framework.test import APIClient

from registry.eventstore import checkpoints, store
from registry.eventstore.models import LogCheckpoint
from tests.api.test_follow import copy_instance

# Run inside the fresh instance: every public event of the anonymous feed, its inclusion proof against the
# served checkpoint, verified (the leaf recomputed from the feed's record, the checkpoint's signature checked).
CHECK = """
import base64, json
from django.test import Client
from registry.eventstore import chain, checkpoints, merkle, note, store
client = Client(HTTP_HOST="localhost")
answer = client.get("/api/v1/log/checkpoint")
assert answer.status_code == 200, (answer.status_code, answer.content)
text, _ = note.open_note(answer.content.decode(), note.Verifier.parse(checkpoints.verifier_key()))
signed = note.Checkpoint.parse(text)
verified, after = 0, 0
while True:
    page = client.get("/api/v1/events/", {"after": after, "limit": 500}).json()["results"]
    if not page:
        break
    for entry in page:
        after = entry["position"]
        if "stream_id" not in entry:
            continue
        record = chain.record(*(entry[key] for key in chain.RECORD_KEYS))
        proof = client.get("/api/v1/log/inclusion", {"position": entry["position"]}).json()
        assert proof["tree_size"] == signed.size, proof
        assert merkle.verify_inclusion(entry["position"] - 1, signed.size,
                                       merkle.leaf_hash(chain.canonical_json(record)),
                                       [base64.b64decode(h) for h in proof["hashes"]], signed.root), entry["position"]
        verified += 1
print(json.dumps({"head": store.head().position, "signed": signed.size, "verified": verified}))
"""


def test_after_load_seeds_on_a_fresh_database_the_checkpoint_covers_the_head_and_every_public_event_verifies(
        tmp_path, monkeypatch):
    # An interval longer than the load: only the nudge after the first command would sign.
    monkeypatch.setitem(os.environ, "PACTA_LOG_CHECKPOINT_INTERVAL", "3600")
    monkeypatch.setitem(os.environ, "PACTA_API_ANON_RATE", "")  # one proof request per public event
    manage = copy_instance(tmp_path)
    manage("load_seeds")
    found = json.loads(manage("shell", "-c", CHECK).stdout.strip().splitlines()[-1])
    assert found["head"] > 0 and found["signed"] == found["head"]
    assert found["verified"] > 0


def test_load_seeds_over_a_log_with_no_checkpoint_signs_one_of_the_head(db, settings):
    settings.PACTA_LOG_CHECKPOINT_INTERVAL = 3600
    LogCheckpoint.objects.all().delete()  # a log filled before the tree existed: no checkpoint yet
    call_command("load_seeds", stdout=StringIO(), stderr=StringIO())  # appends nothing: the seeds are loaded
    answer = APIClient().get("/api/v1/log/checkpoint")
    assert answer.status_code == 200
    assert answer.content.decode().split("\n")[1] == str(store.head().position)


def test_signing_the_head_ignores_the_interval_when_the_newest_checkpoint_trails(db, settings):
    settings.PACTA_LOG_CHECKPOINT_INTERVAL = 3600
    head = store.head().position
    checkpoints.issue(head - 1)
    LogCheckpoint.objects.filter(size__gte=head).delete()
    assert checkpoints.sign_due() is None  # not due: the newest is younger than the interval
    assert checkpoints.sign_head().size == head


def test_signing_the_head_signs_nothing_when_the_newest_checkpoint_covers_it(db):
    checkpoints.sign_head()
    count = LogCheckpoint.objects.count()
    assert checkpoints.sign_head() is None
    assert LogCheckpoint.objects.count() == count
