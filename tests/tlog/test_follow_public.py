"""`follow` with no token: the anonymous feed shows placeholders (position, chain hashes, leaf hash) where events
are hidden, so a copy that cannot see them still checks every public event and the whole tree against the log's
signed checkpoint, under a key it was given out of band. It stores every public event and holds the hidden
positions as placeholders (registry/eventstore/store.py), which only the events they commit to can fill."""

import json
import re
import urllib.request

import pytest
from django.db import connection

from registry.eventstore import note, store, triggers
from registry.eventstore.tasks import sign_checkpoint
from tests.api.conftest import STRATEGIC, make_agreement, run  # noqa: F401  (fixtures)
from agreements.projections.rebuild import projection_hash
from tests.api.test_follow import copy_instance, token  # noqa: F401  (fixture)

# Run inside the copy: what its own anonymous feed and an archivist's feed show, and its agreement page.
COPY_READS = """
import json
from django.test import Client
from agreements.queries.events import HiddenEntry, event_feed
from registry.eventstore import store
feed = Client(HTTP_HOST="localhost").get("/api/v1/events/", {"after": 0, "limit": 1000}).json()["results"]
archivist = [entry.position for entry in event_feed(0, 1000, include_unpublished=True)
             if isinstance(entry, HiddenEntry)]
page = Client(HTTP_HOST="localhost").get("/api/v1/agreements/secret-draft-2024/").status_code
hidden = next((entry for entry in feed if "stream_id" not in entry), None)
proof = hidden and Client(HTTP_HOST="localhost").get("/api/v1/log/inclusion", {
    "position": hidden["position"], "tree_size": store.head().position}).json()
print(json.dumps({"feed": feed, "archivist_placeholders": archivist, "page": page, "proof": proof,
                  "events": store.StoredEvent.objects.count(), "head": store.head().position}))
"""


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


def copy_reads(manage) -> dict:
    return json.loads(manage("shell", "-c", COPY_READS).stdout.strip().splitlines()[-1])


def test_a_copy_with_no_token_stores_every_public_event_and_holds_the_hidden_positions_as_placeholders(primary,
                                                                                                       tmp_path):
    url, key, first_hidden = primary
    manage = copy_instance(tmp_path)
    result = follow(manage, url, "--log-key", key)
    assert result.returncode == 0, result.stderr
    size = store.head().position
    hidden = size - first_hidden + 1 - 2  # the draft's events; the last two are public
    assert (f"copied {size - hidden} events" in result.stdout and f"the log's signed checkpoint of {size} events "
            f"verifies, {hidden} hidden positions by their leaf hashes, held as placeholders") in result.stdout
    assert copy_head(result) == size
    reads = copy_reads(manage)
    assert reads["events"] == size - hidden and reads["head"] == size
    assert manage("verify_log").returncode == 0  # the chain and the tree over events and placeholders


def test_a_copy_with_no_token_never_shows_a_hidden_position_as_an_event_in_its_feed_or_pages(primary, tmp_path):
    url, key, first_hidden = primary
    manage = copy_instance(tmp_path)
    assert follow(manage, url, "--log-key", key).returncode == 0
    reads = copy_reads(manage)
    primary_feed = json.load(urllib.request.urlopen(f"{url}/api/v1/events/?after=0&limit=1000"))["results"]
    assert reads["feed"] == primary_feed  # the same entries: events as they are, placeholders as placeholders
    hidden = [entry["position"] for entry in reads["feed"] if "stream_id" not in entry]
    assert hidden == list(range(first_hidden, first_hidden + len(hidden))) and hidden
    assert reads["archivist_placeholders"] == hidden  # the copy has nothing more to show anyone
    assert reads["page"] == 404
    # The copy proves a hidden position's inclusion by the leaf hash it holds, as the primary does.
    assert reads["proof"]["leaf_hash"] == reads["feed"][first_hidden - 1]["leaf_hash"]
    assert reads["proof"] == primary_proof(url, first_hidden, reads["head"])


def primary_proof(url, position, size):
    return json.load(urllib.request.urlopen(f"{url}/api/v1/log/inclusion?position={position}&tree_size={size}"))


def test_a_later_follow_with_a_token_fills_the_placeholders_and_projects_what_the_primary_projects(primary, token,
                                                                                                    tmp_path):
    url, key, _ = primary
    manage = copy_instance(tmp_path)
    assert follow(manage, url, "--log-key", key).returncode == 0
    result = follow(manage, url, "--token", token, "--log-key", key)
    assert result.returncode == 0, result.stderr
    assert "6 placeholders filled" in result.stdout
    reads = copy_reads(manage)
    assert reads["events"] == reads["head"] == store.head().position
    assert manage("verify_log").returncode == 0
    assert manage("projection_hash").stdout.strip() == f"projection hash: {projection_hash()}"


def test_an_agreement_published_after_the_copy_held_its_events_is_filled_and_projected_by_the_next_pass(primary,
                                                                                                         tmp_path):
    url, key, _ = primary
    manage = copy_instance(tmp_path)
    assert follow(manage, url, "--log-key", key).returncode == 0
    run("secret-draft-2024", "Publish", uncited_reason="test texts cite no source")
    sign_checkpoint()
    result = follow(manage, url, "--log-key", key)
    assert result.returncode == 0, result.stderr
    assert "6 placeholders filled" in result.stdout and "copied 1 events" in result.stdout
    assert copy_reads(manage)["page"] == 200
    assert manage("projection_hash").stdout.strip() == f"projection hash: {projection_hash()}"


def test_a_placeholder_offered_other_content_than_it_commits_to_is_refused_and_stays_a_placeholder(primary, token,
                                                                                                   tmp_path):
    url, key, first_hidden = primary
    manage = copy_instance(tmp_path)
    assert follow(manage, url, "--log-key", key).returncode == 0
    tamper("UPDATE pacta_event SET payload = %s WHERE position = %s", ['{"title": "rewritten"}', first_hidden + 1])
    result = follow(manage, url, "--token", token)
    assert result.returncode == 1
    assert (f"does not fill this copy's placeholder (position {first_hidden + 1}: the event's hash is not the one "
            "recomputed from its record)") in result.stderr
    reads = copy_reads(manage)
    assert reads["archivist_placeholders"] == list(range(first_hidden, first_hidden + 6))  # nothing filled


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
