"""X-Request-ID: taken from the caller (a proxy or a client) or made here, and carried everywhere the request goes.

- `RequestIdMiddleware` (first in MIDDLEWARE) takes a well-formed `X-Request-ID` (1 to 128 characters of
  letters, digits and `-_.:/+=`), or makes a new one (32 hex digits) when there is none or it is malformed
  (a NUL, a newline, 10,000 characters: never echoed), and echoes it in the response's `X-Request-ID`.
- While the request runs, `current()` gives it: every log line carries it (`RequestIdFilter`), the events
  a command appends store it as their correlation id (agreements/services.py), and the outbox stores it
  with each job it enqueues; the relay sends it as the Celery task's `request_id` header, and a worker
  sets it again around the task (`bind_celery`), so the job's log lines carry the same id.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import re
import secrets

HEADER = "X-Request-ID"
META_NAME = "HTTP_X_REQUEST_ID"
CELERY_HEADER = "request_id"
_VALID = re.compile(r"[A-Za-z0-9\-_.:/+=]{1,128}")

_current: contextvars.ContextVar[str] = contextvars.ContextVar("pacta_request_id", default="")


def current() -> str:
    return _current.get()


def new() -> str:
    """32 random hex digits."""
    return secrets.token_hex(16)


def accept(value) -> str:
    """The caller's id if it is well formed, else a new one."""
    if isinstance(value, str) and _VALID.fullmatch(value):
        return value
    return new()


@contextlib.contextmanager
def bound(value: str):
    token = enter(value)
    try:
        yield value
    finally:
        leave(token)


def enter(value: str):
    """The request id is `value` until `leave(the token returned)`: `bound` without a context manager's cost, for
    the door that answers remembered revalidations (registry/revalidation.py)."""
    return _current.set(value or "")


def leave(token) -> None:
    _current.reset(token)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = accept(request.META.get(META_NAME))  # not request.headers: it parses every header
        request.request_id = request_id
        with bound(request_id):
            response = self.get_response(request)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (empty outside a request or a job) to every record."""

    def filter(self, record):
        if not getattr(record, "request_id", ""):
            record.request_id = current()
        return True


# ------------------------------------------------------------------------------------------------ Celery


def celery_headers() -> dict:
    value = current()
    return {CELERY_HEADER: value} if value else {}


def _task_prerun(task=None, **kwargs):
    value = getattr(task.request, CELERY_HEADER, None) if task is not None else None
    if value is None and task is not None:
        value = (task.request.headers or {}).get(CELERY_HEADER) if isinstance(task.request.headers, dict) else None
    task.request._pacta_request_token = _current.set(accept(value) if value else new())


def _task_postrun(task=None, **kwargs):
    token = getattr(task.request, "_pacta_request_token", None) if task is not None else None
    if token is not None:
        with contextlib.suppress(ValueError):
            _current.reset(token)


def bind_celery():
    """Connect the task signals (registry/celery.py): a job runs under the request id that enqueued it."""
    from celery import signals

    signals.task_prerun.connect(_task_prerun, weak=False, dispatch_uid="pacta-request-id-prerun")
    signals.task_postrun.connect(_task_postrun, weak=False, dispatch_uid="pacta-request-id-postrun")
