"""Fixtures of the API tests: clients for each audience, and agreements made through the write path."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from agreements import services
from agreements.domain.commands import parse_command

STRATEGIC = "tr-az-strategic-partnership-2010"
FUZZ_CASES = {"anonymous": 0, "archivist": 0}


def pytest_terminal_summary(terminalreporter):
    if FUZZ_CASES["anonymous"] or FUZZ_CASES["archivist"]:
        terminalreporter.write_line(
            f"schemathesis ran {FUZZ_CASES['anonymous'] + FUZZ_CASES['archivist']} cases "
            f"({FUZZ_CASES['anonymous']} anonymous, {FUZZ_CASES['archivist']} with an archivist token)"
        )
    for audience, phases, passed, failed in FUZZ_CASES.get("runs", []):
        terminalreporter.write_line(f"schemathesis {audience}: cases per phase {phases}")
        for check in sorted(set(passed) | set(failed)):
            terminalreporter.write_line(f"  {check}: {passed.get(check, 0)} passed, {failed.get(check, 0)} failed")


@pytest.fixture(autouse=True)
def _no_throttling(settings):
    """Throttling has its own test; elsewhere it would only make the order of tests matter."""
    settings.PACTA_API_ANON_RATE = None


@pytest.fixture
def anon():
    return APIClient()


def _token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def archivist_client(archivist):
    return _token_client(archivist)


@pytest.fixture
def reviewer(db, django_user_model):
    user = django_user_model.objects.create_user("rita", password="pw-reviewer-1")
    user.groups.add(*Group.objects.filter(name="reviewer"))
    return user


@pytest.fixture
def reviewer_client(reviewer):
    return _token_client(reviewer)


@pytest.fixture
def plain_client(db, django_user_model):
    """Logged in with a token, but in no group: as good as anonymous for reading, and may not write."""
    return _token_client(django_user_model.objects.create_user("pat", password="pw-plain-1"))


def run(slug_, type_name, **fields):
    return services.handle(parse_command(type_name, fields), slug=slug_)


@pytest.fixture
def make_agreement(db):
    """An agreement made through services.handle: `make_agreement(slug, clauses=5, publish=True)`."""

    def make(slug, clauses=0, publish=False, parties=("TUR", "AZE")):
        run(slug, "DraftAgreement", slug=slug, title=f"Agreement {slug}", kind="agreement", work_date="2012-05-01")
        for code in parties:
            run(slug, "AddParty", party=code)
        run(slug, "RecordLifecycle", action="signature", date="2012-05-01")
        for n in range(1, clauses + 1):
            run(slug, "AddClause", eid=f"art_{n}", number=str(n), heading=f"Heading {n}", text=f"Text of article {n}.",
                text_kind="official", effective="2012-05-01")
        if publish:
            run(slug, "Publish", uncited_reason="test texts cite no source")
        return slug

    return make


@pytest.fixture
def draft(make_agreement):
    return make_agreement("secret-draft-2024", clauses=2)
