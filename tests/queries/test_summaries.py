"""The corpus summary: counts over every published agreement, computed once and shared between requests."""

import ast
import json
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements import services
from agreements.projections.models import AgreementParty, AgreementRecord
from agreements.queries import summaries
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


def test_without_a_broker_a_change_is_counted_once_the_summary_is_older_than_its_maximum_age(settings, eager):
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


def test_without_a_broker_a_new_partner_is_counted_once_the_cached_partners_are_older_than_their_maximum_age(
        settings, eager):
    from agreements.queries.parties import partners_of

    settings.PACTA_SUMMARY_MAX_AGE = 3600
    before = dict((p.code, n) for p, n in partners_of("TUR", None))
    publish_one()  # TUR and AZE (tests.browser.conftest.commands_for)
    assert dict((p.code, n) for p, n in partners_of("TUR", None)) == before
    settings.PACTA_SUMMARY_MAX_AGE = 0
    assert dict((p.code, n) for p, n in partners_of("TUR", None))["AZE"] == before["AZE"] + 1


# ---------------------------------------------------------------- who computes out-of-date counts again


@pytest.fixture
def broker():
    """A real Redis broker with this session's own queue, emptied before and after; nothing consumes it, so a
    refresh sent is a message left there (run by the test itself, as a worker would)."""
    from tests.validation.helpers import QUEUE, REDIS_URL, celery_broker, redis_client

    client = redis_client(REDIS_URL)
    client.delete(QUEUE)
    with celery_broker(REDIS_URL):
        yield lambda: [json.loads(message)["headers"] for message in client.lrange(QUEUE, 0, -1)]
    client.delete(QUEUE)


def out_of_date(settings) -> int:
    """A summary cached, then a change; returns the cached total."""
    settings.PACTA_SUMMARY_MAX_AGE = 0
    before = corpus_summary().total
    publish_one()
    return before


def test_with_a_broker_an_out_of_date_summary_is_answered_from_the_cache_while_a_worker_computes_it(
        settings, broker):
    before = out_of_date(settings)
    assert corpus_summary().total == before
    assert [headers["task"] for headers in broker()] == [summaries.REFRESH]


def test_only_the_first_reader_of_an_out_of_date_summary_sends_a_refresh(settings, broker):
    out_of_date(settings)
    corpus_summary()
    corpus_summary()
    assert len(broker()) == 1


def test_the_worker_caches_the_new_counts_for_every_reader(settings, broker):
    before = out_of_date(settings)
    corpus_summary()
    (headers,) = broker()
    summaries.refresh_shared(*ast.literal_eval(headers["argsrepr"]), **ast.literal_eval(headers["kwargsrepr"]))
    assert corpus_summary().total == before + 1
    corpus_summary()
    assert len(broker()) == 1  # up to date again: no other refresh


def test_when_the_broker_is_down_the_reader_computes_the_summary_itself(settings):
    from tests.validation.helpers import celery_broker, free_port

    before = out_of_date(settings)
    with celery_broker(f"redis://127.0.0.1:{free_port()}/0"):  # nothing listens there
        assert corpus_summary().total == before + 1


def test_a_refresh_that_names_a_function_not_marked_shareable_runs_nothing(caplog):
    summaries.refresh_shared("corpus-summary:2", "os:getcwd", [])
    assert "not @shareable" in caplog.text


def test_shared_refuses_a_function_a_worker_could_not_find():
    with pytest.raises(ValueError, match="shareable"):
        summaries.shared("anything", lambda head: head)


def test_readers_that_follow_a_failed_refresh_do_not_wait_on_the_broker_again(settings, monkeypatch):
    from tests.validation.helpers import celery_broker, free_port

    out_of_date(settings)
    with celery_broker(f"redis://127.0.0.1:{free_port()}/0") as app:
        corpus_summary()  # the send fails, and the reader computes the summary itself
        publish_one("counted-again-2013")
        tried = []
        monkeypatch.setattr(app, "connection_for_write", lambda **kwargs: tried.append(kwargs))
        corpus_summary()
    assert tried == []  # the breaker was open: no connection was tried
