"""The store's writer on SQLite: check and write statement by statement, in the append's transaction.

Why this is enough: SQLite has a single writer, and Pacta's transactions on it begin IMMEDIATE (settings), so
no other writer runs between the statements of an append, and the head the store read was read in this same
transaction. There is no data-modifying WITH to fold them into one statement, and nothing to gain from
remembering the head between appends: the portable writer (persistence.Writer) is SQLite's as it is.

The append-only triggers refuse UPDATE and DELETE (SQLite has no TRUNCATE).
"""

from __future__ import annotations

from .persistence import Writer

INSTALL_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS pacta_event_no_update BEFORE UPDATE ON pacta_event
       BEGIN SELECT RAISE(ABORT, 'pacta_event is append-only: UPDATE is not allowed; record a correcting event instead'); END;""",
    """CREATE TRIGGER IF NOT EXISTS pacta_event_no_delete BEFORE DELETE ON pacta_event
       BEGIN SELECT RAISE(ABORT, 'pacta_event is append-only: DELETE is not allowed; record a correcting event instead'); END;""",
]

REMOVE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS pacta_event_no_update;",
    "DROP TRIGGER IF EXISTS pacta_event_no_delete;",
]


class SQLiteWriter(Writer):
    install_triggers = INSTALL_TRIGGERS
    remove_triggers = REMOVE_TRIGGERS


WRITER = SQLiteWriter()
