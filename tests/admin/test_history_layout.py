"""The changelist and the History page in a real browser: no axe-core violation (the changelist's search box
has a label; every History column header has text), and at 1280 px no History cell spills into the next
(the time used to run over the user's name)."""

import pytest
from django.urls import reverse

from agreements.models import AgreementRecord

from .test_accessibility import ARTIFACTS, archivist_page, violations  # noqa: F401  (fixture)
from .test_browser import browser, pytestmark  # noqa: F401  (fixture, marks)

SLUG = "tr-az-strategic-partnership-2010"


def history_path():
    return reverse("admin:agreements_agreementrecord_history", args=[AgreementRecord.objects.get(slug=SLUG).pk])


def test_the_agreement_list_has_no_axe_violations(archivist_page, live_server):
    archivist_page.goto(f"{live_server.url}{reverse('admin:agreements_agreementrecord_changelist')}")
    found = violations(archivist_page)
    assert not found, "\n".join(found)


def test_the_search_box_of_the_agreement_list_has_a_visible_label(archivist_page, live_server):
    archivist_page.goto(f"{live_server.url}{reverse('admin:agreements_agreementrecord_changelist')}")
    label = archivist_page.locator("label[for=searchbar]")
    assert label.inner_text().strip()


def test_the_history_page_has_no_axe_violations(archivist_page, live_server):
    archivist_page.goto(f"{live_server.url}{history_path()}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    archivist_page.screenshot(path=str(ARTIFACTS / "history-1280.png"), full_page=True)
    found = violations(archivist_page)
    assert not found, "\n".join(found)


def test_every_history_column_header_has_text(archivist_page, live_server):
    archivist_page.goto(f"{live_server.url}{history_path()}")
    headers = archivist_page.locator("table.pacta-events thead th").all_inner_texts()
    assert headers and all(text.strip() for text in headers)


def test_no_history_cell_spills_into_the_next_at_1280_pixels(archivist_page, live_server):
    archivist_page.goto(f"{live_server.url}{history_path()}")
    spilling = archivist_page.evaluate("""() => [...document.querySelectorAll('table.pacta-events td')]
        .filter(td => td.scrollWidth > td.clientWidth + 1).map(td => td.textContent.trim().slice(0, 40))""")
    assert spilling == []
