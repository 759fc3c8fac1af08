"""`manage.py create_api_token USERNAME --role ROLE`: a user in the role's group with an API token, printed last."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

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


def test_a_token_from_the_command_writes_through_the_api():
    anon = APIClient()
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
