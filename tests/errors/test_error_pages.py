"""Errors look like the site (browser) or are JSON (API); an outage is a 503 with Retry-After, never a 500."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

pytestmark = pytest.mark.django_db
CLAUSE = "/akn/int/treaty/2010/tr-az-strategic-partnership-2010/art_2/"


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


def in_site_layout(response) -> bool:
    return 'class="site-header"' in response.content.decode() and response["Content-Type"].startswith("text/html")


def test_an_unknown_address_is_a_404_in_the_site_layout(anonymous):
    response = anonymous.get("/nothing-here/")
    assert response.status_code == 404 and in_site_layout(response)


def test_an_impossible_date_in_a_clause_address_is_a_404_in_the_site_layout(anonymous):
    assert anonymous.get(CLAUSE).status_code == 200
    response = anonymous.get(CLAUSE + "@2025-02-30/")
    assert response.status_code == 404 and in_site_layout(response)


def test_a_bad_request_is_a_400_in_the_site_layout(anonymous):
    response = anonymous.get("/", HTTP_HOST="not-allowed.example")
    assert response.status_code == 400 and in_site_layout(response)


def test_an_unknown_api_address_is_a_json_404(anonymous):
    response = anonymous.get("/api/v1/nothing/")
    assert response.status_code == 404 and response.json()["detail"]


def _failing_queries(exc):
    return mock.patch.object(CursorWrapper, "execute", side_effect=exc)


def test_an_unhandled_error_is_a_500_in_the_site_layout(anonymous):
    with _failing_queries(RuntimeError("a bug")):
        response = anonymous.get("/")
    assert response.status_code == 500 and in_site_layout(response)


def test_an_unhandled_error_on_the_api_is_a_json_500(anonymous):
    with _failing_queries(RuntimeError("a bug")):
        response = anonymous.get("/api/v1/agreements/")
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert response.json()["detail"]


@pytest.mark.parametrize("url", ["/api/v1/agreements/", "/api/v1/agreements/tr-az-strategic-partnership-2010/",
                                 "/api/v1/events/", "/api/v1/nothing/"])
def test_a_database_outage_on_the_api_is_a_json_503_with_retry_after(anonymous, url):
    with _failing_queries(OperationalError("could not connect to server: Connection refused")):
        response = anonymous.get(url)
    if url == "/api/v1/nothing/":
        assert response.status_code == 404  # no query needed to know that
        return
    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    assert "database" in response.json()["detail"]


def test_a_database_outage_in_the_browser_is_a_503_page_with_retry_after(anonymous):
    with _failing_queries(OperationalError("could not connect to server: Connection refused")):
        response = anonymous.get("/")
    assert response.status_code == 503 and in_site_layout(response) and int(response["Retry-After"]) > 0


def test_a_redis_outage_is_a_503(anonymous):
    import redis

    with _failing_queries(redis.exceptions.ConnectionError("Connection refused")):
        response = anonymous.get("/api/v1/agreements/")
    assert response.status_code == 503 and "Redis" in response.json()["detail"]
