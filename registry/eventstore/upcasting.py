"""Upcasting: old event payloads are brought up to the current schema on read, never rewritten.

The domain registers one function per (type, from_version); reading applies them in a chain, so an event
stored as v1 is read as v3 through v1->v2->v3. The stored row keeps the bytes it was written with.
"""

from __future__ import annotations

from typing import Callable

Upcaster = Callable[[dict], dict]
_upcasters: dict[tuple[str, int], Upcaster] = {}


def register(event_type: str, from_version: int):
    """Decorator: `@register("ClauseAdded", 1)` turns a v1 payload into a v2 payload."""

    def decorator(fn: Upcaster) -> Upcaster:
        _upcasters[(event_type, from_version)] = fn
        return fn

    return decorator


def unregister(event_type: str, from_version: int):
    _upcasters.pop((event_type, from_version), None)


def upcast(event_type: str, schema_version: int, payload: dict) -> tuple[int, dict]:
    while (event_type, schema_version) in _upcasters:
        payload = _upcasters[(event_type, schema_version)](dict(payload))
        schema_version += 1
    return schema_version, payload
