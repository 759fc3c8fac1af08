"""The version an ETag is made of: one lookup, its SQL compiled once per process, that still answers for each slug
asked and keeps the visibility rule (the public never learns an unpublished agreement's version)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements import services
from agreements.domain.commands import parse_command
from agreements.queries import NotFound
from agreements.queries.agreements import agreement_version

pytestmark = pytest.mark.django_db


def run(stream, type_name, **fields):
    return services.handle(parse_command(type_name, fields), slug=stream)


@pytest.fixture
def published_and_draft():
    run("treaty-a", "DraftAgreement", slug="treaty-a", title="Treaty A", kind="treaty")
    run("treaty-a", "Publish", uncited_reason="test text cites no source")
    run("treaty-b", "DraftAgreement", slug="treaty-b", title="Treaty B", kind="treaty")
    run("treaty-b", "AddParty", party="TUR")
    run("treaty-b", "AddParty", party="AZE")
    run("treaty-b", "Publish", uncited_reason="test text cites no source")
    run("draft-c", "DraftAgreement", slug="draft-c", title="Draft C", kind="treaty")


def test_each_slug_reads_its_own_version_after_the_lookup_was_compiled_for_another(published_and_draft):
    assert agreement_version("treaty-a") == 2
    assert agreement_version("treaty-b") == 4
    assert agreement_version("treaty-a") == 2


def test_the_public_lookup_of_an_unpublished_agreement_is_not_found(published_and_draft):
    with pytest.raises(NotFound):
        agreement_version("draft-c")


def test_staff_read_the_version_of_an_unpublished_agreement(published_and_draft):
    assert agreement_version("draft-c", include_unpublished=True) == 1


def test_a_slug_no_agreement_has_is_not_found(published_and_draft):
    with pytest.raises(NotFound):
        agreement_version("no-such-treaty")


def test_the_lookup_is_one_query(published_and_draft):
    agreement_version("treaty-a")
    with CaptureQueriesContext(connection) as queries:
        agreement_version("treaty-b")
    assert len(queries) == 1
