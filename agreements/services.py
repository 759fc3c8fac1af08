"""The write path: `handle(command)` loads the agreement, lets it decide, appends, projects, in ONE transaction.

Every writer (admin, API, seed loader, importer) comes through here; nothing else writes events or
projections. A broken rule raises a DomainError and nothing is stored.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
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


class _Loaded(threading.local):
    """This thread's recently decided agreements: slug -> (version, hash of its last event, Agreement)."""

    def __init__(self):
        self.entries: OrderedDict[str, tuple[int, str, Agreement]] = OrderedDict()


_loaded = _Loaded()
LOADED_AGREEMENTS_KEPT = 256


def load(slug: str) -> Agreement:
    """The agreement's current state, without replaying a long stream for every command.

    A thread keeps the agreements it recently wrote to, each with its stream version and the hash of its
    last event (the hash chain). Loading reads the stream from that version on: if the stored event at the
    version still has that hash, only the newer events are applied; otherwise (another transaction rolled
    back, a flushed database) the stream is replayed from the start. So the cost of a command does not grow
    with the length of its agreement's history, and the state is never trusted beyond what is stored."""
    sid = stream_id(slug)
    cached = _loaded.entries.get(slug)
    if cached is not None:
        version, last_hash, agreement = cached
        newer = store.read_stream(sid, after_version=version - 1)
        if newer and newer[0].stream_version == version and newer[0].hash == last_hash:
            _remember(slug, agreement, newer[1:])
            return agreement
        _loaded.entries.pop(slug, None)
    agreement = Agreement()
    _apply(agreement, store.read_stream(sid))
    return agreement


def _apply(agreement: Agreement, recorded) -> None:
    for r in recorded:
        agreement.apply(event_from_payload(r.type, r.payload), str(r.event_id))


def _remember(slug: str, agreement: Agreement, recorded) -> None:
    if not recorded:
        return
    _apply(agreement, recorded)
    entries = _loaded.entries
    entries[slug] = (recorded[-1].stream_version, recorded[-1].hash, agreement)
    entries.move_to_end(slug)
    while len(entries) > LOADED_AGREEMENTS_KEPT:
        entries.popitem(last=False)


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
        if recorded and recorded[0].stream_version == agreement.version + 1:  # not an idempotent replay
            _remember(slug, agreement, recorded)
    return Result(slug, recorded[-1].stream_version, recorded)


def handle_many(commands, *, slug: str, user=None, expected_version: int | None = None) -> list[Result]:
    """Several commands as one transaction (an admin save): all are stored or none."""
    results = []
    with transaction.atomic():
        for i, command in enumerate(commands):
            version = expected_version if i == 0 else None
            results.append(handle(command, slug=slug, user=user, expected_version=version, retries=0))
    return results
