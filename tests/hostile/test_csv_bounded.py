"""One anonymous answer costs the same whatever the corpus: the agreement list as CSV comes to anonymous callers in
cursor pages (at most 500 rows, the next page in a `Link` header); logged-in callers still export every match."""

import csv
import io
import re

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

URL = "/api/v1/agreements/"


@pytest.fixture
def anon(settings):
    settings.PACTA_API_ANON_RATE = None
    return APIClient()


def rows(response):
    return [row["slug"] for row in csv.DictReader(io.StringIO(response.content.decode()))]


def next_link(response):
    match = re.fullmatch(r'<([^>]+)>; rel="next"', response.get("Link", ""))
    return match.group(1) if match else None


def test_an_anonymous_csv_is_one_page_and_links_the_next(anon):
    response = anon.get(URL, {"format": "csv", "page_size": 2})
    assert response.status_code == 200 and len(rows(response)) == 2
    assert next_link(response) and "cursor=" in next_link(response)


def test_following_the_links_gives_every_agreement_once_as_a_logged_in_export_does(anon, archivist):
    slugs, url, params = [], URL, {"format": "csv", "page_size": 3}
    while url:
        response = anon.get(url, params)
        slugs += rows(response)
        url, params = next_link(response), None
    assert slugs == sorted(set(slugs))
    staff = APIClient()
    staff.force_authenticate(archivist)
    everything = staff.get(URL, {"format": "csv", "page_size": 3})
    assert "Link" not in everything
    published = {s for s in rows(everything)}
    assert set(slugs) <= published and len(slugs) > 3


def test_an_anonymous_csv_never_holds_more_than_500_rows(anon):
    assert anon.get(URL, {"format": "csv", "page_size": 501}).status_code == 400
