"""A follow copy witnesses the log it copies: it cosigns checkpoints it verified, and refuses a rewritten one."""

import subprocess
import sys

import pytest
from django.db import connection

from registry.eventstore import merkle, note
from registry.eventstore.models import LogCosignature
from registry.eventstore.tasks import sign_checkpoint

from .conftest import STRATEGIC, run
from .test_follow import ROOT, copy_instance, token  # noqa: F401  (the follow tests' copy and its token)


@pytest.fixture
def witness_key(settings):
    """The copy's cosigning key; the primary trusts it."""
    signer = note.Signer.generate("copy.example/witness", note.COSIGNATURE_V1)
    settings.PACTA_LOG_WITNESSES = [signer.verifier().line()]
    settings.PACTA_LOG_CHECKPOINT_INTERVAL = 0
    settings.PACTA_API_ANON_RATE = None
    sign_checkpoint()  # beat's tick: the primary has a checkpoint of its head to cosign
    return signer


def log_key(live_server):
    import urllib.request

    return urllib.request.urlopen(f"{live_server.url}/api/v1/log/key").read().decode().strip()


def witnessing_copy(tmp_path, witness_key):
    manage = copy_instance(tmp_path)

    def follow(url, token, key):
        import os

        env = {**os.environ, "PACTA_WITNESS_SIGNING_KEY": witness_key.line(),
               "PACTA_SQLITE_PATH": str(tmp_path / "copy.sqlite3")}
        for name in ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "PACTA_TEST_DB_NAME"):
            env.pop(name, None)
        return subprocess.run([sys.executable, "manage.py", "follow", url, "--token", token, "--once",
                               "--witness", key], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)

    return manage, follow


def witnessed(manage):
    out = manage("shell", "-c", "from registry.eventstore.models import WitnessedLog as W; "
                                "print([(w.origin, w.size) for w in W.objects.all()])").stdout.strip()
    return out.splitlines()[-1]  # the shell may say first which models it could not import


def test_a_copy_cosigns_the_checkpoints_it_verified_and_the_log_publishes_them(live_server, token, tmp_path,
                                                                              witness_key):
    manage, follow = witnessing_copy(tmp_path, witness_key)
    key = log_key(live_server)
    first = follow(live_server.url, token, key)
    assert first.returncode == 0, first.stderr
    assert "cosigned localhost/pacta at" in first.stdout
    run(STRATEGIC, "EditDetails", summary="the log grows after the first cosignature")
    sign_checkpoint()  # beat's tick (with a broker the nudge after the commit is a message no worker reads here)
    second = follow(live_server.url, token, key)  # now with a consistency proof from the first
    assert second.returncode == 0, second.stderr
    newest = LogCosignature.objects.order_by("-checkpoint_id").first()
    assert newest.checkpoint_id == int(second.stdout.split(" at ")[1].split()[0])
    import urllib.request

    published = urllib.request.urlopen(f"{live_server.url}/api/v1/log/checkpoint").read().decode()
    text, others = note.open_note(published, note.Verifier.parse(key))
    assert note.verify_cosignature(text, others[0], witness_key.verifier())
    # The independent verifier, over HTTP, checks the checkpoint, the cosignature and the whole tree.
    checked = subprocess.run([sys.executable, "tools/tlog_verify.py", live_server.url, "--key", key, "--all",
                              "--witness", witness_key.verifier().line(), "--position", "1"],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout


def test_a_witness_refuses_a_log_whose_tree_was_rewritten_and_stores_nothing_of_it(live_server, token, tmp_path,
                                                                                   witness_key):
    manage, follow = witnessing_copy(tmp_path, witness_key)
    key = log_key(live_server)
    assert follow(live_server.url, token, key).returncode == 0
    before = witnessed(manage)
    cosignatures = LogCosignature.objects.count()
    run(STRATEGIC, "EditDetails", summary="the log grows")
    sign_checkpoint()
    # The primary's tree is rewritten under the events (the chain is left whole, so the copy copies them): its
    # largest complete subtree, which every later root is made from.
    from registry.eventstore import store

    largest = merkle.frontier_indexes(store.head().position)[0]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE pacta_log_hash SET hash = %s WHERE id = %s", [b"\x07" * 32, largest])
    result = follow(live_server.url, token, key)
    assert result.returncode == 1
    assert "refused to cosign" in result.stderr and "rewritten" in result.stderr
    assert witnessed(manage) == before
    assert LogCosignature.objects.count() == cosignatures


def test_a_witness_refuses_a_checkpoint_that_does_not_verify_under_the_log_key(live_server, token, tmp_path,
                                                                               witness_key):
    manage, follow = witnessing_copy(tmp_path, witness_key)
    impostor = note.Signer.generate("localhost/pacta").verifier().line()
    result = follow(live_server.url, token, impostor)
    assert result.returncode == 1
    assert "does not verify" in result.stderr or "not signed by" in result.stderr
    assert witnessed(manage) == "[]"
    assert not LogCosignature.objects.exists()
