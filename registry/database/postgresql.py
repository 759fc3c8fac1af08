"""The PostgreSQL backend: many writers at once, a planner that reads statistics, and COPY.

- A statement timeout is a session setting (`SET statement_timeout`), sent on the driver's own cursor so
  that it is not counted among a page's queries.
- The planner plans from statistics that autovacuum's ANALYZE keeps; a deployment may run it late, so a load
  refreshes them itself (`refresh_statistics`), its tables shared out between two connections (ANALYZE is one
  core's work per table; a load's ANALYZE of the events and the clause versions took as long as a third of it).
- One snapshot for a whole transaction is REPEATABLE READ; READ ONLY says it writes nothing.
- Locks that are not rows: transaction-scoped advisory locks. A shared one is taken with a try-lock, which
  also yields to an exclusive request that is waiting, so a stream of writers cannot starve it.
- New rows go in with one COPY per table: what bulk_create stores, without building and sending an INSERT's
  parameters in Python. COPY returns no keys, so rows without a primary key take theirs from the table's
  sequence first, in one query. Rows given as tuples of values (`insert_values`) skip the model instances
  too: building one costs more than sending its row. A bulk load takes its records' keys (`take_keys`) and
  formats its rows as COPY text (`values_ahead`, psycopg's own formatting, no server) in the thread that prepares
  the next batch, so the thread that writes only sends them.
- The search's GIN indexes take each new row at once (`fastupdate = off`, agreements migration 0012: no
  search reads a pending list). Row by row, a large load's index entries cost more than its rows (13,962
  clause rows: 5.2-7.6 s with them, 2.4 s without, measured). So a large load defers that upkeep
  (`defer_index_upkeep`): the indexes gather new rows in their pending list, which each batch empties into
  the index itself (`gin_clean_pending_list`, the entries merged key by key) before it commits; afterwards
  (`restore_index_upkeep`) they take each row at once again. Committed, an index's pending list is never
  longer than what one batch or a concurrent writer added since; readers see the same rows all along (a GIN
  scan reads the pending list too). Turning `fastupdate` on or off takes the index's ACCESS EXCLUSIVE lock
  for an instant: where a reader holds the table longer than DEFER_LOCK_SECONDS, the load keeps the
  row-by-row upkeep rather than hold readers up.
"""

from __future__ import annotations

import json
from functools import partial
from operator import attrgetter

import logging
import threading
import time
from contextlib import contextmanager

from django.db import OperationalError, models, transaction
from django.db.models.fields import AutoFieldMixin

from . import Backend

logger = logging.getLogger(__name__)

# How many connections share the tables a load's ANALYZE refreshes (each ANALYZE runs on one core).
ANALYZE_CONNECTIONS = 2
DEFER_LOCK_SECONDS = 2  # the longest a load waits for an index's lock to defer or restore its upkeep
RESTORE_ATTEMPTS = 30  # restoring waits this many times DEFER_LOCK_SECONDS at most before it gives up (logged)
# A batch's pending list is emptied at its end only: large enough for any batch (memory is only used when it
# is emptied, bounded by maintenance_work_mem).
DEFERRED_PENDING_LIMIT = "1GB"

_GIN_AT_ONCE = """
SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
  JOIN pg_am am ON am.oid = c.relam
 WHERE am.amname = 'gin' AND t.relnamespace = current_schema()::regnamespace AND 'fastupdate=off' = ANY(c.reloptions)
 ORDER BY c.relname
"""

# Columns whose Python value psycopg writes as Django would store it (a DateTimeField's value is an aware
# datetime, as every read model's is); any other goes through the field.
_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BigIntegerField, models.BooleanField,
          models.DateField, models.DateTimeField, models.UUIDField, models.PositiveIntegerField,
          models.PositiveSmallIntegerField)


