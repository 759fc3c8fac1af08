"""The relay after a write looks for older unsent jobs only when this process may have left some: looking for a
backlog that is not there was a transaction of its own after every write (registry/outbox/outbox.py)."""

from unittest import mock

import pytest

from registry.outbox import outbox
from registry.outbox.models import OutboxJob

from .helpers import QUEUE, celery_broker, free_port, redis_client

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def relays_after_one_write(after_commit):
    with mock.patch.object(outbox, "relay", wraps=outbox.relay) as relay, after_commit():
        job = outbox.enqueue("pacta.validation.sweep")
    return job, relay.call_args_list


def test_a_writes_relay_sends_its_job_and_asks_for_no_backlog_when_none_was_left(after_commit, redis_db5):
    outbox._backlog.maybe = False
    with celery_broker(redis_db5):
        job, relays = relays_after_one_write(after_commit)
    assert [call.kwargs.get("job_ids") for call in relays] == [[job.job_id]]
    assert OutboxJob.objects.get(pk=job.pk).sent_at is not None


def test_a_process_that_just_started_looks_for_a_backlog_once(after_commit, redis_db5):
    outbox._backlog.maybe = True
    with celery_broker(redis_db5):
        _, first = relays_after_one_write(after_commit)
        _, second = relays_after_one_write(after_commit)
    assert (len(first), len(second)) == (2, 1)


def test_after_a_failed_relay_the_next_writes_relay_sends_the_jobs_it_left(after_commit, redis_db5):
    outbox._backlog.maybe = False
    with celery_broker(f"redis://127.0.0.1:{free_port()}/0"), after_commit():  # nothing listens there
        left = outbox.enqueue("pacta.validation.sweep")
    assert OutboxJob.objects.get(pk=left.pk).sent_at is None
    outbox._breaker.close()  # the broker answers again; no need to wait out the breaker
    with celery_broker(redis_db5):
        relays_after_one_write(after_commit)
    assert OutboxJob.objects.get(pk=left.pk).sent_at is not None
    assert redis_client(redis_db5).llen(QUEUE) == 2
