"""`follow` with no token: the anonymous feed shows placeholders (position, chain hashes, leaf hash) where events
are hidden, so a copy that cannot see them still checks every public event and the whole tree against the log's
signed checkpoint, under a key it was given out of band. It copies the gap-free prefix it can see."""

import json
import re
import urllib.request

import pytest
from django.db import connection

from registry.eventstore import note, store, triggers
from registry.eventstore.tasks import sign_checkpoint
from tests.api.conftest import STRATEGIC, make_agreement, run  # noqa: F401  (fixtures)
from tests.api.test_follow import copy_instance


@pytest.fixture
def primary(live_server, settings, make_agreement):
    """A log with an unpublished agreement (hidden from anonymous readers) and public events after it, and a
    checkpoint of all of it. Returns (the server's URL, its verifier key line, the first hidden position)."""
    settings.PACTA_LOG_CHECKPOINT_INTERVAL = 0
    settings.PACTA_API_ANON_RATE = None
    first_hidden = store.head().position + 1
    make_agreement("secret-draft-2024", clauses=2)
    run(STRATEGIC, "EditDetails", summary="a public event after the hidden ones")
    run(STRATEGIC, "EditDetails", summary="and another")
    sign_checkpoint()
    key = urllib.request.urlopen(f"{live_server.url}/api/v1/log/key").read().decode().strip()
    return live_server.url, key, first_hidden


def follow(manage, url, *args):
    return manage("follow", url, "--once", *args, check=False)


def copy_head(result) -> int:
    return int(re.search(r"; head (\d+) ", result.stdout).group(1))


def tamper(sql, params):
    triggers.remove(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        triggers.install(connection)


def test_a_copy_with_no_token_verifies_every_public_event_and_the_signed_root_past_hidden_positions(primary,
                                                                                                     tmp_path):
    url, key, first_hidden = primary
    manage = copy_instance(tmp_path)
    result = follow(manage, url, "--log-key", key)
    assert result.returncode == 0, result.stderr
    size = store.head().position
    hidden = size - first_hidden + 1 - 2  # the draft's events; the last two are public
    assert (f"the log's signed checkpoint of {size} events verifies, {hidden} hidden positions by their leaf "
            f"hashes; {size - first_hidden + 1} events past the first hidden position verified, not copied") \
        in result.stdout
    assert copy_head(result) == first_hidden - 1  # the gap-free prefix it can see, copied
    assert manage("verify_log").returncode == 0


def test_a_copy_with_no_token_and_no_log_key_stops_at_the_first_hidden_position_saying_what_to_give(primary,
                                                                                                    tmp_path):
    url, _, first_hidden = primary
    result = follow(copy_instance(tmp_path), url)
    assert result.returncode == 1
    assert f"position {first_hidden} is hidden from this caller" in result.stderr
    assert "--log-key" in result.stderr and "a token that sees every event" in result.stderr


def test_a_hidden_event_rewritten_under_the_signed_checkpoint_is_caught_by_a_copy_that_cannot_see_it(primary,
                                                                                                    tmp_path):
    url, key, first_hidden = primary
    tamper("UPDATE pacta_event SET payload = %s WHERE position = %s", ['{"title": "rewritten"}', first_hidden + 1])
    # The placeholder's leaf hash is the rewritten event's; the signed root is the tree of the original.
    feed = json.load(urllib.request.urlopen(f"{url}/api/v1/events/?after={first_hidden}&limit=1"))
    assert set(feed["results"][0]) == {"position", "prev_hash", "hash", "leaf_hash"}
    result = follow(copy_instance(tmp_path), url, "--log-key", key)
    assert result.returncode == 1
    assert "does not have the signed root" in result.stderr


def test_a_public_event_past_a_hidden_position_rewritten_is_refused_naming_its_position(primary, tmp_path):
    url, key, _ = primary
    last = store.head().position
    tamper("UPDATE pacta_event SET effective = %s WHERE position = %s", ["2030-01-01", last])
    result = follow(copy_instance(tmp_path), url, "--log-key", key)
    assert result.returncode == 1
    assert f"position {last}: hash" in result.stderr and "recomputed from its record" in result.stderr


def test_a_checkpoint_that_does_not_verify_under_the_key_given_is_refused(primary, tmp_path):
    url, _, _ = primary
    impostor = note.Signer.generate("localhost/pacta").verifier().line()
    result = follow(copy_instance(tmp_path), url, "--log-key", impostor)
    assert result.returncode == 1
    assert "the log's checkpoint does not verify" in result.stderr
