"""The WSGI application bench.writers serves when it times the head's lock: registry.wsgi's, with a probe.

Why: the write path's rate under concurrent writers is bounded by how long a transaction holds the event store's
head (the position counter row) locked, from the statement that takes it to COMMIT. That window is not visible from
the clients, so the server measures it: in each write transaction, the moment the lock is held (the SELECT ... FOR
UPDATE of `store._lock_head` returned, or the append's one statement returned having moved the counter, whichever
comes first) and the moment COMMIT returned (before the on-commit hooks run). Each sample, one line
`<wall-clock end> <held seconds> <what took the lock>`, goes to the file BENCH_WRITERS_PROBE names (+ the
worker's pid), which the bench reads per phase by the wall-clock time. The probe wraps functions of the store only
in this bench's server; the registry itself carries no timing of its own.
"""

from __future__ import annotations

import os
import threading
import time

from registry.wsgi import application  # noqa: F401  (what gunicorn serves)

_state = threading.local()


def _file():
    path = f"{os.environ['BENCH_WRITERS_PROBE']}.{os.getpid()}"
    if getattr(_state, "path", None) != path:
        _state.path, _state.out = path, open(path, "a", buffering=1)
    return _state.out


def _held_now(kind: str) -> None:
    from django.db import connection, transaction

    if not connection.in_atomic_block:
        return
    pending = getattr(_state, "pending", None)
    if pending is not None and any(entry[1] is pending for entry in connection.run_on_commit):
        return  # already held in this transaction
    taken = time.perf_counter()
    _state.committed_at = None  # set by the first COMMIT from here on: this transaction's

    def committed():
        end = _state.committed_at or time.perf_counter()
        _file().write(f"{time.time():.6f} {end - taken:.6f} {kind}\n")

    _state.pending = committed
    transaction.on_commit(committed)


def _install() -> None:
    from django.db.backends.postgresql.base import DatabaseWrapper

    from registry.eventstore import postgres, store

    lock_head, write, commit = store._lock_head, postgres.PostgresWriter.write, DatabaseWrapper.commit

    def probed_commit(self):
        commit(self)
        if getattr(_state, "committed_at", 0) is None:  # the first COMMIT since the lock was taken: its end, before
            _state.committed_at = time.perf_counter()  # the on-commit hooks (the outbox relay's own transaction) run

    def probed_lock_head():
        head = lock_head()
        _held_now("select-for-update")
        return head

    def probed_write(self, connection, linked, head):
        written = write(self, connection, linked, head)
        if written:
            _held_now("append")
        return written

    DatabaseWrapper.commit = probed_commit
    store._lock_head = probed_lock_head
    postgres.PostgresWriter.write = probed_write


_install()
