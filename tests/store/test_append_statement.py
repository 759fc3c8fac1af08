"""How the append reaches the database: rows sent as one JSON text arrive exactly, the statement is prepared."""

import pytest
from django.db import connection

from registry.eventstore import chain, store
from registry.eventstore.models import StoredEvent
from registry.eventstore.store import NewEvent

pytestmark = pytest.mark.django_db

AWKWARD = {
    "quotes": 'He said "yes" and \'no\'',
    "backslashes": "C:\\Treaties\\1990\\ and \\n is not a newline, \\u0041 is not A",
    "controls": "tab\there, newline\nthere, carriage\rreturn, bell\x07, unit separator\x1f",
    "non_ascii": "Türkiye–Azərbaycan · 中华人民共和国 · Россия · עברית · 🇺🇳 · \u2028 line separator",
    "lookalikes": "\ufeffzero\u200bwidth",
    "nested": {"list": [1, -2.5, True, None, "", {"deep": ["x", {"y": "z"}]}], "empty": {}},
    "numbers": [0, 1, -1, 2**53, 12.25],
}


def stored_chain_verifies(start):
    rows = list(StoredEvent.objects.filter(position__gt=start.position).order_by("position"))
    assert [position for position, _ in chain.verify(rows, start.hash, start.position)] == [r.position for r in rows]


def test_awkward_text_round_trips_exactly_and_the_chain_verifies():
    start = store.head()
    appended = store.append("statement:awkward", 0, [NewEvent(type="Noted", payload=AWKWARD, effective="2010-08-16"),
                                                      NewEvent(type="Noted", payload={"key \"quoted\"": "\\"},
                                                               effective='the "1990" text')])
    stored = store.read_stream("statement:awkward")
    assert [r.payload for r in stored] == [AWKWARD, {"key \"quoted\"": "\\"}]
    assert [(r.effective, r.hash) for r in stored] == [(r.effective, r.hash) for r in appended]
    stored_chain_verifies(start)


def test_awkward_stream_ids_actors_and_causations_round_trip_exactly():
    odd = 'agreement:ß/"quoted"\\back'
    appended = store.append(odd, 0, [NewEvent(type="Noted", payload={})], actor="Zoë \"the\" archivist",
                            causation_id="cmd\\1", correlation_id="ünï")
    [row] = StoredEvent.objects.filter(stream_id=odd)
    assert (row.actor, row.causation_id, row.correlation_id, row.hash) == (
        "Zoë \"the\" archivist", "cmd\\1", "ünï", appended[0].hash)


def test_a_large_payload_round_trips_exactly_and_the_chain_verifies():
    start = store.head()
    big = {"text": "Article 1. " + "The parties — «équitablement» — agree.\n" * 30_000, "eid": "art_1"}
    store.append("statement:large", 0, [NewEvent(type="Noted", payload=big), NewEvent(type="Noted", payload=big)])
    assert [r.payload for r in store.read_stream("statement:large")] == [big, big]
    assert len(big["text"]) > 1_000_000
    stored_chain_verifies(start)


def test_record_time_survives_its_text_form_to_the_microsecond():
    [appended] = store.append("statement:time", 0, [NewEvent(type="Noted", payload={})])
    [row] = StoredEvent.objects.filter(stream_id="statement:time")
    assert row.recorded_at == appended.recorded_at


@pytest.mark.postgres
def test_the_append_statement_is_prepared_once_and_reused_on_postgresql():
    store.append("statement:prepared", 0, [NewEvent(type="Noted", payload={"n": 0})])
    before = _append_statement_runs()
    for n in range(1, 4):
        store.append("statement:prepared", n, [NewEvent(type="Noted", payload={"n": n})])
    after = _append_statement_runs()
    assert len(after) == 1, "one prepared append statement on the connection"
    assert sum(after.values()) - sum(before.values()) == 3


@pytest.mark.postgres
def test_preparing_the_append_leaves_djangos_own_queries_unprepared():
    store.append("statement:others", 0, [NewEvent(type="Noted", payload={})])
    for _ in range(6):  # psycopg's usual threshold is 5
        StoredEvent.objects.filter(stream_id="statement:others").count()
    assert connection.connection.prepare_threshold is None
    assert list(_append_statement_runs()) == [name for name in _prepared_names()]


def _prepared_names():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return [name for (name,) in cursor.fetchall()]


def _append_statement_runs():
    """Prepared append statements of this connection: name -> how many times they ran (generic and custom plans)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, generic_plans + custom_plans FROM pg_prepared_statements "
                       "WHERE statement LIKE %s", ["%json_populate_recordset(NULL::pacta_event%"])
        return dict(cursor.fetchall())
