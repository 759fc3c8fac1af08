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
    assert "Article 9 amended with effect from 1 January 2019" in first.find(f"{ATOM}title").text
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
