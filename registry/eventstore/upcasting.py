"""Upcasting: old event payloads are brought up to the current schema on read, never rewritten.

A generic hook of the store: one function per (type, from_version), applied in a chain on read (v1->v2->v3);
the stored row keeps the bytes it was written with. The agreements register none here: their upcasters
live beside their events (agreements/domain/events.py) and the mapper (agreements/eventmapper.py) applies
them at the store's boundary.
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
