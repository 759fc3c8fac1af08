"""Read replicas: the public's reads go to PostgreSQL streaming replicas, everything else to the primary.

`DATABASE_REPLICA_URLS` (comma-separated) names the replicas; settings add them as the database aliases
`replica_1`, `replica_2`… (`replica_aliases`). Per request, `ReplicaReadsMiddleware` picks one replica for an
anonymous GET or HEAD outside the admin, and `ReplicaRouter` sends that request's reads there. Writes, the
reads of logged-in staff (an archivist reads what they just wrote), the admin, sessions, users and tokens,
and everything outside a web request (commands, Celery) use the primary.

A replica may lag behind the primary by a moment. A page read from a replica says which feed position it
reflects (`X-Pacta-Position`, and the browser's footer): the same reading as `/api/v1/events/?after=` up to
that position. Nothing is retried on the primary: the reader sees a consistent, slightly older registry.
"""

from __future__ import annotations

import contextvars
import random

import dj_database_url
from django.db import connections

REPLICA_PREFIX = "replica_"
# Read from the primary whatever the request: who is logged in, and their sessions and tokens.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "authtoken", "admin"})
POSITION_HEADER = "X-Pacta-Position"

_reader: contextvars.ContextVar[str | None] = contextvars.ContextVar("pacta_replica_reader", default=None)


def replica_databases(urls: list[str], conn_max_age: int = 60) -> dict[str, dict]:
    """Database settings for each replica URL; test runs treat them as mirrors of the primary."""
    databases = {}
    for number, url in enumerate(urls, start=1):
        config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
        config["TEST"] = {"MIRROR": "default"}
        databases[f"{REPLICA_PREFIX}{number}"] = config
    return databases


def replica_aliases() -> list[str]:
    return [alias for alias in connections if alias.startswith(REPLICA_PREFIX)]


def use_primary() -> None:
    """From now on this request reads from the primary (e.g. it turned out to come from staff)."""
    _reader.set(None)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        reader = _reader.get()
        if reader is None or model._meta.app_label in PRIMARY_ONLY_APPS:
            return "default"
        return reader

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas are copies of the primary: every object is in both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # a replica takes its schema from the primary's WAL


def reflected_position() -> int | None:
    """The last feed position the request's replica holds (None when the request reads from the primary)."""
    if _reader.get() is None:
        return None
    from registry.eventstore.models import StoredEvent

    return StoredEvent.objects.order_by("-position").values_list("position", flat=True).first() or 0


def position_context(request):
    """Template context: `read_copy_position` on pages read from a replica (the footer names it)."""
    if _reader.get() is None:
        return {}
    request.pacta_position = reflected_position()
    return {"read_copy_position": request.pacta_position}


# The operators' addresses (registry/ops) describe the primary and must stay cheap: never routed to a replica.
OPERATOR_PATHS = ("/healthz", "/readyz", "/metrics")


def public_read(request) -> bool:
    if request.method not in ("GET", "HEAD") or request.path.startswith("/admin/") or request.path in OPERATOR_PATHS:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class ReplicaReadsMiddleware:
    """Routes an anonymous read to one replica for the whole request (after AuthenticationMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.aliases = replica_aliases()

    def __call__(self, request):
        if not self.aliases or not public_read(request):
            return self.get_response(request)
        token = _reader.set(random.choice(self.aliases))
        try:
            response = self.get_response(request)
            if _reader.get() is not None and response.status_code < 500:
                position = getattr(request, "pacta_position", None)
                response[POSITION_HEADER] = str(reflected_position() if position is None else position)
            return response
        finally:
            _reader.reset(token)
