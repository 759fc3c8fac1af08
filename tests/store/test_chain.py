"""The hash chain: every event linked to the one before it, by the contract downstream verifiers use."""

import base64
import datetime as dt
import hashlib
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from registry.eventstore import chain, store, tree, triggers
from registry.eventstore.models import StoredEvent
from registry.eventstore.store import NewEvent

pytestmark = pytest.mark.django_db


def contract_hash(prev_hash, row):
    """The contract, written out independently of chain.py."""
    record = {
        "position": row.position, "stream_id": row.stream_id, "stream_version": row.stream_version,
        "event_id": str(row.event_id), "type": row.type, "schema_version": row.schema_version,
        "payload": row.payload, "effective": row.effective,
        "recorded_at": row.recorded_at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
    }
    text = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + "\n" + text).encode("utf-8")).hexdigest()


def verify_log():
    out, err = StringIO(), StringIO()
    call_command("verify_log", stdout=out, stderr=err)
    return out.getvalue().strip()


def test_each_appended_event_links_to_the_one_before_it_by_the_contract():
    before = store.head()
    store.append("chain:a", 0, [NewEvent(type="Noted", payload={"text": "Türkiye–Azərbaycan", "n": 1}),
                                NewEvent(type="Noted", payload={"b": [1, 2], "a": None}, effective="1992")])
    store.append("chain:b", 0, [NewEvent(type="Noted", payload={})])
    rows = list(StoredEvent.objects.filter(position__gt=before.position).order_by("position"))
    prev = before.hash
    for row in rows:
        assert row.prev_hash == prev
        assert row.hash == contract_hash(prev, row)
        prev = row.hash
    assert (store.head().position, store.head().hash) == (rows[-1].position, rows[-1].hash)


def test_the_first_event_of_the_log_links_to_64_zeros():
    first = StoredEvent.objects.order_by("position").first()
    assert first.position == 1
    assert first.prev_hash == "0" * 64
    assert first.hash == contract_hash("0" * 64, first)


def test_record_time_in_the_chain_always_has_microseconds_and_z():
    assert chain.format_recorded_at(dt.datetime(2026, 11, 29, 2, 7, tzinfo=dt.timezone.utc)) == \
        "2026-11-29T02:07:00.000000Z"
    plus3 = dt.timezone(dt.timedelta(hours=3))
    assert chain.format_recorded_at(dt.datetime(2026, 11, 29, 5, 7, 0, 123456, tzinfo=plus3)) == \
        "2026-11-29T02:07:00.123456Z"


def test_verify_log_reports_the_count_and_the_head():
    store.append("chain:a", 0, [NewEvent(type="Noted", payload={"n": 1})])
    head = store.head()
    root = base64.b64encode(tree.root_at(head.position)).decode()
    assert verify_log() == f"verified {head.position} events; head {head.hash}; tree root {root}"


def tamper(sql, params):
    triggers.remove(connection)  # the append-only triggers, lifted inside this test's transaction only
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        triggers.install(connection)


def test_verify_log_names_the_first_position_whose_payload_was_tampered_with():
    recorded = store.append("chain:a", 0, [NewEvent(type="Noted", payload={"n": i}) for i in range(3)])
    target = recorded[1].position
    tamper("UPDATE pacta_event SET payload = %s WHERE position = %s", ['{"n": 99}', target])
    with pytest.raises(CommandError, match=f"position {target}: hash"):
        verify_log()


def test_verify_log_catches_a_deleted_event():
    recorded = store.append("chain:a", 0, [NewEvent(type="Noted", payload={"n": i}) for i in range(3)])
    tamper("DELETE FROM pacta_event WHERE position = %s", [recorded[1].position])
    with pytest.raises(CommandError, match=f"position {recorded[2].position}: expected position"):
        verify_log()


def test_the_migration_links_events_stored_before_the_chain_existed():
    from importlib import import_module

    from django.apps import apps

    store.append("chain:a", 0, [NewEvent(type="Noted", payload={"n": i}) for i in range(3)])
    tamper("UPDATE pacta_event SET prev_hash = '', hash = ''", [])
    migration = import_module("registry.eventstore.migrations.0003_store_hash_chain")

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.link_stored_events(apps, editor)
    head = store.head()
    root = base64.b64encode(tree.root_at(head.position)).decode()
    assert verify_log() == f"verified {head.position} events; head {head.hash}; tree root {root}"


def test_the_append_paths_link_equals_the_contracts_canonical_json():
    payload = {"z": [1, {"é": "Türkiye", "a": None}], "a": "\u2028 \"quoted\" \\ back", "n": -3.5, "t": True}
    args = (7, "agreement:x", 3, "0f8fad5b-d9cb-469f-a165-70867728950e", "Noted", 2, payload, "1992?",
            "2026-11-29T02:07:00.123456Z")
    expected = chain.link("f" * 64, chain.record(*args))
    text = chain.record_json(*args[:6], chain.payload_json(payload), *args[7:])  # as store._linked builds it
    assert chain.link_json("f" * 64, text) == expected
