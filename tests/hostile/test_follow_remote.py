"""`follow` trusts the remote no further than the chain proves: one origin (the token never leaves it), only
http(s), bounded answers, a message for every refusal, and a remote that lost or rewrote this copy's head is
refused instead of reported as "nothing new". The remote here is a small HTTP server answering crafted pages."""

import json

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from agreements.queries.events import log_head
from registry.eventstore.store import head as store_head
from tests.remote import FEED

pytestmark = pytest.mark.django_db




def follow(url, *extra):
    call_command("follow", url, "--token", "secret-token", "--once", *extra)


def head_entry(archivist):
    """This store's head as the feed shows it (what an honest remote answers for the copy's head)."""
    client = APIClient()
    client.force_authenticate(archivist)
    head = log_head()
    return client.get(FEED, {"after": head.position - 1, "limit": 1}).json()["results"][0]


def serve_head_then(remote, archivist, later):
    """The remote holds this copy's head; after it, `later` (a list of entries)."""
    entry = head_entry(archivist)
    position = entry["position"]

    def answer(query):
        results = [entry] if f"after={position - 1}&" in query + "&" else later
        return 200, {"Content-Type": "application/json"}, json.dumps({"results": results, "next": None}).encode()

    remote.routes[FEED] = answer
    return entry


def test_follow_refuses_a_url_that_is_not_http():
    with pytest.raises(CommandError, match="not an http"):
        follow("file:///dev/zero")


def test_a_redirect_to_another_origin_is_refused_and_the_token_never_reaches_it(remote, elsewhere):
    elsewhere.json(FEED, {"results": [], "next": None})
    remote.routes[FEED] = lambda query: (302, {"Location": f"{elsewhere.url}{FEED}?{query}"}, b"")
    with pytest.raises(CommandError, match="another origin"):
        follow(remote.url)
    assert elsewhere.requests == []


def test_a_redirect_to_a_file_url_is_refused(remote):
    remote.routes[FEED] = lambda query: (302, {"Location": "file:///dev/zero"}, b"")
    with pytest.raises(CommandError, match="redirects to 'file:///dev/zero'"):
        follow(remote.url)


def test_a_next_link_to_another_origin_is_refused_and_the_token_never_reaches_it(remote, elsewhere, archivist):
    entry = head_entry(archivist)
    remote.json(FEED, {"results": [entry], "next": f"{elsewhere.url}{FEED}?after=999"})
    elsewhere.json(FEED, {"results": [], "next": None})
    with pytest.raises(CommandError, match="leaves"):
        follow(remote.url)
    assert elsewhere.requests == []


def test_a_next_link_to_a_file_url_is_refused(remote, archivist):
    remote.json(FEED, {"results": [head_entry(archivist)], "next": "file:///dev/zero"})
    with pytest.raises(CommandError, match="leaves"):
        follow(remote.url)


def test_a_page_larger_than_the_bound_is_refused_unread(remote):
    remote.routes[FEED] = lambda query: (200, {"Content-Type": "application/json"}, b"[" + b"0," * 50_000 + b"0]")
    with pytest.raises(CommandError, match="longer than 10,000 bytes"):
        follow(remote.url, "--max-page-bytes", "10000")


def test_a_page_that_declares_too_many_bytes_is_refused_before_reading(remote):
    remote.routes[FEED] = lambda query: (200, {"Content-Length": str(200 * 1024 * 1024)}, b"{}")
    with pytest.raises(CommandError, match="declares 209,715,200 bytes"):
        follow(remote.url)


def test_a_remote_that_never_answers_ends_a_single_pass_with_a_message(remote):
    remote.routes[FEED] = lambda query: (None, {}, b"")
    with pytest.raises(CommandError, match="unavailable"):
        follow(remote.url, "--timeout", "0.5")


@pytest.mark.parametrize("body", [b"<html>Bad gateway</html>", b'{"results": 5}', b'{"results": [{"position": 1, "stream_id": "x"}]}',
                                  b'{"results": [7]}', b"[" * 100_000, b'{"results": [], "next": 12}'])
def test_a_malformed_page_ends_a_single_pass_with_a_message(remote, body):
    remote.routes[FEED] = lambda query: (200, {"Content-Type": "application/json"}, body)
    with pytest.raises(CommandError, match="not the feed"):
        follow(remote.url)


def test_a_remote_whose_log_ends_before_the_copys_head_is_refused(remote):
    remote.json(FEED, {"results": [], "next": None})
    assert store_head().position > 0
    with pytest.raises(CommandError, match="ends before this copy's head"):
        follow(remote.url)


def test_a_remote_with_another_event_at_the_copys_head_is_refused(remote, archivist):
    entry = {**head_entry(archivist), "hash": "0" * 64}
    remote.json(FEED, {"results": [entry], "next": None})
    with pytest.raises(CommandError, match="another event at this copy's head"):
        follow(remote.url)


def test_record_times_going_backwards_are_refused_and_nothing_is_written(remote, archivist):
    head = log_head()
    entry = head_entry(archivist)
    later = {**entry, "position": entry["position"] + 1, "stream_version": entry["stream_version"] + 1,
             "event_id": "0b7c2f4e-1a2b-4c3d-8e9f-0a1b2c3d4e5f", "recorded_at": "2001-01-01T00:00:00.000000Z",
             "prev_hash": entry["hash"]}
    serve_head_then(remote, archivist, [later])
    with pytest.raises(CommandError, match="record time cannot go backwards"):
        follow(remote.url)
    assert log_head() == head


def test_an_honest_remote_holding_the_copys_head_copies_nothing_new(remote, archivist, capsys):
    serve_head_then(remote, archivist, [])
    follow(remote.url)
    assert capsys.readouterr().out.startswith("copied 0 events")
    assert all(auth == "Token secret-token" for _, auth in remote.requests)
