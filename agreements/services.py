"""The write path: `handle(command)` loads the agreement, lets it decide, appends, projects, in ONE transaction.

Every writer (admin, API, seed loader, importer) comes through here; nothing else writes events or
projections. A broken rule raises a DomainError and nothing is stored.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import transaction

from agreements.domain import commands as c
from agreements.domain.aggregate import Agreement, stream_id
from agreements.domain.events import event_from_payload
from registry.eventstore import store
from registry.eventstore.store import ConcurrencyConflict, NewEvent, RecordedEvent

from .models import Party
from .projections.models import AgreementRecord
from .projections.projector import Projector

PUBLISH_PERMISSION = "agreements.publish_agreement"
_after_append_hooks = []


class NotAllowed(Exception):
    """The actor may not issue this command (e.g. publishing needs a reviewer)."""


@dataclass(frozen=True)
class Result:
    slug: str
    version: int
    events: list[RecordedEvent]
    replayed: bool = False  # True when an idempotent retry found the command already handled


class DatabaseDirectory:
    """What the aggregate may ask about the world outside its stream."""

    def agreement_exists(self, slug: str) -> bool:
        return AgreementRecord.objects.filter(slug=slug).exists()

    def party_exists(self, code: str) -> bool:
        return Party.objects.filter(code=code).exists()

    def source_exists(self, source: str) -> bool:
        from sources.models import resolve_source

        return resolve_source(source) is not None


def after_append(hook):
    """Register `hook(slug, recorded_events)`, called inside the append transaction (e.g. outbox jobs)."""
    _after_append_hooks.append(hook)
    return hook


def load(slug: str) -> Agreement:
    return Agreement.replay(
        (str(r.event_id), event_from_payload(r.type, r.payload)) for r in store.read_stream(stream_id(slug))
    )


def uncited_facts(slug: str) -> list[str]:
    """What Publish would count as uncited (the aggregate's own rule), for the reviewer's warning."""
    return load(slug).uncited_facts()


def handle(
    command: c.Command,
    *,
    slug: str | None = None,
    user=None,
    expected_version: int | None = None,
    correlation_id: str = "",
    retries: int = 3,
) -> Result:
    """Apply one command. With `expected_version`, a stale version is a ConcurrencyConflict; without it,
    a concurrent append is retried against the new state (the rules are checked again)."""
    if isinstance(command, c.DraftAgreement):
        slug = command.slug
    if not slug:
        raise ValueError("handle() needs the agreement's slug for this command")
    if command.needs_reviewer and user is not None and not user.has_perm(PUBLISH_PERMISSION):
        raise NotAllowed(f"{command.type} needs reviewer rights.")
    actor = getattr(user, "get_username", lambda: "")() if user is not None else "system"
    for attempt in range(retries + 1):
        try:
            return _handle_once(command, slug, actor, expected_version, correlation_id)
        except ConcurrencyConflict:
            if expected_version is not None or attempt == retries:
                raise


def _handle_once(command, slug, actor, expected_version, correlation_id) -> Result:
    sid = stream_id(slug)
    with transaction.atomic():
        if command.command_id:
            done = store.find_caused_by(sid, command.command_id)
            if done:
                return Result(slug, store.current_version(sid), done, replayed=True)
        agreement = load(slug)
        if expected_version is not None and expected_version != agreement.version:
            raise ConcurrencyConflict(sid, expected_version, agreement.version)
        decided = agreement.decide(command, DatabaseDirectory())
        recorded = store.append(
            sid,
            agreement.version,
            [
                NewEvent(type=ev.type, payload=ev.payload(), schema_version=ev.schema_version, effective=ev.valid_time() or "")
                for ev in decided
            ],
            actor=actor,
            causation_id=command.command_id or str(uuid.uuid4()),
            correlation_id=correlation_id,
        )
        Projector().project(recorded)
        for hook in _after_append_hooks:
            hook(slug, recorded)
    return Result(slug, recorded[-1].stream_version, recorded)


def handle_many(commands, *, slug: str, user=None, expected_version: int | None = None) -> list[Result]:
    """Several commands as one transaction (an admin save): all are stored or none."""
    results = []
    with transaction.atomic():
        for i, command in enumerate(commands):
            version = expected_version if i == 0 else None
            results.append(handle(command, slug=slug, user=user, expected_version=version, retries=0))
    return results
