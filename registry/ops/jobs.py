"""Celery jobs that cannot die in silence: time limits, retries, a dead-letter table, every job counted.

- **Time limits on every task** (settings: CELERY_TASK_SOFT_TIME_LIMIT / CELERY_TASK_TIME_LIMIT, from
  PACTA_TASK_SOFT_TIME_LIMIT / PACTA_TASK_TIME_LIMIT, the sweep its own pair): at the soft limit the task
  gets SoftTimeLimitExceeded (it may clean up); at the hard limit the worker kills the process running it.
- **Retries with backoff for transient failures**: the validation tasks retry database errors (a lost
  connection, a locked SQLite file) with exponential backoff and jitter, up to 8 times
  (agreements/validation/tasks.py, RELIABLE); the periodic tasks (outbox relay, key purge) run again on
  their schedule; a worker lost mid-job leaves the job to the broker (acks late), which delivers it again.
- **The dead-letter table**: a job that fails for good (its retries used up, any other error, or killed by
  a time limit, which is never retried: it would be killed again) is written to `DeadLetter` by the
  `task_failure` signal, in the worker (for a hard time limit, the worker's main process: the killed child
  cannot). The row keeps the task, its arguments, the error and traceback (scrubbed of secrets), the request
  id that enqueued it, and how often it died. The admin lists them with a "run again" action (`registry.outbox.outbox.requeue`),
  which queues the job through the outbox (nothing lost if the broker is down) and marks the letter.
- **Every job counted** by task and outcome, and timed (`pacta_jobs_total`, `pacta_job_duration_seconds`);
  the open dead letters are the `pacta_dead_letters` gauge and a readiness condition.

`bind_celery()` (registry/ops/apps.py) connects the signals in every process that runs tasks.
"""

from __future__ import annotations

import logging
import time
import traceback as tb
from collections import OrderedDict

from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone

from . import metrics
from .logs import scrub

log = logging.getLogger(__name__)
TIME_LIMITS = ("TimeLimitExceeded", "SoftTimeLimitExceeded")


def _prerun(task=None, **kwargs):
    if task is not None:
        task.request._pacta_started = time.monotonic()


def _postrun(task=None, state=None, retval=None, **kwargs):
    if task is None:
        return
    started = getattr(task.request, "_pacta_started", None)
    seconds = time.monotonic() - started if started is not None else None
    outcome = (state or "unknown").lower()
    if isinstance(retval, dict) and retval.get("duplicate"):
        outcome = "duplicate"
    elif type(retval).__name__ in TIME_LIMITS:
        outcome = "time_limit"
    metrics.job_finished(task.name, outcome, seconds)


class _Seen:
    """Celery sends task_failure twice for a hard time limit (from the timeout handler and from the pool's
    failure callback, both in the worker's main process): the second is the same failure, not a new one."""

    recent: "OrderedDict[tuple, float]" = OrderedDict()
    window = 60.0

    @classmethod
    def again(cls, key) -> bool:
        now = time.monotonic()
        while cls.recent and (len(cls.recent) > 1000 or next(iter(cls.recent.values())) < now - cls.window):
            cls.recent.popitem(last=False)
        if key in cls.recent:
            return True
        cls.recent[key] = now
        return False


def _failed(sender=None, task_id=None, exception=None, args=None, kwargs=None, einfo=None, **extra):
    """task_failure: the job failed for good. Record it; never let the recording break the worker."""
    name = getattr(sender, "name", "") or "unknown"
    if _Seen.again((str(task_id), type(exception).__name__)):
        return
    if type(exception).__name__ == "TimeLimitExceeded":
        metrics.job_finished(name, "time_limit", None)  # the killed child never reached task_postrun
    request = getattr(sender, "request", None)
    try:
        if not connection.in_atomic_block:  # a worker's main process may hold a connection gone stale
            close_old_connections()
        record(task=name, task_id=str(task_id or ""), args=list(args or ()), kwargs=dict(kwargs or {}),
               exception=exception, traceback_text=str(einfo.traceback) if einfo is not None else "",
               retries=int(getattr(request, "retries", 0) or 0),
               request_id=str(_header(request, "request_id") or ""))
    except Exception:  # the database itself is down: the log line is all that is left
        log.exception("could not write the dead letter of %s %s", name, task_id)


def _header(request, name):
    if request is None:
        return None
    value = getattr(request, name, None)
    if value is None and isinstance(getattr(request, "headers", None), dict):
        value = request.headers.get(name)
    return value


def _json_safe(value):
    import json

    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return repr(value)


def record(*, task, task_id, args, kwargs, exception, traceback_text="", retries=0, request_id=""):
    from .models import DeadLetter

    now = timezone.now()
    error = scrub(f"{type(exception).__name__}: {exception}")[:5000]
    if not traceback_text and exception is not None:
        traceback_text = "".join(tb.format_exception(exception))
    text = scrub(traceback_text)[-20000:]
    with transaction.atomic():
        letter, created = DeadLetter.objects.select_for_update().get_or_create(task_id=task_id or f"no-id-{now.timestamp()}", defaults={
            "task": task, "args": _json_safe(args), "kwargs": _json_safe(kwargs), "error": error,
            "traceback": text, "retries": retries, "request_id": request_id[:128], "first_failed_at": now,
            "last_failed_at": now})
        if not created:
            DeadLetter.objects.filter(pk=letter.pk).update(
                failures=F("failures") + 1, error=error, traceback=text, retries=retries, last_failed_at=now,
                requeued_at=None)
    log.error("job %s %s failed for good (dead letter %s): %s", task, task_id, letter.pk, error)
    return letter


def open_letters():
    from .models import DeadLetter

    return DeadLetter.objects.filter(requeued_at__isnull=True)


def dead_letter_gauges():
    from prometheus_client.core import GaugeMetricFamily

    family = GaugeMetricFamily("pacta_dead_letters", "Jobs in the dead-letter table not yet run again.")
    family.add_metric([], float(open_letters().count()))
    yield family


def bind_celery():
    from celery import signals

    signals.task_prerun.connect(_prerun, weak=False, dispatch_uid="pacta-jobs-prerun")
    signals.task_postrun.connect(_postrun, weak=False, dispatch_uid="pacta-jobs-postrun")
    signals.task_failure.connect(_failed, weak=False, dispatch_uid="pacta-jobs-dead-letter")
    if dead_letter_gauges not in metrics.STATE_GAUGES:
        metrics.STATE_GAUGES.append(dead_letter_gauges)
