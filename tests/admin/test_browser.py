"""A real browser (Playwright driving Debian's chromium) through the archivists' day: draft, amend, submit;
a reviewer publishes; the agreement's data then shows the amended text and both versions."""

import json
import os
import shutil
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve

from agreements.queries.clauses import clause_at
from agreements.models import AgreementRecord

from .conftest import PASSWORD, make_staff

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "admin"
SLUG = "tr-az-browser-test-2025"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian chromium is not installed at /usr/bin/chromium"),
]


@pytest.fixture
def browser(django_db_setup, live_server):
    """Depends on live_server so that the browser (and its keep-alive connections, each holding a database
    connection in the server's request thread) is closed before the server stops."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync"],
        )
        yield browser
        browser.close()


def log_in(browser, live_server, username, next_path):
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_load_state()
    return page


def test_archivist_drafts_amends_and_submits_then_reviewer_publishes(browser, live_server, django_user_model):
    try:
        _archivists_day(browser, live_server, django_user_model)
    finally:
        from django.db import connections

        # Playwright's sync API runs on greenlets, and Django's (context-local) connection handler then gives this
        # test a connection of its own that pytest-django does not know: close it, or PostgreSQL cannot drop the
        # test database at the end of the session.
        connections.close_all()


def _archivists_day(browser, live_server, django_user_model):
    make_staff(django_user_model, "ada-archivist", "archivist")
    make_staff(django_user_model, "rex-reviewer", "reviewer")

    page = log_in(browser, live_server, "ada-archivist", "/admin/agreements/agreementrecord/add/")
    page.fill("[name=details-slug]", SLUG)
    page.fill("[name=details-title]", "Browser Test Agreement on Military Training")
    page.select_option("[name=details-kind]", "agreement")
    page.fill("[name=details-work_date]", "2025-01-10")
    page.fill("[name=newclauses-0-number]", "1")
    page.fill("[name=newclauses-0-heading]", "Purpose")
    page.fill("[name=newclauses-0-text]", "The parties cooperate in military training.")
    page.select_option("[name=newclauses-0-text_kind]", "official")
    page.fill("[name=newclauses-0-effective]", "2025-01-10")
    page.fill("[name=newclauses-1-number]", "2")
    page.fill("[name=newclauses-1-heading]", "Duration")
    page.fill("[name=newclauses-1-text]", "This agreement remains in force for five years.")
    page.select_option("[name=newclauses-1-text_kind]", "official")
    page.fill("[name=newclauses-1-effective]", "2025-01-10")
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    assert "Saved" in page.inner_text(".messagelist")

    row = page.locator("tr#clause-art_2")
    row.locator("textarea").fill("This agreement remains in force for ten years.")
    row.locator("input[name$='-effective']").fill("2025-06-01")
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    assert "1 event" in page.inner_text(".messagelist")

    page.click("button[value=submit]")
    page.wait_for_load_state()
    assert "submitted for review" in page.inner_text(".messagelist")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "change-page.png"), full_page=True)
    assert page.locator("button[value=publish]").count() == 0  # archivists do not publish

    record = AgreementRecord.objects.get(slug=SLUG)
    assert record.publication == "in_review"
    reviewer = log_in(browser, live_server, "rex-reviewer", f"/admin/agreements/agreementrecord/{record.pk}/change/")
    assert "3 facts cite no source" in reviewer.inner_text("#uncited")  # the agreement and its two articles
    reviewer.fill("#id_uncited_reason", "Entered from the signed copy; sources to follow.")
    reviewer.screenshot(path=str(ARTIFACTS / "publish-uncited.png"), full_page=True)
    reviewer.click("button[value=publish]")
    reviewer.wait_for_load_state()
    assert "published" in reviewer.inner_text(".messagelist")
    reviewer.goto(f"{live_server.url}/admin/agreements/agreementrecord/{record.pk}/history/")
    reviewer.screenshot(path=str(ARTIFACTS / "history-page.png"), full_page=True)

    # The public read (published only): the amended text now, and both versions.
    clause = clause_at(SLUG, "art_2")
    assert clause.current.text == "This agreement remains in force for ten years."
    assert [(v.text, v.effective) for v in clause.versions] == [
        ("This agreement remains in force for five years.", "2025-01-10"),
        ("This agreement remains in force for ten years.", "2025-06-01"),
    ]

    # And through the API's clause endpoint, once it is merged (it is built in parallel): checked only if the
    # URL resolves to an API route.
    api_path = f"/api/v1/agreements/{SLUG}/clauses/art_2/"
    try:
        route = resolve(api_path).route
    except Resolver404:
        return
    if not route.startswith("api/"):
        return
    with urllib.request.urlopen(f"{live_server.url}{api_path}", timeout=10) as response:
        body = json.loads(response.read())
    assert body["text"] == "This agreement remains in force for ten years."
    assert len(body["versions"]) == 2
