"""The figures readiness and metrics share: the outbox's depth and oldest job, the validation backlog.

Each is one small indexed query. The validation backlog is the jobs handed to the broker (outbox rows
with `sent_at`) for a validation task whose run has not finished (no `ValidationRun` row with
`finished_at`); only jobs sent within the outbox's retention are kept, so it is bounded. The ledger is looked up by its
model label (VALIDATION_LEDGER), not imported: the infrastructure under registry/ imports nothing of the
agreements (the Celery app, which the outbox imports, loads this module).
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Count, Min
from django.utils import timezone

from registry.outbox.models import OutboxJob

VALIDATION_TASK_PREFIX = "pacta.validation."
VALIDATION_LEDGER = "agreements.ValidationRun"  # job_id, finished_at: one row per job a worker ran
PRIMARY = "default"  # the figures describe the primary, never a lagging replica


def outbox():
    """(jobs not yet handed to the broker, the oldest one's creation time or None)."""
    row = OutboxJob.objects.using(PRIMARY).filter(sent_at__isnull=True).aggregate(n=Count("pk"), oldest=Min("created_at"))
    return row["n"], row["oldest"]


def validation():
    """(validation jobs sent and not finished, the oldest one's send time or None)."""
    finished = apps.get_model(VALIDATION_LEDGER).objects.using(PRIMARY).filter(finished_at__isnull=False).values("job_id")
    jobs = (OutboxJob.objects.using(PRIMARY).filter(sent_at__isnull=False, task__startswith=VALIDATION_TASK_PREFIX)
            .exclude(job_id__in=finished))
    row = jobs.aggregate(n=Count("pk"), oldest=Min("sent_at"))
    return row["n"], row["oldest"]


def age_seconds(value) -> float | None:
    """Seconds since `value` (a time), never negative; None for no time."""
    if value is None:
        return None
    return round(max(0.0, (timezone.now() - value).total_seconds()), 3)
