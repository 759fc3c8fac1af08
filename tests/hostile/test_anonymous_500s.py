"""Values a hostile reader sends that used to answer 500: each is a 400 naming the parameter, or a page."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

STRATEGIC = "/akn/int/treaty/2010/tr-az-strategic-partnership-2010/"


@pytest.fixture
def reader():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("value", ["%", "_", "%25", "%s", "\\"])
def test_a_wildcard_as_in_force_on_is_a_400_naming_it(reader, value):
    response = reader.get("/api/v1/agreements/", {"in_force_on": value})
    assert response.status_code == 400 and "in_force_on" in response.json()["errors"]


@pytest.mark.parametrize("page", [STRATEGIC, STRATEGIC + "art_2/"])
@pytest.mark.parametrize("known_at", ["9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59.999999+00:00",
                                      "0001-01-01T00:00:00Z", "9999-12-31"])
def test_an_extreme_known_at_on_an_agreement_or_clause_page_is_not_a_500(reader, page, known_at):
    assert reader.get(page, {"known_at": known_at}).status_code in (200, 400, 404)


@pytest.mark.parametrize("known_at", ["9999-12-31T23:59:59.999999Z", "0001-01-01T00:00:00Z"])
def test_an_extreme_known_at_on_the_api_detail_is_not_a_500(reader, known_at):
    response = reader.get("/api/v1/agreements/tr-az-strategic-partnership-2010/", {"known_at": known_at})
    assert response.status_code in (200, 400, 404)
