"""Tokens from the command line, throttling of anonymous callers, the OpenAPI schema and docs."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def test_create_api_token_creates_the_user_adds_the_role_and_prints_the_token_last():
    out = io.StringIO()
    call_command("create_api_token", "downstream", "--role", "archivist", stdout=out)
    user = get_user_model().objects.get(username="downstream")
    assert out.getvalue().strip().splitlines()[-1] == Token.objects.get(user=user).key
    assert user.groups.filter(name="archivist").exists()
    assert user.has_perm("agreements.edit_agreement")


def test_create_api_token_reuses_an_existing_user_and_token():
    first, second = io.StringIO(), io.StringIO()
    call_command("create_api_token", "desk", "--role", "reviewer", stdout=first)
    call_command("create_api_token", "desk", "--role", "reviewer", stdout=second)
    assert first.getvalue().splitlines()[-1] == second.getvalue().splitlines()[-1]
    assert get_user_model().objects.get(username="desk").has_perm("agreements.publish_agreement")


def test_a_token_from_the_command_writes_through_the_api(anon):
    out = io.StringIO()
    call_command("create_api_token", "writer", "--role", "archivist", stdout=out)
    token = out.getvalue().splitlines()[-1]
    response = anon.post("/api/v1/agreements/", {"slug": "cli-token-2025", "title": "T", "kind": "treaty"},
                         format="json", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 201


@pytest.mark.parametrize("username, message", [("bad\x00name", "NUL"), ("u" * 151, "at most 150"),
                                               ("has space", "Enter a valid username")])
def test_create_api_token_refuses_a_username_the_user_table_cannot_hold(username, message):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match=f"USERNAME: .*{message}"):
        call_command("create_api_token", username, "--role", "archivist", stdout=io.StringIO())


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
