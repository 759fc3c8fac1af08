"""What differs between the two databases Pacta runs on, PostgreSQL and SQLite, behind one small interface.

Why: a `connection.vendor == "postgresql"` test inside a function hides a second implementation in the
first, and every such function grows its own. Instead each backend is one module (postgresql.py, sqlite.py)
holding one object of the `Backend` interface below, and `backend(connection)` picks it: by the connection's
vendor, at its first use, here and nowhere else, and keeps it for that database alias. Callers ask the object
for what they need (a statement timeout, fresh planner statistics, a lock shared by writers, new rows written
fast) and never learn which database answers. In the manner of the `eventsourcing` library, which keeps its
recorder interface in persistence.py and one module per database beside it.

The event store's own writers follow the same shape in registry/eventstore (persistence.py, postgres.py,
sqlite.py). This package knows nothing of the agreements or of the store: the primitives are generic.
"""

from __future__ import annotations

import contextlib
from importlib import import_module
from typing import Sequence

# Each vendor Django names, and the module of this package that speaks to it.
MODULES = {"postgresql": "postgresql", "sqlite": "sqlite"}

_chosen: dict[str, "Backend"] = {}  # database alias -> its backend, chosen at the alias's first use


class Backend:
    """The interface every backend module implements (one instance each, named BACKEND)."""

    name = ""
    # Whether one connection may write a large load's batch while another of the same process reads and takes
    # keys for the next (agreements.services.handle_bulk's writer thread). SQLite's single writer holds the
    # whole database (an in-memory one even from readers): there the batches are written in the loading thread.
    writes_beside_reads = False

    def limit_statements(self, connection, cursor, milliseconds: int) -> bool:
        """Bound every later statement of the connection's session to `milliseconds` on the driver's `cursor`;
        False where the database has no such limit."""
        raise NotImplementedError

    def refresh_statistics(self, connection, tables: Sequence[str]) -> list[str]:
        """Refresh the planner's statistics of `tables`; returns those refreshed (none where nothing is needed)."""
        raise NotImplementedError

    def read_one_snapshot(self, connection) -> None:
        """At the start of a transaction: every read in it sees the same committed state, and it writes nothing."""
        raise NotImplementedError

    def try_lock_shared(self, connection, key: int) -> bool:
        """Inside a write transaction: take the lock `key` shared until the transaction ends, without waiting."""
        raise NotImplementedError

    def lock_alone(self, connection, key: int, timeout: float) -> bool:
        """Inside a transaction: take the lock `key` exclusively until it ends, waiting up to `timeout` seconds;
        False if it could not be had in time."""
        raise NotImplementedError

    def insert_new_rows(self, connection, model, objs: list, keys: bool = False) -> None:
        """Store `objs` (unsaved instances of `model`) as new rows, fast; with `keys`, each instance gets its
        primary key (other rows about to be stored refer to it)."""
        raise NotImplementedError

    def insert_values(self, connection, table: str, fields: Sequence, rows: Sequence[tuple]) -> None:
        """Store new rows of `table` given as tuples of Python values, one per field of `fields` (Django model
        fields, in that order; a relation's value is the related key): what `insert_new_rows` stores, without
        a model instance per row. `rows` may also be what `values_ahead` made of them."""
        raise NotImplementedError

    def take_keys(self, connection, model, objs: list) -> bool:
        """Give `objs` (unsaved instances of `model` without a primary key) their keys ahead of the insert that
        stores them, so that rows referring to them can be made ready before it (`values_ahead`); False where keys
        come only with the insert (nothing is done)."""
        return False

    def values_ahead(self, connection, fields: Sequence, rows: Sequence[tuple]):
        """`rows` for `insert_values` made ready ahead of the transaction that stores them (a bulk load builds
        batch k+1's while batch k is written), in whatever form `insert_values` then stores fastest; by default
        the rows as they are."""
        return rows

    def defer_index_upkeep(self, connection) -> list[str]:
        """Outside any transaction, before a large load: let the indexes that take each new row at once
        gather the load's rows instead, each batch's caught up before it commits (`upkeep_deferred`); the
        indexes so deferred, for `restore_index_upkeep` ([] where the backend has none, or could not)."""
        return []

    def upkeep_deferred(self, connection, indexes: Sequence[str]):
        """Inside a batch's transaction, around its writes: a context in which `indexes` (deferred) gather the
        rows written, caught up with them at its end, before the batch commits."""
        return contextlib.nullcontext()

    def restore_index_upkeep(self, connection, indexes: Sequence[str]) -> None:
        """After the load (whatever its end): `indexes` take each new row at once again, nothing left
        gathered."""


def backend(connection) -> Backend:
    """The backend of `connection`, chosen by its vendor at the first call for its alias."""
    try:
        return _chosen[connection.alias]
    except KeyError:
        pass
    module = MODULES.get(connection.vendor)
    if module is None:
        raise NotImplementedError(f"Pacta runs on PostgreSQL or SQLite, not on {connection.vendor!r}.")
    chosen = _chosen[connection.alias] = import_module(f"{__name__}.{module}").BACKEND
    return chosen
