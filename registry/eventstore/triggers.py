"""Immutability triggers on the events table: installed and removed through the store's writer of the database.

Each database's triggers are written beside its writer (postgres.py: ENABLE ALWAYS, and TRUNCATE refused too;
sqlite.py: UPDATE and DELETE refused). Django's flush (DELETE on SQLite, TRUNCATE on PostgreSQL) is therefore
refused too: the test suite drops the triggers around its flush (tests/conftest.py) and puts them back at once.
"""

from .persistence import writer


def install(connection):
    with connection.cursor() as cursor:
        for sql in writer(connection).install_triggers:
            cursor.execute(sql)


def remove(connection):
    with connection.cursor() as cursor:
        for sql in writer(connection).remove_triggers:
            cursor.execute(sql)
