"""The registry's read generation: a token in the shared cache that every committed write to the event log replaces.

Whatever remembers an answer derived from the registry's state can remember the generation it read before
deriving it, and trust the answer only while the generation is unchanged (registry/revalidation.py does so for
conditional GETs). The event store advances it once each write commits, and the writing process's own copy
at once (`advance_after_commit`).

Each process keeps the generation it last read for at most `PACTA_READ_GENERATION_SECONDS` (1 by default)
before asking the shared cache again: a round trip to Redis costs more than the whole answer it would
validate. A write advances this process's copy at once; another process's write reaches it within that
second. If the shared cache does not answer, `current` raises and nothing is trusted.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

log = logging.getLogger(__name__)

KEY = "read-generation"


class _Known(threading.local):
    """Not shared between threads: each reads the shared cache on its own schedule (races would be harmless,
    but a thread never trusts a value another thread read after its own write)."""

    value: str | None = None
    read_at: float = float("-inf")


_known = _Known()


def _seconds() -> float:
    return float(getattr(settings, "PACTA_READ_GENERATION_SECONDS", 1.0))


def _advance_here() -> str:
    """This process's own copy only: what it reads next is not answered from before its write."""
    value = uuid.uuid4().hex
    _known.value, _known.read_at = value, time.monotonic()
    return value


def advance() -> None:
    """A write committed: anything remembered under an earlier generation is out of date."""
    value = _advance_here()
    try:
        cache.set(KEY, value, None)
    except Exception as exc:  # noqa: BLE001 - an unreachable cache holds nothing to invalidate either
        log.warning("read generation not advanced (%s: %s)", type(exc).__name__, exc)


def advance_after_commit() -> None:
    """Advance once the caller's transaction commits (at once outside one), and this process's own copy now.

    The own copy now, so that whatever the writing transaction itself reads next (a test, a command's own report)
    is not answered from before its write; the shared cache only after the commit (one write to it per
    transaction, none on the append's path), because other processes cannot see the write before then."""
    if connection.in_atomic_block:
        _advance_here()
        transaction.on_commit(advance, robust=True)
    else:
        advance()


def current() -> str:
    """The current generation, as this process last read it (at most `PACTA_READ_GENERATION_SECONDS` ago), or
    from the shared cache (one is made if there is none). Raises what the cache raises when it does not answer."""
    now = time.monotonic()
    if _known.value is not None and now - _known.read_at < _seconds():
        return _known.value
    value = cache.get(KEY)
    if value is None:
        value = uuid.uuid4().hex
        if not cache.add(KEY, value, None):
            value = cache.get(KEY) or value
    _known.value, _known.read_at = value, now
    return value


def forget() -> None:
    """Read the shared cache at the next `current` (after the cache was cleared: tests)."""
    _known.value, _known.read_at = None, float("-inf")
