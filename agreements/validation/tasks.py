"""Celery tasks of validation: incremental checks after a command, a source's citations, the full sweep.

Reliability:
- `acks_late` (and reject on a lost worker): the broker keeps a job until a worker has finished it, so a
  worker killed mid-task leaves the job to be delivered again (Redis: after the visibility timeout);
- retries with exponential backoff and jitter on database errors (a lost connection, a locked SQLite file);
- idempotent: the checks record findings by key (an upsert), and a ledger row per job id
  (`ValidationRun`) makes a second delivery of a finished job a no-op, counted in `duplicates`.

PACTA_VALIDATION_TEST_DELAY (seconds, default 0) makes every job sleep after it has started: a test-only
setting, used to kill a worker while it holds a job.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
import uuid

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from . import incremental, links
from . import sweep as sweeping
from .citations import CitationCheck
from agreements.findings.models import ValidationRun

VALIDATE_CHANGES = "pacta.validation.validate_changes"
CHECK_SOURCE = "pacta.validation.check_source"
SWEEP = "pacta.validation.sweep"

RELIABLE = dict(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=8,
    ignore_result=True,
)


def run_job(job_id, task_name: str, work, atomic: bool = False) -> dict:
    """Run `work()` once per job id; a finished job delivered again is skipped. With `atomic`, the work and
    the ledger's "finished" mark commit together (small jobs); a sweep commits batch by batch instead."""
    job_id = uuid.UUID(str(job_id))
    with transaction.atomic():
        run, _ = ValidationRun.objects.select_for_update().get_or_create(
            job_id=job_id, defaults={"task": task_name, "started_at": timezone.now()}
        )
        if run.finished_at is not None:
            ValidationRun.objects.filter(pk=run.pk).update(duplicates=F("duplicates") + 1)
            return {"job_id": str(job_id), "duplicate": True}
        ValidationRun.objects.filter(pk=run.pk).update(executions=F("executions") + 1, started_at=timezone.now())
    delay = getattr(settings, "PACTA_VALIDATION_TEST_DELAY", 0)
    if delay:
        time.sleep(delay)
    with transaction.atomic() if atomic else contextlib.nullcontext():
        summary = work().summary()
        ValidationRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), summary=summary)
    return {"job_id": str(job_id), **summary}


@shared_task(name=VALIDATE_CHANGES, **RELIABLE)
def validate_changes(self, changes: dict, job_id=None):
    """Check what one transaction's commands changed, {slug: changes} (see incremental.py)."""
    return run_job(job_id or self.request.id, self.name, lambda: incremental.validate(changes), atomic=True)


@shared_task(name=CHECK_SOURCE, **RELIABLE)
def check_source(self, source_id: int, check_url: bool = False, job_id=None):
    """A source changed: re-check the quotes that cite it (and its URL, in a worker, when asked)."""

    def work():
        report = incremental.Report()
        incremental.run_checks(report, *CitationCheck().check_source(source_id))
        if check_url:
            incremental.run_checks(report, *links.check_sources([source_id]))
            report.sources = 1
        return report

    return run_job(job_id or self.request.id, self.name, work, atomic=not check_url)


@shared_task(name=SWEEP, **RELIABLE)
def sweep(self, check_urls=None, job_id=None):
    """The periodic full sweep (Celery beat); also prunes the job ledger."""
    result = run_job(job_id or self.request.id, self.name, lambda: sweeping.run(check_urls=check_urls))
    prune_ledger()
    return result


def prune_ledger(days: float | None = None) -> int:
    days = getattr(settings, "PACTA_VALIDATION_RUN_RETENTION_DAYS", 30) if days is None else days
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _ = ValidationRun.objects.filter(finished_at__lt=cutoff).delete()
    return deleted
