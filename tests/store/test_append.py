"""The event store: optimistic concurrency, idempotent appends, immutable rows, upcasting on read."""

import uuid
from unittest import mock

import pytest
from django.db import DatabaseError, connection, transaction

from registry.eventstore import store, upcasting
from registry.eventstore.models import StoredEvent
from registry.eventstore.store import ConcurrencyConflict, DuplicateEvents, NewEvent

pytestmark = pytest.mark.django_db


def events(n, type_="Noted"):
    return [NewEvent(type=type_, payload={"n": i}) for i in range(n)]


def test_append_numbers_stream_versions_from_the_expected_version():
    first = store.append("test:a", 0, events(2))
    second = store.append("test:a", 2, events(3))
    assert [r.stream_version for r in first + second] == [1, 2, 3, 4, 5]
    assert [r.payload["n"] for r in store.read_stream("test:a")] == [0, 1, 0, 1, 2]


def test_global_positions_are_consecutive_across_streams():
    start = store.last_position()
    store.append("test:a", 0, events(2))
    store.append("test:b", 0, events(3))
    positions = [r.position for r in store.read_all(after_position=start)]
    assert positions == list(range(start + 1, start + 6))


def test_stale_expected_version_is_a_conflict_and_stores_nothing():
    store.append("test:a", 0, events(1))
    before = StoredEvent.objects.count()
    with pytest.raises(ConcurrencyConflict) as err:
        store.append("test:a", 0, events(2))
    assert (err.value.expected, err.value.actual) == (0, 1)
    assert StoredEvent.objects.count() == before


def test_expected_version_ahead_of_the_stream_is_a_conflict():
    with pytest.raises(ConcurrencyConflict):
        store.append("test:new", 3, events(1))


def test_append_retried_with_the_same_event_ids_is_idempotent():
    batch = events(3)
    first = store.append("test:a", 0, batch)
    again = store.append("test:a", 0, batch)
    assert [r.position for r in again] == [r.position for r in first]
    assert StoredEvent.objects.filter(stream_id="test:a").count() == 3


def test_half_repeated_append_is_refused():
    batch = events(2)
    store.append("test:a", 0, batch)
    with pytest.raises(DuplicateEvents):
        store.append("test:a", 2, [batch[0], NewEvent(type="Noted", payload={})])


def test_record_time_strictly_increases_from_one_append_to_the_next():
    start = store.last_position()
    for i in range(20):
        store.append(f"test:{i}", 0, events(2))
    stamps = [r.recorded_at for r in store.read_all(after_position=start)]
    per_append = stamps[::2]
    assert stamps[1::2] == per_append, "the events of one append share its record time"
    assert all(a < b for a, b in zip(per_append, per_append[1:]))


def test_record_time_moves_forward_even_when_the_clock_steps_back():
    import datetime as dt

    from django.utils import timezone

    store.append("test:a", 0, events(1))
    with mock.patch.object(timezone, "now", return_value=timezone.now() - dt.timedelta(days=1)):
        store.append("test:b", 0, events(1))
    a, b = store.read_stream("test:a")[0], store.read_stream("test:b")[0]
    assert b.recorded_at > a.recorded_at


def test_metadata_is_kept():
    [rec] = store.append("test:a", 0, [NewEvent(type="Noted", payload={}, effective="2010-08-16")],
                         actor="archie", causation_id="cmd-1", correlation_id="req-9")
    stored = StoredEvent.objects.get(event_id=rec.event_id)
    assert (stored.effective, stored.actor, stored.causation_id, stored.correlation_id) == (
        "2010-08-16", "archie", "cmd-1", "req-9")


def _raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_update_of_an_event_is_rejected_by_the_database():
    store.append("test:a", 0, events(1))
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("UPDATE pacta_event SET type = 'Forged'")
    assert not StoredEvent.objects.filter(type="Forged").exists()


def test_delete_of_an_event_is_rejected_by_the_database():
    store.append("test:a", 0, events(1))
    count = StoredEvent.objects.count()
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("DELETE FROM pacta_event")
    assert StoredEvent.objects.count() == count


def test_orm_update_is_rejected_too():
    store.append("test:a", 0, events(1))
    with pytest.raises(DatabaseError), transaction.atomic():
        StoredEvent.objects.filter(stream_id="test:a").update(payload={"n": 99})


@pytest.mark.postgres
def test_replication_role_does_not_bypass_the_triggers():
    store.append("test:a", 0, events(1))
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("DELETE FROM pacta_event")


@pytest.mark.postgres
@pytest.mark.parametrize("role", ["origin", "replica"])
def test_truncate_of_the_events_table_is_rejected_by_the_database(role):
    store.append("test:a", 0, events(1))
    count = StoredEvent.objects.count()
    with pytest.raises(DatabaseError, match="append-only: TRUNCATE"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL session_replication_role = {role}")
        cursor.execute("TRUNCATE pacta_event")
    assert StoredEvent.objects.count() == count


@pytest.mark.postgres
def test_every_trigger_on_the_events_table_fires_always():
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'pacta_event'::regclass "
                       "AND NOT tgisinternal ORDER BY tgname")
        assert cursor.fetchall() == [("pacta_event_no_delete", "A"), ("pacta_event_no_truncate", "A"),
                                     ("pacta_event_no_update", "A")]


def test_old_payloads_are_upcast_on_read_and_kept_as_stored():
    @upcasting.register("Renamed", 1)
    def v1_to_v2(payload):
        payload["heading"] = payload.pop("title")
        return payload

    try:
        store.append("test:a", 0, [NewEvent(type="Renamed", payload={"title": "Art. 1"}, schema_version=1)])
        [read] = store.read_stream("test:a")
        assert (read.schema_version, read.payload) == (2, {"heading": "Art. 1"})
        assert StoredEvent.objects.get(stream_id="test:a").payload == {"title": "Art. 1"}
    finally:
        upcasting.unregister("Renamed", 1)


def test_upcasters_chain_across_versions():
    upcasting.register("Chained", 1)(lambda p: {**p, "a": 1})
    upcasting.register("Chained", 2)(lambda p: {**p, "b": 2})
    try:
        assert upcasting.upcast("Chained", 1, {}) == (3, {"a": 1, "b": 2})
        assert upcasting.upcast("Chained", 2, {}) == (3, {"b": 2})
    finally:
        upcasting.unregister("Chained", 1)
        upcasting.unregister("Chained", 2)


def test_event_ids_are_unique_across_streams():
    event = NewEvent(type="Noted", payload={}, event_id=uuid.uuid4())
    store.append("test:a", 0, [event])
    with pytest.raises(DuplicateEvents):
        store.append("test:b", 0, [event])
    assert not StoredEvent.objects.filter(stream_id="test:b").exists()
