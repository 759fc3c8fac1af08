"""The browser in Debian's chromium, driven by Playwright: the reader's journeys, escaping, accessibility
basics, and screenshots saved under test-artifacts/browser/."""

import re

import pytest
from playwright.sync_api import expect

from agreements import services
from agreements.domain.commands import parse_command

from .conftest import CHARTER, STRATEGIC

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VAGUE_LINK_TEXTS = ["click here", "here", "more", "read more", "link", "this", "details"]

ACCESSIBILITY_PROBLEMS = """(vague) => {
  const problems = [];
  const h1s = document.querySelectorAll('h1').length;
  if (h1s !== 1) problems.push(`${h1s} h1 elements`);
  if (!document.documentElement.getAttribute('lang')) problems.push('no lang on html');
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (['hidden', 'submit', 'button'].includes(el.type)) continue;
    const label = (el.id && document.querySelector(`label[for="${el.id}"]`)) || el.closest('label')
      || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
    if (!label) problems.push(`form control without a label: ${el.name}`);
  }
  for (const a of document.querySelectorAll('a[href]')) {
    const text = (a.textContent || a.getAttribute('aria-label') || '').replace(/\\s+/g, ' ').trim();
    if (!text) problems.push(`link without text: ${a.getAttribute('href')}`);
    else if (vague.includes(text.toLowerCase())) problems.push(`vague link text: "${text}"`);
  }
  return problems;
}"""


def assert_accessible_and_clean(page):
    """One h1, labelled controls, lang on html, link texts that say where they go; no script errors or CSP
    violations in the console, no dialogs."""
    assert page.evaluate(ACCESSIBILITY_PROBLEMS, VAGUE_LINK_TEXTS) == [], page.url
    assert page.console_errors == [], page.url
    assert page.dialogs == [], page.url


def test_from_home_to_article_51_of_the_un_charter_and_back(page, artifacts):
    page.goto("/")
    assert_accessible_and_clean(page)
    page.screenshot(path=artifacts / "home.png", full_page=True)

    page.get_by_role("link", name="Agreement on Strategic Partnership and Mutual Assistance").first.click()
    expect(page).to_have_url(re.compile(re.escape(STRATEGIC) + "$"))
    expect(page.locator("h1")).to_have_text("Agreement on Strategic Partnership and Mutual Assistance")
    assert_accessible_and_clean(page)
    page.screenshot(path=artifacts / "agreement.png", full_page=True)

    page.get_by_role("link", name="Article 2: Mutual assistance against armed attack").click()
    expect(page).to_have_url(re.compile(re.escape(STRATEGIC + "art_2/") + "$"))
    expect(page.locator("h1")).to_contain_text("Article 2")
    expect(page.locator(".clause-body .text-kind")).to_contain_text("summary")
    assert_accessible_and_clean(page)

    page.get_by_role("link", name="Article 51 of the Charter of the United Nations").click()
    expect(page).to_have_url(re.compile(re.escape(CHARTER + "art_51/") + "$"))
    expect(page.locator("h1")).to_contain_text("Article 51")
    assert_accessible_and_clean(page)

    referenced_by = page.locator("section[aria-labelledby=refs-in]")
    referenced_by.get_by_role(
        "link", name="Article 2 of the Agreement on Strategic Partnership and Mutual Assistance").click()
    expect(page).to_have_url(re.compile(re.escape(STRATEGIC + "art_2/") + "$"))


def test_the_2010_agreement_did_not_exist_yet_in_2009(page):
    page.goto(STRATEGIC)
    page.get_by_label("Show it as it stood on").fill("2009-06-30")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(STRATEGIC + "@2009-06-30/") + "$"))
    expect(page.get_by_text("This agreement did not exist yet on 30 June 2009.")).to_be_visible()
    expect(page.locator(".as-of")).to_contain_text("As it stood on 30 June 2009")
    assert_accessible_and_clean(page)

    page.get_by_role("link", name="Show it as it stands today").first.click()
    expect(page).to_have_url(re.compile(re.escape(STRATEGIC) + "$"))
    expect(page.get_by_role("link", name="Article 2: Mutual assistance against armed attack")).to_be_visible()


def test_searching_mutual_assistance_lands_on_article_2(page):
    page.goto("/")
    page.get_by_label("Search titles, summaries and clause texts").fill("mutual assistance")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=mutual\+assistance$"))
    expect(page.locator(".results mark").first).to_be_visible()
    assert_accessible_and_clean(page)
    # the 2010 agreement's Article 2, among the best clauses beside the Charter's Article 49 ("mutual assistance")
    page.locator(f'.results .result-clause a[href="{STRATEGIC}art_2/"]').click()
    expect(page).to_have_url(re.compile(re.escape(STRATEGIC + "art_2/") + "$"))
    expect(page.locator("h1")).to_contain_text("Mutual assistance against armed attack")


def test_a_script_in_a_clause_text_shows_as_characters_and_runs_nothing(page, make_agreement):
    make_agreement("script-test-2012", "Agreement <em>with</em> a script",
                   [{"eid": "art_1", "number": "1", "text": "<script>alert(1)</script>"}])
    page.goto("/akn/int/treaty/2012/script-test-2012/art_1/")
    expect(page.locator("blockquote.clause-text")).to_have_text("<script>alert(1)</script>")
    expect(page.locator(".h1-sub")).to_contain_text("Agreement <em>with</em> a script")
    assert page.evaluate("document.scripts.length") == 0
    assert page.dialogs == []
    page.goto("/akn/int/treaty/2012/script-test-2012/")
    expect(page.locator(".clause-text").first).to_have_text("<script>alert(1)</script>")
    assert page.evaluate("document.scripts.length") == 0
    assert page.dialogs == []


def test_a_clause_diff_and_the_timeline(page, artifacts):
    services.handle(
        parse_command("AmendClause", {
            "eid": "art_1", "effective": "2016-05-01",
            "text": "If the territorial integrity, sovereignty or the inviolability of the borders of either party is "
                    "threatened, the two parties consult at once and act together to remove the threat.",
        }),
        slug="tr-az-strategic-partnership-2010",
    )
    page.goto(STRATEGIC + "art_1/")
    expect(page.locator(".versions tbody tr")).to_have_count(2)
    page.get_by_role("link", name="Differences between version 1 and version 2").click()
    expect(page.locator(".diff ins").first).to_be_visible()
    expect(page.locator(".diff del").first).to_be_visible()
    assert_accessible_and_clean(page)
    page.screenshot(path=artifacts / "clause-diff.png", full_page=True)

    page.goto("/timeline/")
    expect(page.locator("svg a.mark")).to_have_count(19)  # 20 published seeds, one of them undated
    assert_accessible_and_clean(page)
    page.screenshot(path=artifacts / "timeline.png", full_page=True)
    page.locator(f'svg a.mark[href="{CHARTER}"]').click()  # its amending instruments' titles name it too
    expect(page).to_have_url(re.compile(re.escape(CHARTER) + "$"))


def test_pages_work_with_javascript_off(chromium, live_server):
    context = chromium.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto(STRATEGIC + "art_2/")
        page.get_by_label("Show it as it stood on").fill("2015-01-01")
        page.get_by_role("button", name="Show", exact=True).click()
        expect(page).to_have_url(re.compile(re.escape(STRATEGIC + "art_2/@2015-01-01/") + "$"))
        expect(page.locator("blockquote.clause-text")).to_contain_text("Article 51 of the UN Charter")
    finally:
        context.close()
