"""Fixtures of the browser tests: publishing agreements through the write path, and a real chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from agreements import services
from agreements.domain.commands import parse_command

CHROMIUM = os.environ.get("PACTA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"

STRATEGIC = "/akn/int/treaty/2010/tr-az-strategic-partnership-2010/"
CHARTER = "/akn/int/treaty/1945/un-charter-1945/"


def commands_for(slug, title, clauses, *, kind="agreement", work_date="2012-05-01", parties=("TUR", "AZE"),
                 publish=True, extra=()):
    """The commands that draft an agreement with parties, a signature and `clauses` (dicts of AddClause
    fields), then publish it. `extra` commands run before publication."""
    commands = [parse_command("DraftAgreement", {"slug": slug, "title": title, "kind": kind, "work_date": work_date})]
    commands += [parse_command("AddParty", {"party": code}) for code in parties]
    commands.append(parse_command("RecordLifecycle", {"action": "signature", "date": work_date}))
    commands += [parse_command("AddClause", {"text_kind": "official", "language": "en", **c}) for c in clauses]
    commands += [parse_command(type_, data) for type_, data in extra]
    if publish:
        commands.append(parse_command("Publish", {"note": "test", "uncited_reason": "test texts cite no source"}))
    return commands


@pytest.fixture
def make_agreement():
    """Create an agreement through services.handle_many (the one write path) and return its slug."""

    def make(slug, title, clauses, **options):
        services.handle_many(commands_for(slug, title, clauses, **options), slug=slug)
        return slug

    return make


@pytest.fixture(scope="module")
def chromium():
    """Debian's chromium (never a downloaded browser). Playwright's sync API keeps an event loop in this
    thread, so Django's async-safety check is lifted while the browser runs, and restored after."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser page on the live server. Collects dialogs, console errors and failed requests, which
    the tests then assert to be empty (a CSP violation shows up as a console error)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    tab = context.new_page()
    tab.dialogs, tab.console_errors = [], []

    def on_dialog(dialog):
        tab.dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    tab.on("console", lambda message: message.type == "error" and tab.console_errors.append(message.text))
    tab.set_default_timeout(15000)
    yield tab
    context.close()


@pytest.fixture(scope="session")
def artifacts():
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS
