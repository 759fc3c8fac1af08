"""The sitemaps: an index of sitemaps of bounded size (sitemaps.org), each a key range, cached whole."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.projections.models import AgreementRecord, ClauseVersion

from .conftest import STRATEGIC

pytestmark = pytest.mark.django_db
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locations(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return [loc.text for loc in ET.fromstring(response.content).iter(f"{NS}loc")]


def sitemaps(client):
    return {url.removeprefix("http://testserver"): locations(client, url.removeprefix("http://testserver"))
            for url in locations(client, "/sitemap.xml")}


def test_the_sitemap_is_an_index_of_sitemaps(client):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    assert root.tag == f"{NS}sitemapindex"
    assert all(path.startswith("/sitemaps/") for path in sitemaps(client))


def test_the_sitemaps_list_the_pages_agreements_clauses_and_parties(client):
    everything = {url for urls in sitemaps(client).values() for url in urls}
    assert f"http://testserver{STRATEGIC}" in everything
    assert f"http://testserver{STRATEGIC}art_2/" in everything
    assert "http://testserver/parties/TUR/" in everything
    assert "http://testserver/timeline/" in everything


def test_each_sitemap_holds_at_most_the_configured_number_of_addresses_and_none_is_lost(client, settings):
    settings.PACTA_SITEMAP_SIZE = 5
    by_sitemap = sitemaps(client)
    assert max(len(urls) for urls in by_sitemap.values()) <= 5
    clause_urls = [url for path, urls in by_sitemap.items() if "/clauses-" in path for url in urls]
    current = ClauseVersion.objects.filter(known_to__isnull=True, valid_to__isnull=True,
                                           agreement__publication="published")
    assert len(clause_urls) == len(set(clause_urls)) == current.count()


def test_unpublished_agreements_are_not_listed(client):
    draft = AgreementRecord.objects.filter(slug="tr-az-strategic-partnership-2010")
    draft.update(publication="draft")
    everything = {url for urls in sitemaps(client).values() for url in urls}
    assert not [url for url in everything if "tr-az-strategic-partnership-2010" in url]


def test_a_sitemap_is_served_from_the_cache_the_second_time(client):
    client.get("/sitemaps/clauses-1.xml")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sitemaps/clauses-1.xml").status_code == 200
    assert len(queries) == 0


@pytest.mark.parametrize("path", ["/sitemaps/clauses-0.xml", "/sitemaps/clauses-999.xml", "/sitemaps/nothing-1.xml"])
def test_a_sitemap_that_does_not_exist_is_not_found(client, path):
    assert client.get(path).status_code == 404
