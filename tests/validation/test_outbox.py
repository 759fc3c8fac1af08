"""The outbox: jobs commit with their writes, and a write never fails or waits because the broker is down."""

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
