"""The stored tree grows with every append path and verify_log recomputes it."""

import base64
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from registry.eventstore import chain, merkle, store, tree
from registry.eventstore.store import NewEvent, StreamAppend

pytestmark = pytest.mark.django_db


def recomputed_root() -> bytes:
    """The root from the events alone, as any reader of the chain's records can compute it."""
    return merkle.Tree(merkle.leaf_hash(chain.canonical_json(chain.record_of(row)))
                       for row in store.stored_rows()).root()


def test_an_append_extends_the_tree_in_its_own_transaction():
    before = store.head().position
    store.append("tree:a", 0, [NewEvent("Noted", {"n": n}) for n in range(3)])
    head = store.head()
    assert head.position == before + 3
    assert tree.leaves_stored() == head.position
    assert tree.root_at(head.position) == recomputed_root()


def test_a_bulk_append_of_several_streams_extends_the_tree_with_every_event():
    store.append_streams([StreamAppend(f"tree:bulk{i}", 0, [NewEvent("Noted", {"i": i, "k": k}) for k in range(4)])
                          for i in range(5)])
    assert tree.root_at(store.head().position) == recomputed_root()


def test_an_append_that_is_refused_adds_nothing_to_the_tree():
    store.append("tree:c", 0, [NewEvent("Noted", {})])
    stored = tree.leaves_stored()
    with pytest.raises(store.ConcurrencyConflict):
        store.append("tree:c", 0, [NewEvent("Noted", {})])
    assert tree.leaves_stored() == stored == store.head().position


def test_every_event_has_an_inclusion_proof_to_the_current_root():
    store.append("tree:d", 0, [NewEvent("Noted", {"n": n}) for n in range(5)])
    size = store.head().position
    root = tree.root_at(size)
    for row in store.stored_rows():
        proof = tree.inclusion(row.position - 1, size)
        assert merkle.verify_inclusion(row.position - 1, size, tree.leaf_of(row), proof, root)


def test_a_later_tree_is_consistent_with_an_earlier_one():
    store.append("tree:e", 0, [NewEvent("Noted", {})])
    first = store.head().position
    old_root = tree.root_at(first)
    store.append("tree:e", 1, [NewEvent("Noted", {"n": n}) for n in range(7)])
    second = store.head().position
    assert merkle.verify_consistency(first, second, old_root, tree.root_at(second), tree.consistency(first, second))


def test_events_stored_without_tree_hashes_are_caught_up_by_the_next_append():
    store.append("tree:f", 0, [NewEvent("Noted", {})])
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM pacta_log_hash WHERE id >= %s", [merkle.stored_count(3)])
    store.last_head.forget(connection)  # as a connection that did not append before (PostgreSQL keeps the head)
    store.append("tree:f", 1, [NewEvent("Noted", {})])
    assert tree.leaves_stored() == store.head().position
    assert tree.root_at(store.head().position) == recomputed_root()


def test_verify_log_names_a_stored_tree_hash_that_was_changed():
    store.append("tree:g", 0, [NewEvent("Noted", {"n": n}) for n in range(4)])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE pacta_log_hash SET hash = %s WHERE id = %s", [b"\x00" * 32, merkle.stored_index(1, 0)])
    with pytest.raises(CommandError, match=r"tree hash 2 \(level 1, subtree 0\) differs"):
        call_command("verify_log", stdout=StringIO(), stderr=StringIO())


def test_verify_log_prints_the_root_a_reader_recomputes():
    store.append("tree:h", 0, [NewEvent("Noted", {})])
    out = StringIO()
    call_command("verify_log", stdout=out, stderr=StringIO())
    assert out.getvalue().strip().endswith(f"tree root {base64.b64encode(recomputed_root()).decode()}")
