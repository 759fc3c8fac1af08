"""Liveness and readiness: what a load balancer, Docker or Kubernetes asks before sending traffic.

- `/healthz` (liveness): the process answers. It touches nothing else, so a database outage never makes
  an orchestrator restart healthy web processes.
- `/readyz` (readiness): every condition below holds. 200 when ready, 503 when not; JSON either way, one
  entry per condition with `ok` and the figures behind it, never a URL, host or password (an error is
  named by its exception class only).

| condition | ready when | bound (setting) |
|---|---|---|
| `database` | `SELECT 1` answers on the primary | |
| `migrations` | no migration of the code is unapplied | |
| `broker` | the Celery broker accepts a connection (eager mode, no broker configured: always) | |
| `outbox` | the oldest job not yet handed to the broker is younger than the bound | PACTA_READY_OUTBOX_MAX_AGE |
| `validation` | the oldest validation job handed to the broker and not finished is younger than the bound | PACTA_READY_VALIDATION_MAX_AGE |
| `copy` | on a read-only copy (`manage.py follow`): its last catch-up with the primary is younger than the bound | PACTA_READY_COPY_MAX_LAG |
| `dead_letters` | fewer jobs in the dead-letter table (not yet run again) than the bound | PACTA_READY_MAX_DEAD_LETTERS |

A bound of 0 reports the figure without gating readiness on it. Readiness takes an instance out of the
balancer: the bounds are for "this instance cannot do its job", not for "one job failed" (see
docs/operations.md).

Cheap under a probe storm: the result is computed at most once per PACTA_READY_CACHE_SECONDS per process
(a lock makes concurrent callers share one computation), the migration check is remembered once it has
passed, and the views are plain Django views: DRF's throttles never see them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

DEFAULT_ALIAS = "default"


@dataclass
class Readiness:
    ready: bool
    checks: dict = field(default_factory=dict)
    checked_at: str = ""

    def as_json(self) -> dict:
        return {"status": "ready" if self.ready else "not ready", "checked_at": self.checked_at,
                "checks": self.checks}


def _setting(name, default):
    return getattr(settings, name, default)


def _error(exc: BaseException) -> str:
    return type(exc).__name__  # never the message: it may name hosts or carry a URL


def _bounded(age: float | None, bound: float, **figures) -> dict:
    ok = not bound or age is None or age < bound
    return {"ok": ok, "oldest_age_seconds": age, "bound_seconds": bound or None, **figures}


# ------------------------------------------------------------------------------------------- the conditions


def check_database() -> dict:
    with connections[DEFAULT_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


class _Migrated:
    done = False


def check_migrations() -> dict:
    """Loads the migration graph from disk: done once, then remembered (a running process's code does not
    gain migrations, and a database does not lose applied ones)."""
    if _Migrated.done:
        return {"ok": True}
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return {"ok": False, "unapplied": len(plan)}
    _Migrated.done = True
    return {"ok": True}


def check_broker() -> dict:
    from registry.celery import app
    from registry.outbox.outbox import transport_options

    if app.conf.task_always_eager:
        return {"ok": True, "mode": "eager"}
    with app.connection_for_write(transport_options=transport_options()) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0,
                               timeout=_setting("PACTA_OUTBOX_CONNECT_TIMEOUT", 1.0))
    return {"ok": True, "mode": "broker"}


def check_outbox() -> dict:
    from . import backlog

    depth, oldest = backlog.outbox()
    return _bounded(backlog.age_seconds(oldest), _setting("PACTA_READY_OUTBOX_MAX_AGE", 600), depth=depth)


def check_validation() -> dict:
    from . import backlog

    depth, oldest = backlog.validation()
    return _bounded(backlog.age_seconds(oldest), _setting("PACTA_READY_VALIDATION_MAX_AGE", 900), depth=depth)


def check_copy() -> dict:
    from . import backlog
    from .models import CopyStatus

    status = CopyStatus.objects.using(DEFAULT_ALIAS).filter(pk=1).first()
    if status is None:
        return {"ok": True, "following": False}
    bound = _setting("PACTA_READY_COPY_MAX_LAG", 300)
    lag = backlog.age_seconds(status.caught_up_at)
    ok = not bound or (lag is not None and lag < bound)
    return {"ok": ok, "following": True, "lag_seconds": lag, "bound_seconds": bound or None,
            "head_position": status.head_position}


def check_dead_letters() -> dict:
    from .jobs import open_letters

    count = open_letters().using(DEFAULT_ALIAS).count()
    bound = _setting("PACTA_READY_MAX_DEAD_LETTERS", 100)
    return {"ok": not bound or count < bound, "count": count, "bound": bound or None}


CHECKS = {
    "database": check_database,
    "migrations": check_migrations,
    "broker": check_broker,
    "outbox": check_outbox,
    "validation": check_validation,
    "copy": check_copy,
    "dead_letters": check_dead_letters,
}
# Conditions that read tables: skipped (reported as not checked) when the database does not answer or is
# not migrated, since their tables may be missing.
NEEDS_SCHEMA = ("outbox", "validation", "copy", "dead_letters")


def evaluate() -> Readiness:
    """Run every condition now (no cache). Never raises: a failing condition is a `false` with its error."""
    checks = {}
    for name, check in CHECKS.items():
        if name in NEEDS_SCHEMA and not (checks["database"]["ok"] and checks["migrations"]["ok"]):
            checks[name] = {"ok": False, "skipped": "the database is unavailable or not migrated"}
            continue
        try:
            checks[name] = check()
        except Exception as exc:  # a down dependency is an answer here, never a 500
            checks[name] = {"ok": False, "error": _error(exc)}
            if isinstance(exc, DatabaseError):
                _close_broken(DEFAULT_ALIAS)
    return Readiness(all(c["ok"] for c in checks.values()), checks, timezone.now().isoformat())


def _close_broken(alias):
    try:
        connections[alias].close()
    except Exception:
        pass


class _Cache:
    lock = threading.Lock()
    value: Readiness | None = None
    at = 0.0


def readiness() -> Readiness:
    """The readiness, computed at most once per PACTA_READY_CACHE_SECONDS in this process."""
    ttl = _setting("PACTA_READY_CACHE_SECONDS", 1.0)
    with _Cache.lock:
        now = time.monotonic()
        if _Cache.value is None or now - _Cache.at >= ttl:
            _Cache.value, _Cache.at = evaluate(), now
        return _Cache.value


def forget() -> None:
    """Drop the cached readiness and the remembered migration check (tests, after a migration)."""
    with _Cache.lock:
        _Cache.value, _Cache.at = None, 0.0
    _Migrated.done = False
