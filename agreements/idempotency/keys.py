"""Claim, replay and expire idempotency keys.

A key is scoped to the user and the endpoint (one agreement's commands, or drafting), so two users, or one
user on two agreements, never share one. The first request with a key inserts its row in the transaction of
its write; a concurrent twin's INSERT waits on the unique index until that transaction ends, then finds
the committed row and replays its response (or, if the first was refused and rolled back, runs itself).
So a twin is never refused because of the first (no 412 from its own retry). The same key with another
request (method, path or body) is refused: IdempotencyKeyReused. Keys are kept PACTA_IDEMPOTENCY_KEY_HOURS
(24 by default); an expired key is forgotten and may be used again (`purge_expired` deletes them).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import IdempotencyKey

MAX_KEY_LENGTH = 200


class IdempotencyKeyReused(Exception):
    """The key was used already for a different request."""


@dataclass(frozen=True)
class Replay:
    status_code: int
    body: dict
    headers: dict


def retention() -> dt.timedelta:
    return dt.timedelta(hours=float(getattr(settings, "PACTA_IDEMPOTENCY_KEY_HOURS", 24)))


def fingerprint(method: str, path: str, body) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(f"{method.upper()} {path}\n{canonical}".encode()).hexdigest()


def claim(user_id: int, scope: str, key: str, print_: str) -> int | Replay:
    """Inside the caller's transaction: the id of a fresh key row (go ahead, then `remember`), or the Replay
    of the request that used the key first. Waits while a concurrent twin holds the key uncommitted."""
    now = timezone.now()
    table = IdempotencyKey._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE user_id = %s AND scope = %s AND key = %s AND created_at < %s",
                       [user_id, scope, key, now - retention()])
        cursor.execute(
            f"INSERT INTO {table} (user_id, scope, key, fingerprint, headers, created_at) VALUES (%s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (user_id, scope, key) DO NOTHING RETURNING id",
            [user_id, scope, key, print_, "{}", now],
        )
        row = cursor.fetchone()
    if row is not None:
        return row[0]
    first = IdempotencyKey.objects.get(user_id=user_id, scope=scope, key=key)
    if first.fingerprint != print_:
        raise IdempotencyKeyReused(key)
    return Replay(first.status_code, first.body, first.headers)


def remember(key_id: int, status_code: int, body: dict, headers: dict) -> None:
    IdempotencyKey.objects.filter(id=key_id).update(status_code=status_code, body=body, headers=headers)


def purge_expired() -> int:
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - retention()).delete()
    return deleted
