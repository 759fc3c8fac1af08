"""The global event feed and one agreement's events."""

import base64
import re

import pytest

from registry.eventstore import chain, merkle
from registry.eventstore.models import StoredEvent

from .conftest import STRATEGIC, run

pytestmark = pytest.mark.django_db
FEED = "/api/v1/events/"


def follow(client, url):
    entries = []
    while url:
        body = client.get(url).json()
        entries += body["results"]
        url = body["next"]
    return entries


def test_feed_entries_have_the_contract_fields(anon):
    entry = anon.get(FEED, {"page_size": 1}).json()["results"][0]
    assert {"position", "stream_id", "stream_version", "type", "payload", "effective", "recorded_at"} <= set(entry)


def test_paging_from_zero_to_the_end_gives_every_event_exactly_once_in_position_order(archivist_client):
    entries = follow(archivist_client, FEED + "?after=0&page_size=37")
    positions = [e["position"] for e in entries]
    assert positions == sorted(positions)
    assert len(positions) == len(set(positions)) == StoredEvent.objects.count()


def test_next_continues_after_the_last_position_and_is_null_at_the_end(anon):
    body = anon.get(FEED, {"after": 0, "page_size": 5}).json()
    assert f"after={body['results'][-1]['position']}" in body["next"]
    last = StoredEvent.objects.order_by("-position").first().position
    assert anon.get(FEED, {"after": last}).json() == {"after": last, "page_size": 100, "next": None, "results": []}


@pytest.mark.parametrize("params", [{"page_size": 1001}, {"page_size": 0}, {"limit": 0}, {"after": -1}, {"after": "x"},
                                    {"after": ""}])
def test_out_of_range_paging_is_a_400_naming_the_parameter(anon, params):
    response = anon.get(FEED, params)
    assert response.status_code == 400 and set(params) <= set(response.json()["errors"])


def test_a_page_size_of_1000_is_allowed(anon):
    assert len(anon.get(FEED, {"page_size": 1000}).json()["results"]) == min(1000, StoredEvent.objects.count())


def test_limit_is_still_understood_as_the_feeds_older_name_for_page_size(anon):
    body = anon.get(FEED, {"after": 0, "limit": 3}).json()
    assert len(body["results"]) == 3 and body["page_size"] == 3
    assert "page_size=3" in body["next"] and "limit=" not in body["next"]


def test_anonymous_callers_see_only_events_of_published_agreements(anon, archivist_client, draft):
    public = {e.get("stream_id") for e in follow(anon, FEED + "?page_size=1000")}
    internal = {e["stream_id"] for e in follow(archivist_client, FEED + "?page_size=1000")}
    assert f"agreement:{draft}" not in public
    assert f"agreement:{draft}" in internal


def test_an_agreements_events_are_in_stream_order(anon):
    body = anon.get(f"/api/v1/agreements/{STRATEGIC}/events/").json()
    versions = [e["stream_version"] for e in body["results"]]
    assert versions == list(range(1, len(versions) + 1))
    assert body["results"][0]["type"] == "AgreementDrafted"


def test_an_agreements_events_page_after_a_stream_version(anon, make_agreement):
    slug = make_agreement("paged-events-2012", clauses=4, publish=True)
    first = anon.get(f"/api/v1/agreements/{slug}/events/", {"page_size": 3}).json()
    assert [e["stream_version"] for e in first["results"]] == [1, 2, 3]
    assert [e["stream_version"] for e in anon.get(first["next"]).json()["results"]][:1] == [4]


def test_a_drafts_events_are_404_to_the_public(anon, archivist_client, draft):
    assert anon.get(f"/api/v1/agreements/{draft}/events/").status_code == 404
    assert archivist_client.get(f"/api/v1/agreements/{draft}/events/").status_code == 200


def test_a_new_event_appears_at_the_end_of_the_feed(anon, make_agreement):
    slug = make_agreement("fresh-events-2012", publish=True)
    last = StoredEvent.objects.order_by("-position").first().position
    run(slug, "EditDetails", summary="Later.")
    assert [e["type"] for e in anon.get(FEED, {"after": last}).json()["results"]] == ["DetailsEdited"]


def chain_of(entries):
    """Check every link as a downstream verifier would: recompute visible entries, link placeholders."""
    import hashlib
    import json

    prev = "0" * 64
    for entry in entries:
        assert entry["prev_hash"] == prev, f"broken link at {entry['position']}"
        if "stream_id" in entry:
            record = {key: entry[key] for key in ("position", "stream_id", "stream_version", "event_id", "type",
                                                 "schema_version", "payload", "effective", "recorded_at")}
            text = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            assert entry["hash"] == hashlib.sha256((prev + "\n" + text).encode("utf-8")).hexdigest()
        prev = entry["hash"]
    return prev


def test_anyone_can_verify_every_link_of_the_feed_and_reach_the_head(anon, draft):
    entries = follow(anon, FEED + "?limit=1000")
    head = anon.get(FEED, {"limit": 1})["X-Pacta-Head"]
    assert head.startswith(f"{entries[-1]['position']} {chain_of(entries)}")  # then the checkpoint's size and root


def test_an_event_anonymous_callers_may_not_see_is_a_placeholder_with_its_chain_link_only(anon, draft):
    hidden = StoredEvent.objects.filter(stream_id=f"agreement:{draft}").first()
    entry = anon.get(FEED, {"after": hidden.position - 1, "limit": 1}).json()["results"][0]
    leaf = base64.b64encode(merkle.leaf_hash(chain.canonical_json(chain.record_of(hidden)))).decode()
    assert entry == {"position": hidden.position, "prev_hash": hidden.prev_hash, "hash": hidden.hash,
                     "leaf_hash": leaf}


def test_record_time_in_the_feed_always_has_microseconds_and_z(anon):
    entry = anon.get(FEED, {"limit": 1}).json()["results"][0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", entry["recorded_at"])


def test_an_agreements_events_carry_their_chain_links(anon):
    entry = anon.get(f"/api/v1/agreements/{STRATEGIC}/events/").json()["results"][0]
    stored = StoredEvent.objects.get(position=entry["position"])
    assert (entry["prev_hash"], entry["hash"]) == (stored.prev_hash, stored.hash)
