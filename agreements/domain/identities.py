"""The names the domain derives rather than draws: an agreement's stream and work URI, and the ids of its
clauses, obligations, statements and citations.

Identities are derived, never random, so the same commands give the same events on any machine: a seed
load, an import and a replayed backup agree on every id, and a retried command finds what it made.
"""

from __future__ import annotations

import uuid

from .dates import parse_date

IDENTITY_NAMESPACE = uuid.UUID("6f1d2a52-3c4e-4f7a-9a63-1c0f5e0b7d21")


def stream_id(slug: str) -> str:
    return f"agreement:{slug}"


def work_uri(slug: str, work_date: str | None) -> str:
    year = parse_date(work_date).lower.year if work_date and parse_date(work_date).lower else None
    return f"/akn/int/treaty/{year or 'undated'}/{slug}"


def clause_identity(slug: str, eid: str) -> str:
    """eIds are never reused within an agreement, so (agreement, first eId) names a clause for good."""
    return str(uuid.uuid5(IDENTITY_NAMESPACE, f"clause:{slug}#{eid}"))


def obligation_identity(slug: str, eid: str, number: int) -> str:
    """The `number`-th coding made in the agreement: stable for the same history on any machine."""
    return str(uuid.uuid5(IDENTITY_NAMESPACE, f"obligation:{slug}#{eid}|{number}"))


def statement_identity(slug: str, number: int) -> str:
    """The `number`-th statement made in the agreement: stable for the same history on any machine."""
    return str(uuid.uuid5(IDENTITY_NAMESPACE, f"statement:{slug}|{number}"))


def citation_identity(slug: str, cmd) -> str:
    return str(uuid.uuid5(IDENTITY_NAMESPACE, f"citation:{slug}|{cmd.source}|{cmd.locator}|{cmd.quote}|{cmd.supports}"))
