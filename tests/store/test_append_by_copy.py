"""On PostgreSQL, a large append inside a transaction (a bulk load's batch) writes its events with COPY, with the
same guarantees as the one statement: gap-free positions, the chain and the tree whole, conflicts refused and
retries answered with what is stored. The threshold is lowered here so that a few events take that way, and each
test checks that they did."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from registry.eventstore import postgres, store
from registry.eventstore.models import StoredEvent
from registry.eventstore.store import ConcurrencyConflict, DuplicateEvents, NewEvent, StreamAppend

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

AWKWARD = {
    "backslashes": "C:\\Treaties\\ and \\N and \\. alone",
    "controls": "tab\there, newline\nthere, carriage\rreturn, unit separator\x1f",
    "non_ascii": "Türkiye–Azərbaycan · 中华人民共和国 · \u2028 line separator · 🇺🇳",
    "nested": {"list": [1, -2.5, True, None, ""], "empty": {}},
}


@pytest.fixture
def by_copy(monkeypatch):
    """Appends of two events or more inside a transaction go by COPY; yields the number of COPY writes."""
    writes = []
    original = postgres.PostgresWriter._write_by_copy

    def counted(self, connection, linked, head):
        written = original(self, connection, linked, head)
        writes.append(written)
        return written

    monkeypatch.setattr(postgres, "COPY_FROM", 2)
    monkeypatch.setattr(postgres.PostgresWriter, "_write_by_copy", counted)
    store.last_head.forget(connection)  # not the head an earlier test's rolled-back append left
    return writes


def two_streams(prefix, payload=None):
    return [StreamAppend(f"{prefix}:a", 0, [NewEvent("Noted", payload or {"n": 1}, effective="2010-08-16"),
                                            NewEvent("Noted", {"n": 2})], actor='Zoë "the" archivist',
                         causation_id="cmd\\1", correlation_id="tab\there"),
            StreamAppend(f"{prefix}:b", 0, [NewEvent("Noted", {"n": 3}, effective='the "1990"\ttext')])]


def verify_log() -> str:
    out = StringIO()
    call_command("verify_log", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_events_written_by_copy_read_back_exactly_as_appended(by_copy):
    with transaction.atomic():
        appended = store.append_streams(two_streams("copy-exact", AWKWARD))
    stored = store.read_all(appended[0].position - 1)
    assert by_copy == [True]
    assert stored == appended


def test_events_written_by_copy_take_the_next_positions_without_a_gap(by_copy):
    before = store.last_position()
    with transaction.atomic():
        store.append_streams(two_streams("copy-gapless"))
    positions = list(StoredEvent.objects.filter(position__gt=before).values_list("position", flat=True))
    assert by_copy == [True]
    assert positions == [before + 1, before + 2, before + 3] and store.head().position == before + 3


def test_a_log_written_by_copy_verifies_its_chain_and_its_tree(by_copy):
    with transaction.atomic():
        store.append_streams(two_streams("copy-verified", AWKWARD))
    store.append("copy-verified:a", 2, [NewEvent("Noted", {"after": "the copy"})])  # the one statement continues it
    assert by_copy == [True]
    assert verify_log().startswith(f"verified {store.head().position} events")


def test_a_copy_append_to_a_stream_that_moved_on_is_refused_and_writes_nothing(by_copy):
    store.append("copy-moved:a", 0, [NewEvent("Noted", {})])
    before = store.last_position()
    with pytest.raises(ConcurrencyConflict), transaction.atomic():
        store.append_streams(two_streams("copy-moved"))
    assert by_copy == [False]
    assert store.last_position() == before and store.head().position == before


def test_a_copy_append_repeated_with_the_same_event_ids_returns_the_stored_events(by_copy):
    appends = two_streams("copy-retry")
    with transaction.atomic():
        first = store.append_streams(appends)
    with transaction.atomic():
        again = store.append_streams(appends)
    assert by_copy == [True, False]
    assert again == first and store.last_position() == first[-1].position


def test_a_copy_append_of_some_stored_event_ids_is_refused(by_copy):
    appends = two_streams("copy-half")
    with transaction.atomic():
        store.append_streams(appends[:1])
    with pytest.raises(DuplicateEvents), transaction.atomic():
        store.append_streams([StreamAppend("copy-half:c", 0, [*appends[0].events, NewEvent("Noted", {})])])
    assert by_copy == [True, False]


@pytest.mark.django_db(transaction=True)
def test_an_append_outside_any_transaction_keeps_the_one_statement(by_copy):
    store.append("copy-bare:warm", 0, [NewEvent("Noted", {})])
    store.append_streams(two_streams("copy-bare"))
    assert by_copy == [] and store.read_stream("copy-bare:b")[0].payload == {"n": 3}
