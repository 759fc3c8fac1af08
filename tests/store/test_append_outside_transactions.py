"""On PostgreSQL, an append outside any transaction is one statement, a transaction of its own."""

import threading

import pytest
from django.db import connection

from registry.eventstore import chain, store
from registry.eventstore.models import StoredEvent
from registry.eventstore.store import ConcurrencyConflict, DuplicateEvents, NewEvent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def events(n):
    return [NewEvent(type="Noted", payload={"n": i}) for i in range(n)]


def in_another_connection(work):
    """Run `work` on a thread, hence on a connection of its own; return what it returned."""
    result = []

    def run():
        try:
            result.append(work())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0]


def test_an_append_outside_any_transaction_is_committed_when_it_returns():
    store.append("bare:warm", 0, events(1))  # the connection now knows the head: the one-statement way
    store.append("bare:a", 0, events(2))
    assert in_another_connection(lambda: StoredEvent.objects.filter(stream_id="bare:a").count()) == 2


def test_an_append_outside_any_transaction_follows_a_head_another_connection_moved():
    start = store.head()
    store.append("bare:mine", 0, events(1))
    in_another_connection(lambda: store.append("bare:theirs", 0, events(3)))
    store.append("bare:mine", 1, events(2))  # the head this connection remembers is stale now
    rows = list(StoredEvent.objects.filter(position__gt=start.position).order_by("position"))
    assert [r.position for r in rows] == list(range(start.position + 1, start.position + 7))
    assert [p for p, _ in chain.verify(rows, start.hash, start.position)] == [r.position for r in rows]


def test_a_stale_version_outside_any_transaction_is_a_conflict_and_stores_nothing():
    store.append("bare:c", 0, events(1))
    before = store.head()
    with pytest.raises(ConcurrencyConflict):
        store.append("bare:c", 0, events(1))
    assert store.head() == before


def test_a_retry_outside_any_transaction_returns_the_stored_events():
    batch = events(2)
    first = store.append("bare:r", 0, batch)
    assert store.append("bare:r", 0, batch) == first
    with pytest.raises(DuplicateEvents):
        store.append("bare:r", 2, [batch[0], NewEvent(type="Noted", payload={})])
    assert StoredEvent.objects.filter(stream_id="bare:r").count() == 2
