"""A job killed by its time limit in a real Celery worker (prefork pool) ends in the dead-letter table.

The job is a real validation job enqueued by a write; PACTA_VALIDATION_TEST_DELAY makes it outlast the limit.
Celery stamps a task's limits into each message it sends, from the sender's settings: the test sets them on
this (sending) process's task, and the same values in the worker's environment.
"""

import pytest

from agreements.validation.tasks import VALIDATE_CHANGES
from registry.ops.models import DeadLetter
from registry.outbox.models import OutboxJob

from .helpers import QUEUE, celery_broker, draft, redis_client, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
REDIS_DB6 = "redis://127.0.0.1:6379/6"


@pytest.fixture
def redis_db6():
    client = redis_client(REDIS_DB6)
    client.delete(QUEUE)
    yield REDIS_DB6
    client.delete(QUEUE)


def dead_letter_of_a_slow_job(start_worker, broker, slug, monkeypatch, soft, hard):
    worker = start_worker("worker", broker, name=f"worker-{slug}", pool="prefork",
                          extra_env={"PACTA_VALIDATION_TEST_DELAY": "15", "PACTA_TASK_SOFT_TIME_LIMIT": str(soft or 0),
                                     "PACTA_TASK_TIME_LIMIT": str(hard)})
    from registry.celery import app

    monkeypatch.setattr(app.tasks[VALIDATE_CHANGES], "soft_time_limit", soft)
    monkeypatch.setattr(app.tasks[VALIDATE_CHANGES], "time_limit", hard)
    monkeypatch.setattr(app.tasks[VALIDATE_CHANGES], "_exec_options", None)  # Celery caches what it stamps
    with celery_broker(broker):
        draft(slug)
    job = OutboxJob.objects.filter(task=VALIDATE_CHANGES, sent_at__isnull=False).order_by("-created_at").first()
    assert job is not None
    return wait_for(lambda: DeadLetter.objects.filter(task_id=str(job.job_id)).first(), timeout=60,
                    what=lambda: "the dead letter\n" + worker.log()), job


def test_a_job_killed_by_its_hard_time_limit_ends_in_the_dead_letter_table(redis_db6, celery_processes, monkeypatch):
    letter, job = dead_letter_of_a_slow_job(celery_processes, redis_db6, "killed-by-limit-2026", monkeypatch,
                                            soft=None, hard=2)
    assert letter.task == VALIDATE_CHANGES
    assert letter.error.startswith("TimeLimitExceeded")
    assert letter.kwargs.get("changes") and letter.failures == 1 and letter.requeued_at is None


def test_a_job_stopped_by_its_soft_time_limit_ends_in_the_dead_letter_table(redis_db6, celery_processes, monkeypatch):
    letter, job = dead_letter_of_a_slow_job(celery_processes, redis_db6, "stopped-by-limit-2026", monkeypatch,
                                            soft=1, hard=30)
    assert letter.error.startswith("SoftTimeLimitExceeded")
    assert "run_job" in letter.traceback
