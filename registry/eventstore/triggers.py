"""Immutability triggers on the events table, for PostgreSQL and SQLite.

On PostgreSQL the triggers are ENABLE ALWAYS, so `session_replication_role = replica` does not bypass them,
and a statement-level trigger refuses TRUNCATE (row triggers never see it). Django's flush (DELETE on SQLite,
TRUNCATE on PostgreSQL) is therefore refused too: the test suite drops the triggers around its flush
(tests/conftest.py) and puts them back at once.
"""

POSTGRES_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION pacta_event_immutable() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'pacta_event is append-only: % is not allowed; record a correcting event instead', TG_OP
            USING ERRCODE = 'restrict_violation';
    END;
    $$ LANGUAGE plpgsql;
    """,
    "DROP TRIGGER IF EXISTS pacta_event_no_update ON pacta_event;",
    "DROP TRIGGER IF EXISTS pacta_event_no_delete ON pacta_event;",
    "DROP TRIGGER IF EXISTS pacta_event_no_truncate ON pacta_event;",
    """CREATE TRIGGER pacta_event_no_update BEFORE UPDATE ON pacta_event
       FOR EACH ROW EXECUTE FUNCTION pacta_event_immutable();""",
    """CREATE TRIGGER pacta_event_no_delete BEFORE DELETE ON pacta_event
       FOR EACH ROW EXECUTE FUNCTION pacta_event_immutable();""",
    """CREATE TRIGGER pacta_event_no_truncate BEFORE TRUNCATE ON pacta_event
       FOR EACH STATEMENT EXECUTE FUNCTION pacta_event_immutable();""",
    "ALTER TABLE pacta_event ENABLE ALWAYS TRIGGER pacta_event_no_update;",
    "ALTER TABLE pacta_event ENABLE ALWAYS TRIGGER pacta_event_no_delete;",
    "ALTER TABLE pacta_event ENABLE ALWAYS TRIGGER pacta_event_no_truncate;",
]

POSTGRES_REMOVE = [
    "DROP TRIGGER IF EXISTS pacta_event_no_truncate ON pacta_event;",
    "DROP TRIGGER IF EXISTS pacta_event_no_update ON pacta_event;",
    "DROP TRIGGER IF EXISTS pacta_event_no_delete ON pacta_event;",
    "DROP FUNCTION IF EXISTS pacta_event_immutable();",
]

SQLITE_INSTALL = [
    """CREATE TRIGGER IF NOT EXISTS pacta_event_no_update BEFORE UPDATE ON pacta_event
       BEGIN SELECT RAISE(ABORT, 'pacta_event is append-only: UPDATE is not allowed; record a correcting event instead'); END;""",
    """CREATE TRIGGER IF NOT EXISTS pacta_event_no_delete BEFORE DELETE ON pacta_event
       BEGIN SELECT RAISE(ABORT, 'pacta_event is append-only: DELETE is not allowed; record a correcting event instead'); END;""",
]

SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS pacta_event_no_update;",
    "DROP TRIGGER IF EXISTS pacta_event_no_delete;",
]


def statements(vendor: str, install: bool = True) -> list[str]:
    if vendor == "postgresql":
        return POSTGRES_INSTALL if install else POSTGRES_REMOVE
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_REMOVE
    raise NotImplementedError(f"No immutability triggers for database vendor {vendor!r}.")


def install(connection):
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor, True):
            cursor.execute(sql)


def remove(connection):
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor, False):
            cursor.execute(sql)
