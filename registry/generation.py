"""The registry's read generation: a token in the shared cache that every committed write to the event log replaces.

Whatever remembers an answer derived from the registry's state can remember the generation it read before
deriving it, and trust the answer only while the generation is unchanged (registry/revalidation.py does so for
conditional GETs). The event store advances it with each write and again once the write commits
(`advance_after_commit`). If the cache does not answer, nothing is advanced and nothing can be trusted
either: readers find no generation, or an older one, and derive their answer again.
"""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache
from django.db import connection, transaction

log = logging.getLogger(__name__)

KEY = "read-generation"


def advance() -> None:
    """A write committed: anything remembered under an earlier generation is out of date."""
    try:
        cache.set(KEY, uuid.uuid4().hex, None)
    except Exception as exc:  # noqa: BLE001 - an unreachable cache holds nothing to invalidate either
        log.warning("read generation not advanced (%s: %s)", type(exc).__name__, exc)


def advance_after_commit() -> None:
    """Advance now and again once the caller's transaction commits (once, at once, outside one).

    Now, so that whatever the writing transaction itself reads next (a test, a command's own report) is not
    answered from before its write; again after the commit, because a reader between the two took the first
    new generation with the state before the commit."""
    advance()
    if connection.in_atomic_block:
        transaction.on_commit(advance, robust=True)


def current_with(*keys: str) -> tuple[str, dict]:
    """The current generation (one is made if there is none) and the cached values of `keys`, in one read.

    Raises what the cache raises when it does not answer."""
    found = cache.get_many([*keys, KEY])
    generation = found.pop(KEY, None)
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(KEY, generation, None):
            generation = cache.get(KEY) or generation
    return generation, found
