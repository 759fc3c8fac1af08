"""A researcher's journeys in Debian's chromium (Playwright): sources beside facts, citing and exporting,
point in time, status, the party network, search; axe-core finds no violation on the public pages and no
page scrolls sideways on a 390-pixel phone. Screenshots go to test-artifacts/browser/."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import CHARTER, STRATEGIC

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["/", STRATEGIC, STRATEGIC + "art_2/", CHARTER, "/parties/AZE/", "/sources/usc-dornsife-2023/",
                "/data/obligations/codebook/", "/search/?q=assistance", "/timeline/", "/parties/"]


def axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in Axe().run(page).response["violations"]]


def test_journey_1_a_fact_opens_its_source_note_and_the_source_page(page, artifacts):
    page.goto(STRATEGIC)
    note = page.locator("#art_2 details.note").first
    expect(note.locator(".note-body")).to_be_hidden()
    note.locator("summary").click()
    expect(note.locator(".note-body")).to_contain_text("armed attack by a third country")
    page.screenshot(path=str(artifacts / "notes-beside-facts.png"), full_page=True)
    note.get_by_role("link", name="About this source").click()
    expect(page.locator("h1")).to_contain_text("Turkish-Azerbaijani Military Cooperation")
    expect(page.locator(f'a[href="{STRATEGIC}art_2/"]').first).to_be_visible()
    page.screenshot(path=str(artifacts / "source-page.png"), full_page=True)


def test_journey_2_the_cite_address_reproduces_the_page_and_print_hides_navigation(page, artifacts):
    page.goto(STRATEGIC + "@2015-01-01/")
    address = page.locator(".cite-box .address a")
    href = address.get_attribute("href")
    assert re.search(r"/@2015-01-01/\?known_at=", href)
    page.screenshot(path=str(artifacts / "cite-this.png"), full_page=True)
    address.click()
    expect(page.locator("h1")).to_have_text("Agreement on Strategic Partnership and Mutual Assistance")
    expect(page.locator(".timepoint")).to_contain_text("as the registry recorded it by")
    expect(page.get_by_role("link", name="Akoma Ntoso XML")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".clause-tree").first).to_be_visible()
    page.screenshot(path=str(artifacts / "print.png"), full_page=True)


def test_journey_3_an_amendment_is_marked_and_history_leads_to_each_dated_version(page, artifacts, make_agreement):
    make_agreement("journey-amended-2012", "Journey Amended Agreement",
                   [{"eid": "art_1", "number": "1", "text": "Cooperation for five years.", "effective": "2012-05-01"}],
                   extra=[("AmendClause", {"eid": "art_1", "text": "Cooperation for ten years.",
                                           "effective": "2015-06-01"})])
    base = "/akn/int/treaty/2012/journey-amended-2012/"
    page.goto(base)
    expect(page.locator("#art_1 .amended-mark")).to_have_text("Amended with effect from 1 June 2015")
    page.screenshot(path=str(artifacts / "amended-mark.png"), full_page=True)
    page.get_by_role("link", name=re.compile("Article 1")).first.click()
    page.get_by_role("link", name="1 May 2012").click()
    expect(page).to_have_url(re.compile(r"/art_1/@2012-05-01/$"))
    expect(page.locator("blockquote.clause-text")).to_have_text("Cooperation for five years.")
    page.fill("#as_of", "2016-01-01")
    page.fill("#known_at", "2020-01-01")
    page.click(".date-control button[type=submit]")
    expect(page).to_have_url(re.compile(r"/art_1/@2016-01-01/\?known_at=2020-01-01T23"))
    page.screenshot(path=str(artifacts / "known-at-control.png"), full_page=True)


def test_journey_4_status_badges_for_the_agreement_and_each_party(page, artifacts):
    page.goto(CHARTER)
    expect(page.locator(".facts .badge")).to_have_text("In force")
    expect(page.locator("table.lifecycle .badge").first).to_be_visible()
    page.screenshot(path=str(artifacts / "status-badges.png"), full_page=True)


def test_journey_4_the_depositary_opens_the_article_that_names_it(page, artifacts):
    page.goto(CHARTER)
    depositary = page.locator("dt:text-is('Depositary') + dd")
    expect(depositary).to_contain_text("Government of the United States of America")
    depositary.locator("details.note summary").first.click()
    expect(depositary.locator(".note-body").first).to_contain_text("Article 111")
    page.screenshot(path=str(artifacts / "depositary.png"), full_page=True)


def test_journey_5_the_party_network_links_partners_and_travels_in_time(page, artifacts):
    page.goto("/parties/AZE/")
    expect(page.locator("svg.network-svg")).to_be_visible()
    expect(page.locator('a[href="https://www.wikidata.org/wiki/Q227"]')).to_be_visible()
    page.screenshot(path=str(artifacts / "party-network.png"), full_page=True)
    page.fill("#as_of", "1995-01-01")
    page.click(".date-control button[type=submit]")
    expect(page).to_have_url(re.compile(r"/parties/AZE/@1995-01-01/$"))
    page.screenshot(path=str(artifacts / "party-network-1995.png"), full_page=True)
    page.locator('svg.network-svg a[href="/parties/TUR/"]').click()
    expect(page.locator("h1")).to_contain_text("TUR")


def test_journey_6_search_finds_the_article_and_highlights_it(page, artifacts):
    page.goto("/search/?q=assistance")
    expect(page.locator("mark").first).to_be_visible()
    page.screenshot(path=str(artifacts / "search.png"), full_page=True)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_have_no_axe_violations(page, url):
    page.goto(url)
    found = axe_violations(page)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_do_not_scroll_sideways_on_a_phone(page, url):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{url} is {overflow}px too wide"
