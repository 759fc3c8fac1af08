"""The archivists' add and change pages in a real browser: axe-core finds no violation, and nothing overflows
the window at 1280 px (axe-core's script comes from the axe-playwright-python package, never a CDN)."""

from pathlib import Path

import pytest
from django.conf import settings

from agreements.models import AgreementRecord

from .conftest import make_staff
from .test_browser import browser, log_in, pytestmark  # noqa: F401  (fixture, marks)

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "admin"


def violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {len(v['nodes'])} node(s), e.g. {v['nodes'][0]['target']}"
        for v in results.response["violations"]
    ]


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.fixture
def archivist_page(browser, live_server, django_user_model):
    from django.db import connections

    make_staff(django_user_model, "ada-archivist", "archivist", "reviewer")
    page = log_in(browser, live_server, "ada-archivist", "/admin/")
    page.set_viewport_size({"width": 1280, "height": 900})
    yield page
    connections.close_all()


def _pages(live_server):
    record = AgreementRecord.objects.get(slug="tr-az-strategic-partnership-2010")
    return {
        "add": f"{live_server.url}/admin/agreements/agreementrecord/add/",
        "change": f"{live_server.url}/admin/agreements/agreementrecord/{record.pk}/change/",
    }


@pytest.mark.parametrize("which", ["add", "change"])
def test_the_agreement_form_has_no_axe_violations(archivist_page, live_server, which):
    archivist_page.goto(_pages(live_server)[which])
    archivist_page.wait_for_load_state("networkidle")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    archivist_page.screenshot(path=str(ARTIFACTS / f"{which}-1280.png"), full_page=True)
    found = violations(archivist_page)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("which", ["add", "change"])
def test_the_agreement_form_fits_a_1280_pixel_window(archivist_page, live_server, which):
    archivist_page.goto(_pages(live_server)[which])
    assert overflow(archivist_page) <= 0
