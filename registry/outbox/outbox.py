"""Write jobs in the caller's transaction; relay them to the broker after commit.

A job row commits with the events that caused it, so a job exists if and only if its write committed.
After commit the relay hands it to Celery and marks it sent. With a broker (Redis):

- the send fails fast: a dedicated connection with a short connect/socket timeout and no connection or
  publish retries (OUTBOX_TRANSPORT_OPTIONS), so a write never waits on a broker that is down; the job
  simply stays unsent, with the error and the attempt count recorded;
- that connection is kept open by each thread from one relay to the next (opening one per write cost more
  than the rest of the relay: about 40% of an API command's time in a profile, issue 26); a kept
  connection that fails is dropped and the job tried once on a new one, and a new one that fails is the
  broker being down;
- after a failure a short circuit breaker (PACTA_OUTBOX_BREAKER_SECONDS) makes the relays that follow
  other writes skip the broker entirely instead of each paying the connect timeout again;
- unsent jobs are retried by the periodic relay (`pacta.outbox.relay`, on Celery beat) and by the relay
  after the next write (a bounded backlog, PACTA_OUTBOX_BACKLOG_PER_COMMIT), when this process may have left
  some: since it started, or since a relay of its own failed, was skipped by the breaker, or found more than
  the bound. Looking for a backlog that is not there was a transaction of its own after every write (issue
  26: a tenth of a command's time); jobs another process left (it died between its commit and its relay) are
  the periodic relay's;
- on PostgreSQL a relay claims the rows it sends (SELECT ... FOR UPDATE SKIP LOCKED), so two relays never
  send the same job; elsewhere a job may, rarely, be sent twice, which the tasks tolerate (they are
  idempotent and keep a ledger by job id).

Without a broker (the embedded default) Celery is eager and the relay runs each job in-process right after
the commit; a job whose task fails stays unsent with its error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import threading
import time

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from registry.ops import jobs as dead_letters, request_id as request_ids

from .models import OutboxJob

log = logging.getLogger(__name__)


class _Breaker:
    """Process-wide: until `down_until` (monotonic seconds) relays after writes do not try the broker."""

    down_until = 0.0

    def is_open(self) -> bool:
        return time.monotonic() < self.down_until

    def open(self) -> None:
        """The broker failed: no relay after a write tries it for PACTA_OUTBOX_BREAKER_SECONDS."""
        self.down_until = time.monotonic() + _setting("PACTA_OUTBOX_BREAKER_SECONDS", 5.0)

    def close(self) -> None:
        self.down_until = 0.0


_breaker = _Breaker()


class _Backlog:
    """Process-wide: whether this process may have left unsent jobs behind (at start: it cannot know)."""

    maybe = True


_backlog = _Backlog()


def _setting(name, default):
    return getattr(settings, name, default)


def transport_options() -> dict:
    return {
        "max_retries": 0,  # kombu: do not retry establishing the connection
        "socket_connect_timeout": _setting("PACTA_OUTBOX_CONNECT_TIMEOUT", 1.0),
        "socket_timeout": _setting("PACTA_OUTBOX_SOCKET_TIMEOUT", 2.0),
    }


def enqueue(task: str, **kwargs) -> OutboxJob:
    """Store a job in the current transaction and ask for a relay once it commits."""
    job = OutboxJob.objects.create(task=task, kwargs=kwargs, request_id=request_ids.current())
    transaction.on_commit(lambda: relay_after_commit(job.job_id), robust=True)
    return job


def send_now(task: str, **kwargs) -> bool:
    """One message for a job that needs no outbox row (nothing is lost if it is never sent: a nudge, a refresh of
    something cached): sent at once with the relay's short timeouts and no retries, and not at all while the
    breaker says the broker is down (a failure here opens the breaker too). True if it was sent. Without a broker
    nothing is sent: the caller does the work itself."""
    from registry.celery import app

    if _eager() or _breaker.is_open():
        return False
    try:
        with app.connection_for_write(transport_options=transport_options()) as conn:
            app.send_task(task, kwargs=kwargs, connection=conn, retry=False)
    except Exception as exc:  # noqa: BLE001 - the broker is down: the caller does without
        _breaker.open()
        log.warning("%s not sent (%s: %s)", task, type(exc).__name__, exc)
        return False
    return True


class _Coalescing(threading.local):
    def __init__(self):
        self.jobs = {}  # (database alias, task) -> [job, kwargs, marker]


_coalescing = _Coalescing()


def enqueue_coalesced(task: str, merge, **kwargs) -> OutboxJob:
    """Like `enqueue`, but every call for `task` within one transaction shares one job.

    `merge(stored_kwargs, new_kwargs)` returns the job's new kwargs. A bulk write (a seed load, an import,
    an admin save of several commands) thus makes one job instead of hundreds. The job is known to belong
    to the current transaction while the on-commit callback registered with it is still pending: Django
    drops pending callbacks when their transaction or savepoint rolls back and runs them on commit."""
    conn = transaction.get_connection()
    key = (conn.alias, task)
    pending = _coalescing.jobs.get(key)
    if pending and conn.in_atomic_block and _still_pending(conn, pending[2]):
        job, merged = pending[0], merge(pending[1], kwargs)
        if OutboxJob.objects.filter(pk=job.pk, sent_at__isnull=True).update(kwargs=merged):
            pending[1] = merged
            # One more relay callback: on commit the first one sends the job and the others find it sent.
            transaction.on_commit(lambda: relay_after_commit(job.job_id), robust=True)
            return job
    job = enqueue(task, **kwargs)
    if conn.in_atomic_block:
        def marker():
            _coalescing.jobs.pop(key, None)

        transaction.on_commit(marker)
        _coalescing.jobs[key] = [job, kwargs, marker]
    return job


def _still_pending(conn, marker) -> bool:
    return any(entry[1] is marker for entry in getattr(conn, "run_on_commit", ()))


def relay_after_commit(job_id) -> int:
    """The relay that follows a write: its own job, then a bounded backlog of older unsent ones."""
    sent = relay(job_ids=[job_id], respect_breaker=True)
    if sent and not _eager() and _backlog.maybe:
        backlog = _setting("PACTA_OUTBOX_BACKLOG_PER_COMMIT", 100)
        if backlog:
            _backlog.maybe = False  # before the relay: a failure in it says so again
            more = relay(limit=backlog, respect_breaker=True)
            sent += more
            if more >= backlog:
                _backlog.maybe = True  # there may be more than the bound
    return sent


def _eager() -> bool:
    from registry.celery import app

    return bool(app.conf.task_always_eager)


def _unsent(job_ids):
    jobs = OutboxJob.objects.filter(sent_at__isnull=True).order_by("created_at")
    if job_ids is not None:
        jobs = jobs.filter(job_id__in=list(job_ids))
    return jobs


def relay(job_ids=None, limit: int = 500, respect_breaker: bool = False) -> int:
    """Hand unsent jobs to Celery (these ones, or the oldest `limit`). Returns how many were sent.

    A failure (broker down) stops the batch and leaves the remaining jobs unsent for the next relay."""
    if _eager():
        return _run_eagerly(job_ids, limit)
    if respect_breaker and _breaker.is_open():
        _backlog.maybe = True  # the jobs asked for stay unsent
        return 0
    claim = connection.features.has_select_for_update_skip_locked
    with transaction.atomic() if claim else contextlib.nullcontext():
        jobs = _unsent(job_ids)
        if claim:
            jobs = jobs.select_for_update(skip_locked=True)
        jobs = list(jobs[:limit])
        if not jobs:
            return 0
        sent = _send(jobs)
    return sent


class _KeptConnection(threading.local):
    """This thread's broker connection, kept open from one relay to the next (with the same fail-fast transport
    options): opening one per relay (a Redis connection pool, a handshake, the queue declared again) cost
    more than the rest of a relay, and a relay follows every write."""

    connection = None
    uri = ""
    pid = 0


_kept = _KeptConnection()


def _connection(app) -> tuple[object, bool]:
    """(a broker connection for the app's current broker, whether it is one kept from an earlier relay)."""
    fresh = app.connection_for_write(transport_options=transport_options())  # not connected until used
    uri = fresh.as_uri(include_password=True)
    if _kept.connection is not None and _kept.uri == uri and _kept.pid == os.getpid():
        return _kept.connection, True
    _drop_connection()
    _kept.connection, _kept.uri, _kept.pid = fresh, uri, os.getpid()
    return fresh, False


def _drop_connection() -> None:
    """Forget the kept connection, closing it unless it was inherited from the parent of a fork (whose
    socket the parent still uses)."""
    connection_, _kept.connection = _kept.connection, None
    if connection_ is not None and _kept.pid == os.getpid():
        with contextlib.suppress(Exception):
            connection_.release()


def _send(jobs) -> int:
    from registry.celery import app

    sent_ids, failed, error = [], None, ""
    try:
        conn, reused = _connection(app)
        for job in jobs:
            failed = job
            try:
                _publish(app, conn, job)
            except Exception:
                _drop_connection()
                if not reused:
                    raise
                # The kept connection went stale (the broker restarted, a timeout closed it): one new one.
                conn, reused = _connection(app)
                _publish(app, conn, job)
            sent_ids.append(job.pk)
        failed = None
    except Exception as exc:  # broker unavailable: keep the job, record why, stop trying for a moment
        _drop_connection()
        error = f"{type(exc).__name__}: {exc}"[:2000]
        _backlog.maybe = True
        _breaker.open()
        log.warning("outbox relay: broker unavailable, %d job(s) left unsent: %s", len(jobs) - len(sent_ids), error)
    now = timezone.now()
    if sent_ids:
        OutboxJob.objects.filter(pk__in=sent_ids).update(sent_at=now, attempts=F("attempts") + 1, last_error="")
        if failed is None:
            _breaker.close()
    if failed is not None:
        OutboxJob.objects.filter(pk=failed.pk).update(attempts=F("attempts") + 1, last_error=error)
    return len(sent_ids)


def _publish(app, conn, job) -> None:
    app.send_task(job.task, kwargs={**job.kwargs, "job_id": str(job.job_id)}, task_id=str(job.job_id),
                  connection=conn, retry=False, headers=_headers(job))


def _headers(job) -> dict:
    return {request_ids.CELERY_HEADER: job.request_id} if job.request_id else {}


def _run_eagerly(job_ids, limit) -> int:
    """The embedded default: run each job here and now (Celery eager)."""
    from registry.celery import app

    sent = 0
    for job in list(_unsent(job_ids)[:limit]):
        try:
            if job.task not in app.tasks:
                app.loader.import_default_modules()
            app.tasks[job.task].apply(kwargs={**job.kwargs, "job_id": str(job.job_id)}, task_id=str(job.job_id),
                                      headers=_headers(job))
        except Exception as exc:  # a failing task: keep the job and its error, never fail the write
            OutboxJob.objects.filter(pk=job.pk).update(attempts=F("attempts") + 1, last_error=str(exc)[:2000])
            log.exception("outbox relay: %s failed", job)
            # Eager Celery propagates the error instead of sending task_failure: record the dead letter here.
            dead_letters.record(task=job.task, task_id=str(job.job_id), args=[], kwargs=job.kwargs, exception=exc,
                                request_id=job.request_id)
            continue
        OutboxJob.objects.filter(pk=job.pk).update(sent_at=timezone.now(), attempts=F("attempts") + 1)
        sent += 1
    return sent


def relay_all(batch: int = 500) -> int:
    """Relay every unsent job, batch by batch, until none is left or the broker fails (the periodic relay)."""
    total = 0
    while True:
        sent = relay(limit=batch)
        total += sent
        if sent < batch:
            return total


def prune(days: float | None = None) -> int:
    """Delete jobs sent more than `days` ago (PACTA_OUTBOX_RETENTION_DAYS); unsent jobs are never deleted."""
    days = _setting("PACTA_OUTBOX_RETENTION_DAYS", 7) if days is None else days
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _ = OutboxJob.objects.filter(sent_at__lt=cutoff).delete()
    return deleted


def pending() -> int:
    return OutboxJob.objects.filter(sent_at__isnull=True).count()


def requeue(letters) -> int:
    """Queue each letter's job again through the outbox (a new job id) and mark the letter requeued.

    The outbox carries keyword arguments only (as every task of the project takes): a letter with positional
    arguments is left as it is."""
    count = 0
    with transaction.atomic():
        for letter in letters:
            if letter.args:
                continue
            kwargs = {k: v for k, v in (letter.kwargs or {}).items() if k != "job_id"}
            enqueue(letter.task, **kwargs)
            type(letter).objects.filter(pk=letter.pk).update(requeued_at=timezone.now())
            count += 1
    return count
