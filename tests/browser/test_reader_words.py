"""The public pages speak the reader's words: no event-log jargon, parties and sources by name; the technical
term stays, for the specialist, on a "details" line."""

import xml.etree.ElementTree as ET

import pytest

from agreements import services
from agreements.domain.commands import parse_command
from registry.eventstore import store

from .conftest import CHARTER, STRATEGIC

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
OTTOMAN_1918 = "/akn/int/treaty/1918/ottoman-az-1918/"


def test_the_home_page_explains_the_check_on_history_in_words_with_the_log_head_as_details(client):
    head = store.head()
    html = client.get("/").content.decode()
    assert "The log's head" not in html
    assert f"ends at change number <strong>{head.position}</strong>" in " ".join(html.split())
    details = html[html.index('<p class="details">'):]
    assert f"log head position {head.position}" in details[:details.index("</p>")] and head.hash in details


def test_the_feed_says_where_the_record_ends_in_words_with_the_log_head_as_details(client):
    head = store.head()
    subtitle = ET.fromstring(client.get("/changes.atom").content).find(f"{ATOM}subtitle").text
    assert "The log's head" not in subtitle and f"ends at change number {head.position}" in subtitle
    assert f"(details: log head position {head.position}, hash {head.hash})" in subtitle


def test_the_agreement_page_counts_changes_not_events_or_versions(client):
    html = client.get(STRATEGIC).content.decode()
    assert "events recorded" not in html
    assert "<dt>Changes recorded</dt>" in html and '<span class="details">(details: stream version' in html


def test_no_public_page_says_the_registry_is_made_of_seeds(client):
    assert "in the seeds" not in client.get(CHARTER).content.decode()


def test_coded_obligations_name_the_parties_not_their_codes(client):
    html = client.get(OTTOMAN_1918).content.decode()
    obligations = html[html.index('class="obligations"'):]
    obligations = obligations[:obligations.index("</div>")]
    assert "OTTOMAN" not in obligations and "Ottoman Empire" in obligations


def test_the_feed_names_a_cited_source_by_its_title_not_its_key(client):
    services.handle(parse_command("AttachCitation", {"source": "usc-dornsife-2023", "locator": "para. 31",
                                                     "quote": "strategic partnership"}),
                    slug="tr-az-strategic-partnership-2010")
    newest = ET.fromstring(client.get("/changes.atom").content).find(f"{ATOM}entry")
    title = newest.find(f"{ATOM}title").text
    assert "Source cited: Turkish-Azerbaijani Military Cooperation, para. 31" in title
    assert "usc-dornsife-2023" not in title + newest.find(f"{ATOM}summary").text


def test_the_home_pages_changes_name_parties_by_name(client):
    services.handle(parse_command("AddParty", {"party": "NATO"}), slug="tr-az-strategic-partnership-2010")
    html = client.get("/").content.decode()
    assert "Party added: North Atlantic Treaty Organization" in html and "Party added: NATO" not in html
