"""Listing pages are bounded: the timeline and party pages come a page at a time (keyset, never an offset),
and the home page shows counts instead of every agreement."""

import re

import pytest

from agreements.browser.views import parties as party_views
from agreements.browser.views import timeline as timeline_views
from agreements.projections.models import AgreementParty, AgreementRecord

pytestmark = pytest.mark.django_db


def chronological(records):
    dated = sorted((r for r in records if r.earliest_date), key=lambda r: (r.earliest_date, r.slug))
    return [r.slug for r in dated] + sorted(r.slug for r in records if not r.earliest_date)


def follow(client, url, pattern):
    """Every page from `url` on: the slugs each page links to (in the table), and the page count."""
    slugs, pages = [], 0
    while url:
        html = client.get(url).content.decode()
        pages += 1
        tables = "".join(re.findall(r"<tbody>.*?</tbody>", html, re.S))
        slugs += re.findall(pattern, tables)
        found = re.search(r'<a href="([^"]+)" rel="next">', html)
        url = found.group(1).replace("&amp;", "&") if found else None
    return slugs, pages


def follow_one(client, url, pattern):
    """The slugs one page links to (in its tables), and the address of the next page (None: the last)."""
    html = client.get(url).content.decode()
    found = re.search(r'<a href="([^"]+)" rel="next">', html)
    tables = "".join(re.findall(r"<tbody>.*?</tbody>", html, re.S))
    return re.findall(pattern, tables), found.group(1).replace("&amp;", "&") if found else None


AGREEMENT = r'href="/akn/int/treaty/[^/]+/([a-z0-9-]+)/"'


def test_the_timeline_pages_through_every_published_agreement_once_oldest_first(client, monkeypatch):
    monkeypatch.setattr(timeline_views, "PAGE_SIZE", 4)
    slugs, pages = follow(client, "/timeline/", AGREEMENT)
    assert slugs == chronological(AgreementRecord.objects.filter(publication="published"))
    assert pages == -(-len(slugs) // 4)


def test_a_decade_of_the_timeline_holds_that_decade_only(client):
    slugs, _ = follow(client, "/timeline/?decade=2010", AGREEMENT)
    expected = AgreementRecord.objects.filter(publication="published", earliest_date__year__gte=2010,
                                              earliest_date__year__lt=2020)
    assert slugs == chronological(expected) and slugs


def test_the_timeline_of_one_kind(client):
    slugs, _ = follow(client, "/timeline/?kind=charter", AGREEMENT)
    assert slugs == ["un-charter-1945"]


def test_the_timeline_counts_agreements_by_decade(client):
    html = client.get("/timeline/").content.decode()
    n = AgreementRecord.objects.filter(publication="published", earliest_date__year__gte=2010,
                                       earliest_date__year__lt=2020).count()
    assert f'<a href="/timeline/?decade=2010">2010s</a> ({n})' in html


@pytest.mark.parametrize("query", ["decade=1995", "decade=soon", "kind=poem", "after=nonsense", "after=2010-13-01~x"])
def test_timeline_parameters_that_name_nothing_are_a_clear_400(client, query):
    response = client.get(f"/timeline/?{query}")
    assert response.status_code == 400
    assert "timeline takes" in response.content.decode()


def test_a_party_page_pages_through_its_agreements(client, monkeypatch):
    """Each page is the next chronological slice (within a page they are grouped by status, issue 14)."""
    monkeypatch.setattr(party_views, "PAGE_SIZE", 3)
    url, pages = "/parties/TUR/", []
    while url:
        page, url = follow_one(client, url, AGREEMENT)
        pages.append(set(page))
    ids = AgreementParty.objects.filter(party_code="TUR", known_to__isnull=True).values("agreement")
    expected = chronological(AgreementRecord.objects.filter(publication="published", pk__in=ids))
    assert pages == [set(expected[i:i + 3]) for i in range(0, len(expected), 3)]
    assert len(pages) > 1


def test_a_party_page_key_not_made_by_the_site_is_a_clear_400(client):
    assert client.get("/parties/TUR/?after=oops").status_code == 400


def test_the_home_page_shows_counts_by_kind_and_decade_linking_to_the_timeline(client):
    html = client.get("/").content.decode()
    charters = AgreementRecord.objects.filter(publication="published", kind="charter").count()
    assert f'<a href="/timeline/?kind=charter">Charter</a> <span class="meta">({charters})</span>' in html
    assert '<a href="/timeline/?decade=1940">1940s</a>' in html
