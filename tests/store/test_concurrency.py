"""On PostgreSQL, concurrent writers and a tailing reader: the feed never shows a gap that fills later."""

import base64
import threading
import time

import pytest
from django.db import connection

from registry.eventstore import store, tree
from registry.eventstore.store import NewEvent

WRITERS = 8
COMMANDS_PER_WRITER = 40
EVENTS_PER_COMMAND = 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_tailing_reader_sees_every_position_once_and_in_commit_order():
    start = store.last_position()
    done = threading.Event()
    errors = []
    seen = []

    def writer(n):
        try:
            for i in range(COMMANDS_PER_WRITER):
                batch = [NewEvent(type="Noted", payload={"w": n, "i": i, "k": k}) for k in range(EVENTS_PER_COMMAND)]
                store.append(f"concurrency:{n}", i * EVENTS_PER_COMMAND, batch)
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    def reader():
        last = start
        try:
            while True:
                finished = done.is_set()
                batch = store.read_all(after_position=last, limit=50)
                for rec in batch:
                    # A gap now would be a position committed later than a higher one already read.
                    assert rec.position == last + 1, f"gap: read {rec.position} after {last}"
                    seen.append(rec.position)
                    last = rec.position
                if finished and not batch:
                    return
                if not batch:
                    time.sleep(0.001)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    tail = threading.Thread(target=reader)
    tail.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    tail.join(timeout=120)

    assert not errors, errors
    total = WRITERS * COMMANDS_PER_WRITER * EVENTS_PER_COMMAND
    assert seen == list(range(start + 1, start + total + 1))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_to_one_stream_keep_versions_unique():
    """Writers racing on one stream: each version is taken once; the losers get a conflict, not a duplicate."""
    from registry.eventstore.store import ConcurrencyConflict

    outcomes = []
    barrier = threading.Barrier(WRITERS)

    def writer(n):
        try:
            barrier.wait()
            store.append("race:one", 0, [NewEvent(type="Noted", payload={"w": n})])
            outcomes.append("ok")
        except ConcurrencyConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * (WRITERS - 1) + ["ok"]
    assert [r.stream_version for r in store.read_stream("race:one")] == [1]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_the_hash_chain_whole():
    from io import StringIO

    from django.core.management import call_command

    errors = []

    def writer(n):
        try:
            for i in range(COMMANDS_PER_WRITER // 2):
                batch = [NewEvent(type="Noted", payload={"w": n, "i": i, "k": k}) for k in range(EVENTS_PER_COMMAND)]
                store.append(f"chain:{n}", i * EVENTS_PER_COMMAND, batch)
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert not errors, errors
    out = StringIO()
    call_command("verify_log", stdout=out, stderr=StringIO())
    head = store.head()
    root = base64.b64encode(tree.root_at(head.position)).decode()
    assert out.getvalue().strip() == f"verified {head.position} events; head {head.hash}; tree root {root}"
