"""Date parameters accept EDTF, as the API writes dates: a year or month stands for its first or last day."""

import pytest

from .conftest import STRATEGIC  # signed in "2010"

pytestmark = pytest.mark.django_db

LIST = "/api/v1/agreements/"


def slugs(response):
    assert response.status_code == 200, response.content
    return {row["slug"] for row in response.json()["results"]}


def test_signed_from_a_year_starts_on_its_first_day(anon):
    assert STRATEGIC in slugs(anon.get(LIST, {"signed_from": "2010", "page_size": 500}))


def test_signed_to_a_year_ends_on_its_last_day(anon):
    assert STRATEGIC in slugs(anon.get(LIST, {"signed_to": "2010", "page_size": 500}))
    assert STRATEGIC not in slugs(anon.get(LIST, {"signed_to": "2009", "page_size": 500}))


def test_as_of_a_year_is_the_last_day_of_that_year(anon):
    url = f"{LIST}{STRATEGIC}/"
    known_at = "2030-01-01T00:00:00Z"
    year = anon.get(url, {"as_of": "2015", "known_at": known_at}).json()
    assert year["as_of"] == "2015-12-31"
    assert year == anon.get(url, {"as_of": "2015-12-31", "known_at": known_at}).json()


def test_an_unreadable_date_is_a_400_naming_the_parameter(anon):
    response = anon.get(LIST, {"signed_from": "the nineties"})
    assert response.status_code == 400
    assert "signed_from" in response.json()["errors"]
    response = anon.get(f"{LIST}{STRATEGIC}/", {"as_of": "2015-13"})
    assert response.status_code == 400 and "as_of" in response.json()["errors"]
