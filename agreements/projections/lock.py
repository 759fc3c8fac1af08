"""The projections' lock: every write shares it, a rebuild takes it alone (PostgreSQL advisory lock).

A rebuild replaces every projection row in one transaction. A write projecting at the same time would
race it (a duplicate agreement row, a 500), so each write transaction takes this lock shared, and the
rebuild takes it exclusive: the rebuild waits for the writes in flight, then writers wait for it. A
writer waits at most PACTA_REBUILD_WAIT_SECONDS and is then refused with RebuildInProgress (a 503 with
Retry-After at the edges). On SQLite a write transaction holds the whole database, so its backend grants
both at once (registry.database: the lock is the backend's, the waiting and refusing are the projections').
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection

from registry.database import backend
from registry.outage import Unavailable

LOCK_KEY = 0x70616374_70726A  # "pact" "prj": the projections


class RebuildInProgress(Unavailable):
    def __init__(self, waited: float):
        super().__init__(
            f"The read models are being rebuilt (waited {waited:.0f} s); nothing was written: send the request "
            "again in a moment.",
            retry_after=5,
        )


def hold_for_writing() -> None:
    """Inside a write transaction: share the lock until it ends, or raise RebuildInProgress."""
    database = backend(connection)
    wait = float(getattr(settings, "PACTA_REBUILD_WAIT_SECONDS", 10))
    start = time.monotonic()
    # A try-lock also yields to a rebuild that is waiting, so a stream of writes cannot starve it.
    while not database.try_lock_shared(connection, LOCK_KEY):
        waited = time.monotonic() - start
        if waited >= wait:
            raise RebuildInProgress(waited)
        time.sleep(0.05)


class WritesInFlight(Exception):
    pass


def hold_for_rebuilding(timeout: float = 60) -> None:
    """Inside the rebuild's transaction: take the lock alone (queued, so writers arriving later wait behind it)."""
    if not backend(connection).lock_alone(connection, LOCK_KEY, timeout):
        raise WritesInFlight(f"Writes kept the projections busy for {timeout:.0f} s; try the rebuild again.")
