"""Throttling of anonymous callers, the OpenAPI schema and docs (tokens from the command line: tests/management)."""

import pytest

pytestmark = pytest.mark.django_db


def test_anonymous_callers_are_throttled_and_archivists_are_not(settings, anon, archivist_client):
    from django.core.cache import cache

    # The cache may be a Redis other sessions share (settings.py): forget only this test's own count.
    address = "198.51.100.23"
    cache.delete(f"throttle_anon_{address}")
    settings.PACTA_API_ANON_RATE = "3/minute"
    statuses = [anon.get("/api/v1/parties/", REMOTE_ADDR=address).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert [archivist_client.get("/api/v1/parties/", REMOTE_ADDR=address).status_code for _ in range(4)] == [200] * 4
    cache.delete(f"throttle_anon_{address}")


def test_the_schema_is_openapi_3_and_lists_every_endpoint(anon):
    response = anon.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/agreements/", "/api/v1/agreements/{slug}/", "/api/v1/agreements/{slug}/clauses/{eid}/",
            "/api/v1/agreements/{slug}/events/", "/api/v1/agreements/{slug}/commands/", "/api/v1/events/",
            "/api/v1/parties/", "/api/v1/parties/{code}/", "/api/v1/sources/", "/api/v1/findings/",
            "/api/v1/search/"} <= set(schema["paths"])


def test_the_docs_are_served_without_a_cdn(anon):
    response = anon.get("/api/docs/")
    assert response.status_code == 200
    assert b"drf_spectacular_sidecar/swagger-ui-dist" in response.content
    assert b"cdn." not in response.content
