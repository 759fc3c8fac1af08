"""Write jobs in the caller's transaction; relay them to the broker after commit."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from .models import OutboxJob

log = logging.getLogger(__name__)


def enqueue(task: str, **kwargs) -> OutboxJob:
    """Store a job in the current transaction and ask for a relay once it commits."""
    job = OutboxJob.objects.create(task=task, kwargs=kwargs)
    transaction.on_commit(lambda: relay(job_ids=[job.job_id]), robust=True)
    return job


def relay(job_ids=None, limit: int = 500) -> int:
    """Hand unsent jobs to Celery. A failure (broker down) leaves them unsent for the next relay."""
    from registry.celery import app

    jobs = OutboxJob.objects.filter(sent_at__isnull=True).order_by("created_at")
    if job_ids is not None:
        jobs = jobs.filter(job_id__in=job_ids)
    sent = 0
    for job in jobs[:limit]:
        kwargs = {**job.kwargs, "job_id": str(job.job_id)}
        try:
            if app.conf.task_always_eager:  # the embedded default: run it here, now
                app.tasks[job.task].apply(kwargs=kwargs, task_id=str(job.job_id))
            else:  # no publish retries: a down broker must not hold up the request
                app.send_task(job.task, kwargs=kwargs, task_id=str(job.job_id), retry=False)
        except Exception as exc:  # broker unavailable: keep the job, record why
            OutboxJob.objects.filter(pk=job.pk).update(attempts=job.attempts + 1, last_error=str(exc)[:2000])
            log.warning("outbox relay: %s not sent: %s", job, exc)
            continue
        OutboxJob.objects.filter(pk=job.pk).update(sent_at=timezone.now(), attempts=job.attempts + 1)
        sent += 1
    return sent
