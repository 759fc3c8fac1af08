"""Prometheus metrics at /metrics: served only when PACTA_METRICS_TOKEN is set, only to `Bearer <token>`.

Two kinds (every metric is listed, with what to alert on, in docs/operations.md):

- Counters and histograms that processes update as things happen (requests, events appended, refusals,
  throttled and timed-out requests, Celery jobs; the requests' own in registry/ops/request_metrics.py). Under
  gunicorn (several worker processes) and Celery, set PROMETHEUS_MULTIPROC_DIR to an empty folder shared by the
  processes of one host (before they start): prometheus-client then keeps each process's values in files there
  and /metrics adds them up
  (registry/gunicorn.py removes a dead worker's live gauges). Without it each process counts alone.
- Gauges of the registry's state, read from the database when /metrics is scraped (`StateCollector`):
  the outbox's depth and oldest job, the validation backlog, the log head, a copy's lag, dead letters.
  They are the same figures /readyz uses (registry/ops/backlog.py), so they agree across processes.

Anything else answers 404 (not 401/403): without the token, /metrics does not exist.
"""

from __future__ import annotations

import hmac
import os

from django.conf import settings
from django.http import Http404, HttpResponse
from prometheus_client import (CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram,
                               generate_latest, multiprocess)
from prometheus_client.core import GaugeMetricFamily

from . import request_metrics  # noqa: F401 - the requests' counters, served here with the rest

JOB_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0)

EVENTS = Counter("pacta_events_appended", "Events committed to the log, by event type.", ["type"])
REFUSED = Counter("pacta_commands_refused", "Commands refused by the domain, by rule code.", ["code"])
JOBS = Counter("pacta_jobs", "Celery jobs finished, by task and outcome (success, failure, retry, duplicate, "
               "time_limit).", ["task", "outcome"])
JOB_DURATION = Histogram("pacta_job_duration_seconds", "Time a Celery job ran, by task.", ["task"],
                         buckets=JOB_BUCKETS)


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or os.environ.get("prometheus_multiproc_dir") or ""


# ------------------------------------------------------------------------------------------- what happens


def events_appended(recorded) -> None:
    for event in recorded:
        EVENTS.labels(event.type).inc()


def command_refused(exc: BaseException) -> None:
    code = getattr(exc, "rule", None) or ("invalid_command" if type(exc).__name__ == "InvalidCommand"
                                          else type(exc).__name__)
    REFUSED.labels(str(code)[:100]).inc()


def job_finished(task: str, outcome: str, seconds: float | None) -> None:
    JOBS.labels(task, outcome).inc()
    if seconds is not None:
        JOB_DURATION.labels(task).observe(seconds)


# ------------------------------------------------------------------------------------------ the state, scraped


class StateCollector:
    """Gauges read from the database at scrape time (the figures readiness uses)."""

    def collect(self):
        from . import backlog
        from .models import CopyStatus
        from registry.eventstore import store

        depth, oldest = backlog.outbox()
        yield _gauge("pacta_outbox_depth", "Jobs waiting to be handed to the broker.", depth)
        yield _gauge("pacta_outbox_oldest_age_seconds", "Age of the oldest job waiting for the broker (0: none).",
                     backlog.age_seconds(oldest) or 0)
        depth, oldest = backlog.validation()
        yield _gauge("pacta_validation_backlog", "Validation jobs handed to the broker and not finished.", depth)
        yield _gauge("pacta_validation_backlog_oldest_age_seconds",
                     "Age of the oldest unfinished validation job (0: none).", backlog.age_seconds(oldest) or 0)
        head = store.head()
        yield _gauge("pacta_log_head_position", "Position of the last event in the log.", head.position)
        yield _gauge("pacta_log_head_age_seconds", "Time since the last event was recorded (0: empty log).",
                     backlog.age_seconds(head.recorded_at) or 0)
        from registry.eventstore.models import LogCheckpoint

        checkpoint = LogCheckpoint.objects.order_by("-size").only("size", "signed_at").first()
        yield _gauge("pacta_log_checkpoint_size", "Tree size of the latest signed checkpoint (0: none yet).",
                     checkpoint.size if checkpoint else 0)
        yield _gauge("pacta_log_checkpoint_age_seconds", "Time since the latest checkpoint was signed (0: none yet); "
                     "with events appended since, more than a few intervals means signing is failing.",
                     backlog.age_seconds(checkpoint.signed_at) if checkpoint else 0)
        yield _gauge("pacta_log_unsigned_events", "Events appended after the latest signed checkpoint.",
                     head.position - (checkpoint.size if checkpoint else 0))
        for family in _extra_state():
            yield family
        status = CopyStatus.objects.filter(pk=1).first()
        if status is not None:
            yield _gauge("pacta_copy_lag_seconds", "On a read-only copy: time since it last caught up with its "
                                                   "primary.", backlog.age_seconds(status.caught_up_at) or 0)
            yield _gauge("pacta_copy_head_position", "On a read-only copy: its head when it last caught up.",
                         status.head_position)

    def describe(self):
        return []


def _extra_state():
    """Gauges other parts add (the dead-letter count): functions in STATE_GAUGES yielding metric families."""
    for produce in STATE_GAUGES:
        yield from produce()


STATE_GAUGES: list = []


def _gauge(name, documentation, value):
    family = GaugeMetricFamily(name, documentation)
    family.add_metric([], float(value))
    return family


class _Default:
    """This process's own metrics (no multiprocess folder): the default registry's collectors."""

    def collect(self):
        return REGISTRY.collect()


def exposition() -> bytes:
    registry = CollectorRegistry()
    if multiprocess_dir():
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_Default())
    registry.register(StateCollector())
    return generate_latest(registry)


def authorised(request) -> bool:
    token = getattr(settings, "PACTA_METRICS_TOKEN", "")
    if not token:
        return False
    given = request.headers.get("Authorization", "")
    scheme, _, value = given.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), token.encode())


def metrics_view(request):
    if request.method not in ("GET", "HEAD") or not authorised(request):
        raise Http404("No such page.")
    response = HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
