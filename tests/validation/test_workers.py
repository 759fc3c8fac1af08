"""Validation through real Celery workers (subprocesses) on real Redis, not eager mode.

These tests commit (transactional), so that the worker's own database connection sees the data; they run
on both databases (SQLite through a file database, see conftest.py) and are never skipped.
"""

import json
import signal

import pytest

from agreements.findings.models import Finding, ValidationRun
from agreements.validation.tasks import VALIDATE_CHANGES
from registry.outbox.models import OutboxJob

from .helpers import ARTIFACTS, celery_broker, clause, do, draft, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
CHARTER = "un-charter-1945"


def open_finding(code, slug, subject):
    return Finding.objects.filter(code=code, agreement__slug=slug, subject=subject, resolved_at__isnull=True).first()


def finished(job_ids):
    return ValidationRun.objects.filter(job_id__in=list(job_ids), finished_at__isnull=False).count()


def jobs_since(mark):
    jobs = OutboxJob.objects.filter(task=VALIDATE_CHANGES).order_by("created_at")
    return list(jobs if mark is None else jobs.filter(created_at__gt=mark))


def test_a_worker_flags_a_reference_to_a_missing_article_and_resolves_it_when_the_article_is_added(
    redis_db5, celery_processes
):
    worker = celery_processes("worker", redis_db5, name="worker-art99")
    mark = OutboxJob.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    with celery_broker(redis_db5):
        draft("referrer-2015")
        clause("referrer-2015", "art_1", "Refers to Article 99 of the Charter.")
        do("AddReference", "referrer-2015", eid="art_1", target=CHARTER, target_eid="art_199")

        finding = wait_for(lambda: open_finding("reference_target_eid_missing", "referrer-2015", "art_1"),
                           what=lambda: "the finding about art_199" + "\n" + worker.log())
        assert finding.severity == "error"
        assert "un-charter-1945#art_199" in finding.message

        clause(CHARTER, "art_199", "A hypothetical Article 99.", effective="1945-10-24")
        wait_for(lambda: Finding.objects.get(pk=finding.pk).resolved_at is not None,
                 what=lambda: "the finding to be resolved" + "\n" + worker.log())

        # Jobs run in any order: the resolving one may finish before an earlier write's job.
        sent = [job.job_id for job in jobs_since(mark)]
        wait_for(lambda: ValidationRun.objects.filter(job_id__in=sent, finished_at__isnull=False).count() == len(sent),
                 what=lambda: "every job of this test to finish\n" + worker.log())

    assert Finding.objects.filter(key=finding.key).count() == 1
    # The worker ran the jobs, this process only sent them.
    runs = ValidationRun.objects.filter(task=VALIDATE_CHANGES)
    assert runs.count() >= 4 and all(run.executions == 1 for run in runs)
    assert not OutboxJob.objects.filter(sent_at__isnull=True).exists()


def test_writes_succeed_while_the_broker_is_down_and_every_job_runs_exactly_once_after_it_returns(
    own_redis, celery_processes
):
    worker = celery_processes("worker", own_redis.url, name="worker-outage")
    draft("outage-2015")
    mark = OutboxJob.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    with celery_broker(own_redis.url):
        for i in range(200):
            clause("outage-2015", f"art_{i + 1}")
        before = jobs_since(mark)
        assert len(before) == 200 and all(job.sent_at for job in before)
        # Redis keeps its queue in memory only (no persistence here): let the worker take the first 200.
        wait_for(lambda: finished(j.job_id for j in before) == 200, timeout=240,
                 what=lambda: "the first 200 jobs\n" + worker.log())

        own_redis.stop()
        for i in range(200, 400):
            result = clause("outage-2015", f"art_{i + 1}")  # every write succeeds, none waits for Redis
            assert result.version > 0
        during = jobs_since(before[-1].created_at)
        assert len(during) == 200 and not any(job.sent_at for job in during)

        own_redis.start()
        # The periodic relay, as Celery beat runs it: beat sends `pacta.outbox.relay`, the worker relays.
        celery_processes("beat", own_redis.url, name="beat-outage",
                         extra_env={"PACTA_RELAY_INTERVAL": "1", "PACTA_SWEEP_INTERVAL": "100000"},
                         args=["-s", str(ARTIFACTS / "beat-schedule-outage")])
        all_ids = [j.job_id for j in before + during]
        wait_for(lambda: finished(all_ids) == 400, timeout=300, what=lambda: "all 400 jobs\n" + worker.log())

    runs = ValidationRun.objects.filter(job_id__in=all_ids)
    executions = {str(run.job_id): run.executions for run in runs}
    assert len(executions) == 400
    assert set(executions.values()) == {1}  # none ran twice
    assert sum(run.duplicates for run in runs) == 0
    assert not OutboxJob.objects.filter(job_id__in=all_ids, sent_at__isnull=True).exists()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "outage.json").write_text(json.dumps({"jobs": len(all_ids), "ran": len(executions),
                                                       "executions": sum(executions.values())}))


def test_a_job_held_by_a_killed_worker_is_completed_by_a_new_worker_and_its_finding_exists_once(
    redis_db5, celery_processes
):
    slow = celery_processes("worker", redis_db5, name="worker-slow", extra_env={"PACTA_VALIDATION_TEST_DELAY": "600"})
    draft("crash-2015")
    clause("crash-2015", "art_1")
    mark = OutboxJob.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    with celery_broker(redis_db5):
        do("AddReference", "crash-2015", eid="art_1", target=CHARTER, target_eid="art_177")
        [job] = jobs_since(mark)
        assert job.sent_at is not None
        held = ValidationRun.objects.filter(job_id=job.job_id, executions=1, finished_at__isnull=True)
        wait_for(held.exists,
                 what=lambda: "the slow worker to hold the job\n" + slow.log())

        slow.kill(signal.SIGKILL)
        slow.proc.wait(timeout=10)
        assert slow.proc.returncode == -signal.SIGKILL
        assert not Finding.objects.filter(code="reference_target_eid_missing", agreement__slug="crash-2015").exists()

        # A new worker: the job was never acknowledged, so Redis delivers it again (after the visibility timeout).
        fresh = celery_processes("worker", redis_db5, name="worker-fresh",
                                 extra_env={"PACTA_BROKER_VISIBILITY_TIMEOUT": "1"})
        wait_for(lambda: ValidationRun.objects.filter(job_id=job.job_id, finished_at__isnull=False).exists(),
                 timeout=120, what=lambda: "the new worker to complete the job\n" + fresh.log())

    run = ValidationRun.objects.get(job_id=job.job_id)
    assert run.executions == 2  # started by the killed worker, completed by the new one
    findings = Finding.objects.filter(code="reference_target_eid_missing", agreement__slug="crash-2015")
    assert findings.count() == 1 and findings.get().resolved_at is None