class PostgreSQL(Backend):
    name = "postgresql"
    writes_beside_reads = True

    def limit_statements(self, connection, cursor, milliseconds):
        cursor.execute(f"SET statement_timeout = {int(milliseconds)}")
        return True

    def refresh_statistics(self, connection, tables):
        tables = list(tables)
        if connection.in_atomic_block or len(tables) < 2:  # a caller's rows are seen by its connection only
            _analyze(connection, tables)
            return tables
        # ANALYZE reads a sample of each table and sorts it on one core: the tables are shared out, largest
        # first, between this connection and ANALYZE_CONNECTIONS - 1 others, one each in a thread.
        with connection.cursor() as cursor:
            cursor.execute("SELECT t, COALESCE(pg_relation_size(to_regclass(t)), 0) FROM unnest(%s::text[]) AS t",
                           [tables])
            sizes = dict(cursor.fetchall())
        shares = [[] for _ in range(ANALYZE_CONNECTIONS)]
        loads = [0] * ANALYZE_CONNECTIONS
        for table in sorted(tables, key=lambda t: -sizes.get(t, 0)):
            least = loads.index(min(loads))
            shares[least].append(table)
            loads[least] += sizes.get(table, 0)
        errors = []
        threads = [threading.Thread(target=_analyze_beside, args=(connection.alias, share, errors))
                   for share in shares[1:] if share]
        for thread in threads:
            thread.start()
        try:
            _analyze(connection, shares[0])
        finally:
            for thread in threads:
                thread.join()
        if errors:
            raise errors[0]
        return tables

    def defer_index_upkeep(self, connection):
        quote = connection.ops.quote_name
        try:
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{DEFER_LOCK_SECONDS * 1000}ms"])
                cursor.execute(_GIN_AT_ONCE)
                indexes = [name for (name,) in cursor.fetchall()]
                for name in indexes:
                    cursor.execute(f"ALTER INDEX {quote(name)} SET (fastupdate = on)")
        except OperationalError:  # a reader held a table too long: row by row, as before
            return []
        return indexes

    @contextmanager
    def upkeep_deferred(self, connection, indexes):
        if not indexes:
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('gin_pending_list_limit', %s, true)", [DEFERRED_PENDING_LIMIT])
        yield
        with connection.cursor() as cursor:
            for name in indexes:
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [connection.ops.quote_name(name)])

    def restore_index_upkeep(self, connection, indexes):
        if not indexes:
            return
        quote = connection.ops.quote_name
        for attempt in range(RESTORE_ATTEMPTS):
            try:
                with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{DEFER_LOCK_SECONDS * 1000}ms"])
                    for name in indexes:
                        cursor.execute(f"ALTER INDEX {quote(name)} SET (fastupdate = off)")
                        # What concurrent writers added since the last batch: off does not empty the list.
                        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [quote(name)])
                return
            except OperationalError:
                time.sleep(0.1)
        logger.warning("the search indexes %s still gather new rows in a pending list (readers held them): "
                       "set fastupdate = off on them, or run another bulk load", ", ".join(indexes))

    def read_one_snapshot(self, connection):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")

    def try_lock_shared(self, connection, key):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock_shared(%s)", [key])
            return bool(cursor.fetchone()[0])

    def lock_alone(self, connection, key, timeout):
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{int(timeout * 1000)}ms"])
            try:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
            except OperationalError:
                return False
            cursor.execute("SELECT set_config('lock_timeout', '0', true)")
        return True

    def insert_new_rows(self, connection, model, objs, keys=False):
        if not objs:
            return
        if keys and objs[0].pk is None:
            _take_ids(connection, model, objs)
        # Without keys, the table's sequence gives each row its own as COPY stores it.
        fields = [f for f in model._meta.concrete_fields if not (isinstance(f, AutoFieldMixin) and objs[0].pk is None)]
        columns = []
        for f in fields:
            if f.is_relation:
                columns.append(partial(_related_key, f))
            elif isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add):
                columns.append(partial(_prepared, connection, f))  # the field sets its own value
            elif isinstance(f, _PLAIN):
                columns.append(attrgetter(f.attname))
            elif isinstance(f, models.JSONField):
                columns.append(partial(_json_text, f))
            else:
                columns.append(partial(_prepared, connection, f))
        quote = connection.ops.quote_name
        names = ", ".join(quote(f.column) for f in fields)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy:
                for obj in objs:
                    copy.write_row([column(obj) for column in columns])
        for obj in objs:
            obj._state.adding, obj._state.db = False, connection.alias


    def take_keys(self, connection, model, objs):
        if objs:
            _take_ids(connection, model, objs)
        return True

    def values_ahead(self, connection, fields, rows):
        if not rows:
            return _CopyText(b"")
        import io

        from psycopg.copy import Copy, FileWriter

        out = io.BytesIO()
        connection.ensure_connection()
        with connection.connection.cursor() as cursor, Copy(cursor, writer=FileWriter(out)) as copy:
            _write_rows(connection, copy, fields, rows)
        return _CopyText(out.getvalue())

    def insert_values(self, connection, table, fields, rows):
        if not rows:
            return
        quote = connection.ops.quote_name
        names = ", ".join(quote(f.column) for f in fields)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                if isinstance(rows, _CopyText):
                    copy.write(rows)
                else:
                    _write_rows(connection, copy, fields, rows)


class _CopyText(bytes):
    """Rows formatted ahead as COPY's text (`values_ahead`): `insert_values` sends them as they are."""


def _write_rows(connection, copy, fields, rows) -> None:
    """`rows` (tuples of values of `fields`) into `copy`, each value as Django would store it."""
    converters = [_converter(connection, f) for f in fields]
    if all(c is None for c in converters):
        for row in rows:
            copy.write_row(row)
    else:
        for row in rows:
            copy.write_row([value if convert is None or value is None else convert(value)
                            for convert, value in zip(converters, row)])


def _analyze(connection, tables) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _analyze_beside(alias, tables, errors) -> None:
    """ANALYZE `tables` on this thread's own connection to the database `alias`, closed when done."""
    from django.db import connections

    try:
        _analyze(connections[alias], tables)
    except Exception as exc:  # raised in the calling thread
        errors.append(exc)
    finally:
        connections[alias].close()


def _converter(connection, field):
    """How a Python value of `field` goes into COPY: None where psycopg writes it as it is."""
    if field.is_relation or isinstance(field, _PLAIN):
        return None
    if isinstance(field, models.JSONField):
        return partial(json.dumps, cls=field.encoder)
    return partial(field.get_db_prep_save, connection=connection)


def _take_ids(connection, model, objs) -> None:
    """Primary keys for new rows from the table's own sequence (COPY returns none), in one query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [model._meta.db_table, model._meta.pk.column, len(objs)])
        for obj, (pk,) in zip(objs, cursor.fetchall()):
            obj.pk = pk


def _related_key(field, obj):
    """The related row's key: it may have got one (`_take_ids`) after this row was built around it."""
    related = field.get_cached_value(obj, None)
    return related.pk if related is not None else getattr(obj, field.attname)


def _json_text(field, obj):
    """A JSON column's value as text (COPY's text format takes it as it is); None stays SQL NULL, as Django
    stores it."""
    value = getattr(obj, field.attname)
    return None if value is None else json.dumps(value, cls=field.encoder)


def _prepared(connection, field, obj):
    return field.get_db_prep_save(field.pre_save(obj, True), connection)


BACKEND = PostgreSQL()
