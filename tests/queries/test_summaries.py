"""The corpus summary: counts over every published agreement, computed once and shared between requests."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements import services
from agreements.projections.models import AgreementParty, AgreementRecord
from agreements.queries.summaries import corpus_summary
from tests.browser.conftest import commands_for

pytestmark = pytest.mark.django_db


def publish_one(slug="counted-2012"):
    services.handle_many(commands_for(slug, "Counted", [{"eid": "art_1", "text": "Text."}]), slug=slug)


def test_the_summary_counts_published_agreements_by_kind_decade_and_party():
    published = AgreementRecord.objects.filter(publication="published")
    summary = corpus_summary()
    assert summary.total == published.count()
    assert dict(summary.by_kind) == Counter(published.values_list("kind", flat=True))
    decades = Counter(None if r.earliest_date is None else r.earliest_date.year // 10 * 10 for r in published)
    assert dict(summary.by_decade) == decades
    tur = AgreementParty.objects.filter(party_code="TUR", known_to__isnull=True, agreement__publication="published")
    assert dict((p.code, n) for p, n in summary.parties)["TUR"] == tur.values("agreement").distinct().count()


def test_an_unchanged_registry_is_summarised_from_the_cache_with_one_index_lookup():
    corpus_summary()
    with CaptureQueriesContext(connection) as queries:
        corpus_summary()
    assert len(queries) == 1


def test_a_change_is_counted_once_the_summary_is_older_than_its_maximum_age(settings):
    settings.PACTA_SUMMARY_MAX_AGE = 3600
    before = corpus_summary().total
    publish_one()
    assert corpus_summary().total == before  # a recent summary is shared, not recomputed per request
    settings.PACTA_SUMMARY_MAX_AGE = 0
    assert corpus_summary().total == before + 1


def test_a_partys_partners_are_shared_from_the_cache_while_the_registry_is_unchanged():
    from agreements.queries.parties import partners_of

    first = partners_of("TUR", None)
    with CaptureQueriesContext(connection) as queries:
        again = partners_of("TUR", None)
    assert again == first and len(queries) == 1  # the head of the feed


def test_a_new_partner_is_counted_once_the_cached_partners_are_older_than_their_maximum_age(settings):
    from agreements.queries.parties import partners_of

    settings.PACTA_SUMMARY_MAX_AGE = 3600
    before = dict((p.code, n) for p, n in partners_of("TUR", None))
    publish_one()  # TUR and AZE (tests.browser.conftest.commands_for)
    assert dict((p.code, n) for p, n in partners_of("TUR", None)) == before
    settings.PACTA_SUMMARY_MAX_AGE = 0
    assert dict((p.code, n) for p, n in partners_of("TUR", None))["AZE"] == before["AZE"] + 1
