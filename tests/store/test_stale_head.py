"""On PostgreSQL a connection links its next append to the head its last one left; when another writer moved the
head since, the store locks the head and links again at once: asking why the write was refused (a stream moved
on? ids stored already?) is left to a write refused under the lock (registry/eventstore/store.py)."""

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from registry.eventstore import store
from registry.eventstore.store import ConcurrencyConflict, NewEvent


def noted(n):
    return [NewEvent(type="Noted", payload={"n": n})]


def elsewhere(fn):
    """`fn` on another connection (another thread), as another writer would."""
    thread = threading.Thread(target=lambda: (fn(), connection.close()))
    thread.start()
    thread.join()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_head_moved_by_another_writer_is_locked_at_once_without_asking_why():
    store.append("stale:a", 0, noted(1))  # this connection remembers the head it left
    elsewhere(lambda: store.append("stale:b", 0, noted(2)))
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        [recorded] = store.append("stale:a", 1, noted(3))
    assert [q["sql"].split()[0] for q in queries.captured_queries if "pacta_event" in q["sql"]] == ["SELECT"]
    assert "FOR UPDATE" in next(q["sql"] for q in queries.captured_queries if "pacta_event" in q["sql"])
    assert recorded.position == store.last_position() and recorded.stream_version == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_stream_moved_by_another_writer_is_still_refused_and_stores_nothing():
    store.append("stale:c", 0, noted(1))
    elsewhere(lambda: store.append("stale:c", 1, noted(2)))
    head = store.last_position()
    with pytest.raises(ConcurrencyConflict), transaction.atomic():
        store.append("stale:c", 1, noted(3))
    assert store.last_position() == head and store.current_version("stale:c") == 2
