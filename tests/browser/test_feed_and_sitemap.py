"""Discovery: the Atom feed of changes (from the event log) and the sitemap."""

import xml.etree.ElementTree as ET

import pytest

from agreements import services
from agreements.domain.commands import parse_command

from .conftest import STRATEGIC

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_the_atom_feed_lists_the_newest_change_first_with_a_link_to_the_clause(client):
    services.handle(parse_command("AmendClause", {"eid": "art_9", "text": "New wording.", "effective": "2019-01-01"}),
                    slug="tr-az-strategic-partnership-2010")
    response = client.get("/changes.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
    first = entries[0]
    assert "Article 9 amended, in effect from 1 January 2019" in first.find(f"{ATOM}title").text
    assert first.find(f"{ATOM}link").get("href").endswith(STRATEGIC + "art_9/")
    assert first.find(f"{ATOM}id").text.startswith("urn:uuid:")


def test_the_home_page_announces_the_feed(client):
    assert 'type="application/atom+xml"' in client.get("/").content.decode()


def test_the_atom_feed_and_the_home_page_show_the_head_of_the_log(client):
    from registry.eventstore import store

    head = store.head()
    assert f"position {head.position}, hash {head.hash}" in client.get("/changes.atom").content.decode()
    home = client.get("/").content.decode()
    assert f"<strong>{head.position}</strong>" in home and head.hash in home
def _feed(client, url="/changes.atom"):
    response = client.get(url)
    assert response.status_code == 200
    return ET.fromstring(response.content)


def _link(feed, rel):
    found = [link.get("href") for link in feed.findall(f"{ATOM}link") if link.get("rel") == rel]
    return found[0] if found else None


def test_feed_entries_read_as_sentences_not_event_numbers(client):
    for entry in _feed(client).findall(f"{ATOM}entry"):
        summary = entry.find(f"{ATOM}summary").text
        assert "global position" not in summary and "Event " not in summary


def test_the_feed_pages_beyond_the_latest_fifty_as_rfc_5005_says(client):
    first = _feed(client)
    entries = first.findall(f"{ATOM}entry")
    assert len(entries) == 50 and _link(first, "first") and _link(first, "previous") is None
    older = _feed(client, _link(first, "next").replace("http://testserver", ""))
    older_ids = [e.find(f"{ATOM}id").text for e in older.findall(f"{ATOM}entry")]
    assert older_ids and not set(older_ids) & {e.find(f"{ATOM}id").text for e in entries}
    assert _link(older, "previous") and _link(older, "first").endswith("/changes.atom")


def test_a_bad_feed_page_is_a_404(client):
    assert client.get("/changes.atom", {"before": "soon"}).status_code == 404


def test_the_previous_page_of_the_second_page_is_the_first(client):
    first = _feed(client)
    older = _feed(client, _link(first, "next").replace("http://testserver", ""))
    back = _feed(client, _link(older, "previous").replace("http://testserver", ""))
    assert [e.find(f"{ATOM}id").text for e in back.findall(f"{ATOM}entry")] == [
        e.find(f"{ATOM}id").text for e in first.findall(f"{ATOM}entry")]
