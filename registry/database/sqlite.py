"""The SQLite backend: one writer at a time, so most of what PostgreSQL needs is already true here.

A write transaction begins IMMEDIATE (settings) and holds the whole database until it ends: it needs no lock
of its own against another writer, and every read in a transaction sees one state. The planner needs no
refresh after a load, and there is no per-statement time limit. New rows go in with Django's bulk_create, or one executemany
of rows given as values.
"""

from __future__ import annotations

from . import Backend

BATCH_SIZE = 1000


class SQLite(Backend):
    name = "sqlite"

    def limit_statements(self, connection, cursor, milliseconds):
        return False

    def refresh_statistics(self, connection, tables):
        return []

    def read_one_snapshot(self, connection):
        return None  # the transaction already holds the database

    def try_lock_shared(self, connection, key):
        return True  # the write transaction holds the whole database

    def lock_alone(self, connection, key, timeout):
        return True

    def insert_new_rows(self, connection, model, objs, keys=False):
        # SQLite hands back the new keys (RETURNING): every row gets its own, asked or not.
        model.objects.using(connection.alias).bulk_create(objs, batch_size=BATCH_SIZE)

    def insert_values(self, connection, table, fields, rows):
        if not rows:
            return
        quote = connection.ops.quote_name
        names = ", ".join(quote(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        prepare = [field.get_db_prep_save for field in fields]
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",
                               [[value if value is None else save(value, connection) for save, value in zip(prepare, row)]
                                for row in rows])


BACKEND = SQLite()
