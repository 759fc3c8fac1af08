"""The corpus summary: counts over every published agreement, computed once and shared between requests."""

import ast
import io
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


# ---------------------------------------------------------------- kept in the database beside the cache


def test_an_emptied_cache_is_answered_from_the_databases_copy_without_counting_again():
    from django.core.cache import cache

    first = corpus_summary()
    cache.clear()  # a Redis restarted or flushed
    with CaptureQueriesContext(connection) as queries:
        again = corpus_summary()
    assert again == first
    assert len(queries) == 2  # the head of the feed, the kept copy
    with CaptureQueriesContext(connection) as queries:
        corpus_summary()
    assert len(queries) == 1  # and the cache has it again


def test_a_kept_copy_this_version_cannot_read_is_counted_again():
    from django.core.cache import cache

    from agreements.queries.models import KeptCount

    first = corpus_summary()
    cache.clear()
    KeptCount.objects.update(value=b"not a pickle")
    assert corpus_summary() == first


def test_a_partys_partners_over_all_time_are_kept_and_on_a_date_only_cached():
    import datetime as dt

    from agreements.queries.models import KeptCount
    from agreements.queries.parties import partners_of

    partners_of("TUR", None)
    partners_of("TUR", dt.date(2000, 1, 1))
    assert set(KeptCount.objects.filter(key__startswith="pacta:partners:").values_list("key", flat=True)) == {
        "pacta:partners:TUR:"}


def test_the_workers_new_counts_are_kept_in_the_database_too(settings, broker):
    from django.core.cache import cache

    before = out_of_date(settings)
    corpus_summary()
    (headers,) = broker()
    summaries.refresh_shared(*ast.literal_eval(headers["argsrepr"]), **ast.literal_eval(headers["kwargsrepr"]))
    cache.clear()
    assert corpus_summary().total == before + 1


def test_a_rebuild_of_the_read_models_forgets_the_kept_counts():
    from django.core.management import call_command

    from agreements.queries.models import KeptCount

    corpus_summary()
    output = io.StringIO()
    call_command("rebuild_projections", stdout=output, stderr=io.StringIO())
    assert "counts shared by the pages forgotten, counted again when next read: 1" in output.getvalue()
    assert not KeptCount.objects.exists()
    with CaptureQueriesContext(connection) as queries:
        corpus_summary()
    assert len(queries) > 2  # counted again
