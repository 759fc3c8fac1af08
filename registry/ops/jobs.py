"""Celery jobs that cannot die in silence: every job timed and counted by outcome (metrics).

`bind_celery()` (called by registry/celery.py) connects the task signals in every process that runs
tasks (workers, and the web processes in eager mode).
"""

from __future__ import annotations

import time

from . import metrics


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
    metrics.job_finished(task.name, outcome, seconds)


def bind_celery():
    from celery import signals

    signals.task_prerun.connect(_prerun, weak=False, dispatch_uid="pacta-jobs-prerun")
    signals.task_postrun.connect(_postrun, weak=False, dispatch_uid="pacta-jobs-postrun")
