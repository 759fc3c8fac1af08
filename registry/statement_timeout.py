"""Every web request is bounded in time: a PostgreSQL statement timeout per request, and a clear 503 when it fires.

Anonymous requests get a short timeout (PACTA_ANON_STATEMENT_TIMEOUT_MS), logged-in staff a longer one
(PACTA_STAFF_STATEMENT_TIMEOUT_MS); 0 switches a limit off. The limit is set on each database connection the
request uses, just before its first statement (`SET statement_timeout`, which lasts for the connection's
session: every request sets its own again, unless the connection already carries that very limit from an
earlier request; registry.database says how, and SQLite has no such limit), so a request that reads nothing
opens no connection. Management commands and Celery workers never pass here and
keep the server's default.

A statement cut off by the timeout (SQLSTATE 57014, query_canceled) is answered with 503 and Retry-After:
JSON under /api/, a page in the site's layout elsewhere. API token holders are recognised after DRF has
authenticated them (agreements/api/authentication.py calls `widen_for_staff`).
"""

from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.shortcuts import render

from registry.database import backend

QUERY_CANCELED = "57014"
MESSAGE = "The registry took too long to answer this request and stopped it. Please try again in a moment."


@dataclass
class _Limit:
    milliseconds: int
    applied_on: set[str] = field(default_factory=set)  # connection aliases that already carry it


_current: contextvars.ContextVar[_Limit | None] = contextvars.ContextVar("pacta_statement_timeout", default=None)


def anonymous_ms() -> int:
    return int(getattr(settings, "PACTA_ANON_STATEMENT_TIMEOUT_MS", 0) or 0)


def staff_ms() -> int:
    return int(getattr(settings, "PACTA_STAFF_STATEMENT_TIMEOUT_MS", 0) or 0)


def widen_for_staff() -> None:
    """The request turned out to come from staff (e.g. an API token): its next statements get the staff limit."""
    limit = _current.get()
    if limit is not None and limit.milliseconds != staff_ms():
        limit.milliseconds = staff_ms()
        limit.applied_on.clear()


def _apply(execute, sql, params, many, context):
    limit = _current.get()
    connection = context["connection"]
    if limit is not None and connection.alias not in limit.applied_on:
        # On the driver's own cursor: a session setting, not one of the page's queries (query counts stay true).
        # Wrapped as Django wraps its own: a connection the server ended (a restart) raises Django's
        # OperationalError, an outage (503), and is marked for closing instead of serving the next request.
        # Where the backend has no such limit (SQLite), nothing is sent. A connection kept from an earlier
        # request that set the same limit outside a transaction still carries it (a SET inside one that rolls
        # back would not): the round trip is saved.
        session = connection.connection
        if getattr(session, "pacta_statement_timeout", None) != limit.milliseconds:
            with connection.wrap_database_errors:
                backend(connection).limit_statements(connection, context["cursor"].cursor, limit.milliseconds)
            carried = None if connection.in_atomic_block else limit.milliseconds
            try:
                session.pacta_statement_timeout = carried
            except AttributeError:  # a driver connection that takes no attribute: set it every time
                pass
        limit.applied_on.add(connection.alias)
    return execute(sql, params, many, context)


def is_timeout(exc: BaseException) -> bool:
    cause = exc
    while cause is not None:
        if getattr(cause, "sqlstate", None) == QUERY_CANCELED or getattr(cause, "pgcode", None) == QUERY_CANCELED:
            return True
        cause = cause.__cause__
    return False


def retry_after_seconds() -> int:
    return int(getattr(settings, "PACTA_TIMEOUT_RETRY_AFTER", 30))


def timeout_response(request):
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": MESSAGE, "code": "statement_timeout"}, status=503)
    else:
        response = render(
            request, "browser/message.html",
            {"heading": "This page took too long", "message": MESSAGE, "site_name": "Pacta",
             "page_title": "Took too long", "meta_description": MESSAGE},
            status=503,
        )
    response["Retry-After"] = str(retry_after_seconds())
    response["Cache-Control"] = "no-store"
    response.pacta_timed_out = True  # counted in pacta_http_timed_out_total (registry/ops/metrics.py)
    return response


class StatementTimeoutMiddleware:
    """Sets the request's statement timeout (after AuthenticationMiddleware) and answers one that fired."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        staff = bool(user is not None and user.is_authenticated)
        token = _current.set(_Limit(staff_ms() if staff else anonymous_ms()))
        try:
            with contextlib.ExitStack() as stack:
                for alias in connections:
                    stack.enter_context(connections[alias].execute_wrapper(_apply))
                return self.get_response(request)
        finally:
            _current.reset(token)

    def process_exception(self, request, exc):
        if is_timeout(exc):
            return timeout_response(request)
        return None
