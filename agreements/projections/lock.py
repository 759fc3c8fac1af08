"""The projections' lock: every write shares it, a rebuild takes it alone (PostgreSQL advisory lock).

A rebuild replaces every projection row in one transaction. A write projecting at the same time would
race it (a duplicate agreement row, a 500), so each write transaction takes this lock shared, and the
rebuild takes it exclusive: the rebuild waits for the writes in flight, then writers wait for it. A
writer waits at most PACTA_REBUILD_WAIT_SECONDS and is then refused with RebuildInProgress (a 503 with
Retry-After at the edges). On SQLite a write transaction holds the whole database, so nothing is needed.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db import OperationalError, connection

from registry.outage import Unavailable

LOCK_KEY = 0x70616374_70726A  # "pact" "prj": the projections


class RebuildInProgress(Unavailable):
    def __init__(self, waited: float):
        super().__init__(
            f"The read models are being rebuilt (waited {waited:.0f} s); nothing was written: send the request "
            "again in a moment.",
            retry_after=5,
        )


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def hold_for_writing() -> None:
    """Inside a write transaction: share the lock until it ends, or raise RebuildInProgress."""
    if not _postgres():
        return
    wait = float(getattr(settings, "PACTA_REBUILD_WAIT_SECONDS", 10))
    start = time.monotonic()
    with connection.cursor() as cursor:
        while True:
            # A try-lock also yields to a rebuild that is waiting, so a stream of writes cannot starve it.
            cursor.execute("SELECT pg_try_advisory_xact_lock_shared(%s)", [LOCK_KEY])
            if cursor.fetchone()[0]:
                return
            waited = time.monotonic() - start
            if waited >= wait:
                raise RebuildInProgress(waited)
            time.sleep(0.05)


class WritesInFlight(Exception):
    pass


def hold_for_rebuilding(timeout: float = 60) -> None:
    """Inside the rebuild's transaction: take the lock alone (queued, so writers arriving later wait behind it)."""
    if not _postgres():
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{int(timeout * 1000)}ms"])
        try:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        except OperationalError as exc:
            raise WritesInFlight(f"Writes kept the projections busy for {timeout:.0f} s; try the rebuild again.") from exc
        cursor.execute("SELECT set_config('lock_timeout', '0', true)")
