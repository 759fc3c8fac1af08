"""Planner statistics after a large load: when to refresh them, whichever database backend does it.

PostgreSQL plans from statistics that autovacuum's ANALYZE keeps; a deployment may run it late (or, as on
some machines, not at all), and a table that grew from a few hundred rows to a hundred thousand in one load is
then planned as if it were still small: an as-of read measured 4 to 5 times slower on such a table than after
ANALYZE. A bulk load (agreements.services.handle_bulk) and the benchmarks that build data before timing call
`refresh(tables)` when they are done. How is the backend's (registry.database: ANALYZE on PostgreSQL); SQLite's
planner needs no such step here.
"""

from __future__ import annotations

from typing import Iterable

from django.db import connections

from registry.database import backend


def refresh(tables: Iterable[str], using: str = "default") -> list[str]:
    """Refresh the planner's statistics of `tables`; returns the tables refreshed (none where the backend
    has nothing to do)."""
    connection = connections[using]
    tables = sorted(set(tables))
    if not tables:
        return []
    return backend(connection).refresh_statistics(connection, tables)
