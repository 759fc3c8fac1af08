"""A 503 names what happened in `code`, as docs/api.md promises: a statement cut off by the timeout inside an API
view is `statement_timeout`, as it is in a plain view."""

import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.django_db, pytest.mark.urls("tests.hostile.slow_drf_urls")]


def test_a_statement_timeout_inside_an_api_view_answers_503_with_its_code(client, settings):
    settings.PACTA_ANON_STATEMENT_TIMEOUT_MS = 200
    settings.PACTA_TIMEOUT_RETRY_AFTER = 17
    response = client.get("/api/v1/slow-drf/?seconds=3")
    assert response.status_code == 503 and response["Retry-After"] == "17"
    assert response.json()["code"] == "statement_timeout"
