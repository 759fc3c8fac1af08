"""The hash chain over the event log: the contract downstream verifiers depend on (do not let it drift).

Every stored event carries `prev_hash` and `hash`, lowercase hex SHA-256, linked in global position order:

    hash = sha256_hex(prev_hash + "\\n" + canonical_json(record))

- `record` is the object with exactly the keys `position, stream_id, stream_version, event_id, type,
  schema_version, payload, effective, recorded_at`, as the event was stored (the payload as written, not
  upcast; `event_id` the lowercase hyphenated UUID; `recorded_at` UTC with microseconds and a `Z`,
  `2026-11-29T02:07:00.123456Z`, exactly as the feed shows it);
- `canonical_json` is JSON with sorted keys, separators `(",", ":")`, `ensure_ascii=False`, encoded UTF-8;
- the first event's `prev_hash` is 64 zeros (GENESIS).

The store computes the links in the append transaction, under the position counter's row lock, so the
chain follows commit order exactly as positions do. This module is plain Python: a verifier elsewhere needs
only these few lines.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Iterable

GENESIS = "0" * 64
RECORD_KEYS = ("position", "stream_id", "stream_version", "event_id", "type", "schema_version", "payload",
               "effective", "recorded_at")


def format_recorded_at(value: dt.datetime) -> str:
    """UTC, always with microseconds, `Z` for the zone: the one textual form of record time in the chain."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# Built once: json.dumps with options other than the defaults builds a new encoder on every call.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
_STRING = json.encoder.encode_basestring  # what json.dumps(a_string, ensure_ascii=False) returns


def canonical_json(record: dict) -> bytes:
    return _CANONICAL(record).encode("utf-8")


def record(position, stream_id, stream_version, event_id, type, schema_version, payload, effective,
           recorded_at) -> dict:
    """The hashed object. `recorded_at` may be a datetime or the feed's string form."""
    if isinstance(recorded_at, dt.datetime):
        recorded_at = format_recorded_at(recorded_at)
    return {
        "position": int(position), "stream_id": stream_id, "stream_version": int(stream_version),
        "event_id": str(event_id).lower(), "type": type, "schema_version": int(schema_version),
        "payload": payload, "effective": effective or "", "recorded_at": recorded_at,
    }


def link(prev_hash: str, rec: dict) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical_json(rec)).hexdigest()


def payload_json(payload) -> str:
    """The payload's canonical JSON text (as it appears inside canonical_json(record))."""
    return _CANONICAL(payload)


def record_json(position: int, stream_id: str, stream_version: int, event_id, type: str, schema_version: int,
                payload_text: str, effective: str, recorded_at: str) -> str:
    """`canonical_json(record(...))` as text, for a payload already in canonical JSON: the same characters,
    assembled in the sorted key order, so the append path serialises each payload once."""
    return (f'{{"effective":{_STRING(effective)},"event_id":{_STRING(str(event_id).lower())},'
            f'"payload":{payload_text},"position":{int(position)},"recorded_at":{_STRING(recorded_at)},'
            f'"schema_version":{int(schema_version)},"stream_id":{_STRING(stream_id)},'
            f'"stream_version":{int(stream_version)},"type":{_STRING(type)}}}')


def link_json(prev_hash: str, record_text: str) -> str:
    """`link` for a record already in canonical JSON text (record_json)."""
    return hashlib.sha256(f"{prev_hash}\n{record_text}".encode("utf-8")).hexdigest()


def record_of(event) -> dict:
    """The record of anything with the nine attributes (a stored row, a RecordedEvent)."""
    return record(*(getattr(event, key) for key in RECORD_KEYS))


@dataclass(frozen=True)
class Break:
    """The first position whose link does not verify, and why."""

    position: int
    reason: str

    def __str__(self):
        return f"position {self.position}: {self.reason}"


def verify(events: Iterable, prev_hash: str = GENESIS, prev_position: int = 0):
    """Check the links of `events` (objects with the nine attributes plus `prev_hash` and `hash`), in order.

    Yields each verified event's (position, hash); raises ChainBroken at the first that does not verify."""
    for event in events:
        if event.position != prev_position + 1:
            raise ChainBroken(Break(event.position, f"expected position {prev_position + 1} (a gap or a reordering)"))
        if event.prev_hash != prev_hash:
            raise ChainBroken(Break(event.position, f"prev_hash {event.prev_hash} does not match the previous hash "
                                                    f"{prev_hash}"))
        expected = link(prev_hash, record_of(event))
        if event.hash != expected:
            raise ChainBroken(Break(event.position, f"hash {event.hash} does not match the recomputed {expected}"))
        prev_hash, prev_position = expected, event.position
        yield prev_position, prev_hash


class ChainBroken(Exception):
    def __init__(self, where: Break):
        self.where = where
        super().__init__(str(where))
