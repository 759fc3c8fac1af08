"""Property-based fuzzing of the live OpenAPI schema with schemathesis, anonymous and with an archivist token.

Bounded (a fixed number of examples per operation) and derandomized (a fixed seed), so CI runs the same cases
every time. Checks: no server error, responses conform to the documented schema, status code and content type.
Random commands are fine: they must be refused with a 4xx, never a 500.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from registry.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]
EXAMPLES = 25
FUZZ = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))
from .conftest import FUZZ_CASES as CASES  # printed at the end of the run (conftest's terminal summary)


@pytest.fixture(scope="module", autouse=True)
def keep_the_test_connection():
    """Calls go through the WSGI app, whose request signals would close the test's connection (and with it
    the test transaction); Django's test client disconnects them the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@FUZZ
@pytest.mark.django_db
def test_api_conforms_for_anonymous_callers(case):
    CASES["anonymous"] += 1
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@FUZZ
@pytest.mark.django_db
def test_api_conforms_for_archivists(case, archivist_token):
    CASES["archivist"] += 1
    case.call_and_validate(checks=CHECKS, headers={"Authorization": f"Token {archivist_token}"})


@pytest.fixture
def archivist_token(archivist):
    from rest_framework.authtoken.models import Token

    return Token.objects.get_or_create(user=archivist)[0].key


COMMANDS = schema["/api/v1/agreements/{slug}/commands/"]["POST"]


@given(case=COMMANDS.as_strategy())
@settings(max_examples=300, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_random_commands_based_on_the_current_version_are_refused_with_4xx_or_applied(case, archivist_token):
    """The fuzzer cannot know an agreement's version; here every generated command is sent to a real agreement
    with the right If-Match, so the domain's rules themselves are fuzzed: 201 or a 4xx, never a 5xx."""
    from agreements.queries.events import current_version

    CASES["archivist"] += 1
    slug = "tr-az-strategic-partnership-2010"
    case.path_parameters = {"slug": slug}
    case.headers = {**(case.headers or {}), "If-Match": f'"{current_version(slug)}"'}
    case.headers.pop("Idempotency-Key", None)
    response = case.call_and_validate(checks=CHECKS, headers={"Authorization": f"Token {archivist_token}"})
    assert response.status_code in (201, 400, 403, 409, 415), response.text
