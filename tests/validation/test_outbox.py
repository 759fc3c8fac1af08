"""The outbox: jobs commit with their writes, and a write never fails or waits because the broker is down."""

from unittest import mock

import pytest
from django.db import transaction

from registry.outbox import outbox
from registry.outbox.models import OutboxJob
from registry.outbox.tasks import relay_pending

from .helpers import QUEUE, celery_broker, clause, draft, free_port, redis_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_broker():
    return f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there


def latest_job():
    return OutboxJob.objects.latest("created_at")


def test_a_job_enqueued_in_a_transaction_that_rolls_back_is_never_stored():
    before = OutboxJob.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue("pacta.validation.sweep")
        raise RuntimeError("the write failed")
    assert OutboxJob.objects.count() == before


def test_a_write_while_the_broker_is_down_succeeds_and_leaves_its_job_unsent(after_commit, dead_broker):
    draft("down-2015")
    with celery_broker(dead_broker), after_commit():
        result = clause("down-2015", "art_1")
    assert result.version == 2
    job = latest_job()
    assert job.sent_at is None and job.attempts == 1 and job.last_error


def test_after_a_failure_the_relays_that_follow_do_not_try_the_broker_again_for_a_moment(after_commit, dead_broker):
    with celery_broker(dead_broker):
        with after_commit():
            first = outbox.enqueue("pacta.validation.sweep")
        with after_commit():
            second = outbox.enqueue("pacta.validation.sweep")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.attempts, second.attempts) == (1, 0)
    assert first.sent_at is None and second.sent_at is None


@pytest.mark.integration
def test_the_periodic_relay_sends_the_jobs_left_unsent_once_the_broker_answers(after_commit, dead_broker, redis_db5):
    draft("down-2015")
    with celery_broker(dead_broker), after_commit():
        clause("down-2015", "art_1")
    job = latest_job()
    with celery_broker(redis_db5):
        result = relay_pending()
    job.refresh_from_db()
    assert result["sent"] >= 1 and result["pending"] == 0 and job.sent_at is not None
    assert redis_client(redis_db5).llen(QUEUE) == result["sent"]


def _count_connections_opened():
    """A patch counting the broker connections established, and the list it fills."""
    from kombu import Connection

    opened, original = [], Connection._establish_connection

    def establish(self):
        opened.append(self)
        return original(self)

    return mock.patch.object(Connection, "_establish_connection", establish), opened


@pytest.mark.integration
def test_relays_that_follow_one_another_send_on_one_kept_broker_connection(after_commit, redis_db5):
    outbox._drop_connection()
    counting, opened = _count_connections_opened()
    with celery_broker(redis_db5), counting:
        jobs = []
        for _ in range(3):
            with after_commit():
                jobs.append(outbox.enqueue("pacta.validation.sweep"))
    assert len(opened) == 1
    assert all(OutboxJob.objects.get(pk=job.pk).sent_at is not None for job in jobs)
    assert redis_client(redis_db5).llen(QUEUE) == 3


@pytest.mark.integration
def test_a_job_is_sent_after_the_broker_restarted_under_the_kept_connection(after_commit, own_redis):
    outbox._drop_connection()
    with celery_broker(own_redis.url):
        with after_commit():
            outbox.enqueue("pacta.validation.sweep")
        own_redis.stop()
        own_redis.start()  # the kept connection's socket is now closed by the other side
        with after_commit():
            job = outbox.enqueue("pacta.validation.sweep")
    job.refresh_from_db()
    assert job.sent_at is not None and job.attempts == 1 and not job.last_error
    assert redis_client(own_redis.url).llen(QUEUE) == 1


@pytest.mark.integration
def test_a_broker_that_is_down_is_tried_once_per_relay_even_after_a_kept_connection(after_commit, redis_db5,
                                                                                    dead_broker):
    with celery_broker(redis_db5), after_commit():
        outbox.enqueue("pacta.validation.sweep")
    counting, opened = _count_connections_opened()
    with celery_broker(dead_broker), counting, after_commit():
        job = outbox.enqueue("pacta.validation.sweep")
    job.refresh_from_db()
    assert len(opened) == 1 and job.sent_at is None and job.attempts == 1
