"""When a dependency is down or busy, the answer is a 503 with Retry-After, never a 500 (one place for every edge).

`outage(exc)` says whether an exception means "try again later" (the database unreachable, locked or out of
time, the broker or the cache unreachable, or a `Unavailable` raised on purpose, e.g. during a projection
rebuild) and with what message and delay. The API's exception handler and the site's error views
(registry/error_views.py) both ask it, so an outage is a JSON 503 on /api/ and a 503 page elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import InterfaceError, OperationalError


class Unavailable(Exception):
    """Raise to answer 503: the request is fine, the service cannot take it right now."""

    def __init__(self, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


@dataclass(frozen=True)
class Outage:
    message: str
    retry_after: int
    code: str = "unavailable"  # the API's 503 body carries it: statement_timeout, database_unavailable...


def _broker_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = []
    try:
        from kombu.exceptions import OperationalError as KombuOperationalError

        errors.append(KombuOperationalError)
    except ImportError:  # pragma: no cover - kombu is a runtime requirement
        pass
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError as RedisTimeoutError

        errors += [RedisConnectionError, RedisTimeoutError]
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


def outage(exc: BaseException) -> Outage | None:
    """The 503 an exception calls for, or None when it is a plain error (a bug: 500)."""
    retry = int(getattr(settings, "PACTA_RETRY_AFTER_SECONDS", 30))
    from registry import statement_timeout

    if isinstance(exc, Unavailable):
        return Outage(exc.message, exc.retry_after or retry)
    if statement_timeout.is_timeout(exc):
        return Outage(statement_timeout.MESSAGE, statement_timeout.retry_after_seconds(), "statement_timeout")
    if isinstance(exc, (OperationalError, InterfaceError)):
        return Outage("The database is unavailable or busy; try again shortly.", retry, "database_unavailable")
    if isinstance(exc, _broker_errors()):
        return Outage("A backing service (Redis) is unavailable; try again shortly.", retry, "broker_unavailable")
    return None
