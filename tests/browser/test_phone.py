"""A 390-pixel phone (Playwright in Debian's chromium): the diff page does not scroll sideways, and the
timeline shows every agreement of its page within the window instead of a mostly empty stretch of axis."""

import pytest

from agreements import services
from agreements.domain.commands import parse_command

from .conftest import STRATEGIC

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_the_diff_page_does_not_scroll_sideways_on_a_phone(page, artifacts):
    services.handle(parse_command("AmendClause", {
        "eid": "art_1", "effective": "2016-05-01",
        "text": "If the territorial integrity, sovereignty or the inviolability of the borders of either party is "
                "threatened, the two parties consult at once and act together to remove the threat, as published at "
                "https://treaties.un.org/doc/Publication/UNTS/Volume%201155/volume-1155-I-18232-English.pdf.",
    }), slug="tr-az-strategic-partnership-2010")
    page.set_viewport_size(PHONE)
    page.goto(STRATEGIC + "art_1/diff/?from=1&to=2")
    assert page.locator(".diff ins").count()
    page.screenshot(path=artifacts / "clause-diff-390.png", full_page=True)
    assert overflow(page) <= 0


def test_the_timeline_shows_every_agreement_within_a_phones_window(page, artifacts):
    page.set_viewport_size(PHONE)
    page.goto("/timeline/")
    page.screenshot(path=artifacts / "timeline-390.png", full_page=True)
    shown = page.evaluate("""() => [...document.querySelectorAll('figure.timeline a[href]')]
        .map(a => a.getBoundingClientRect())
        .filter(r => r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= window.innerWidth)
        .length""")
    assert shown == 19  # every dated published seed, none of them off to the side
    assert overflow(page) <= 0


@pytest.mark.parametrize("url", ["/timeline/", "/search/?from=1990-01-01&to=2001-12-31"])
def test_the_phone_timeline_and_a_search_by_dates_have_no_axe_violations(page, url):
    from .test_research_journeys import axe_violations

    page.set_viewport_size(PHONE)
    page.goto(url)
    found = axe_violations(page)
    assert not found, "\n".join(found)
    assert overflow(page) <= 0
