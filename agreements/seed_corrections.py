"""An edited seed file on a registry that already loaded it: the facts it corrects become corrections.

Each seed command has an id derived from its content, so an edited command is a new command. On a fresh
registry it simply runs; on one that holds the earlier version it would clash (the agreement or the eId
exists) or record a second fact beside the first. Instead, `reconcile` turns it into a `CorrectEvent` of
the event the earlier version recorded, with the changed fields only, so the record shows both, in record
time. An edited command with nothing left to change, or a party/relation/reference already there, is
skipped. Seed facts are never removed this way: a fact deleted from a file stays recorded.

A depositary has no key but its name, so an edited name is matched by what is left over (`depositary`): the
file's depositaries the agreement does not name yet are paired, in file order, with the depositaries a seed
load named that the file no longer names, and each pair becomes a correction of the old name (the domain
corrects a DepositaryNamed's `depositary`, resolving the party anew); a name left without a pair is named.
A depositary an archivist named (in the admin or through the API) is never taken for the seed's.
"""

from __future__ import annotations

import uuid

from agreements.domain import commands
from agreements.domain import events
from registry.eventstore import store

from . import services

# The fields of a seed command that a correction of the event it recorded can carry.
_CORRECTED = {
    "DraftAgreement": ("AgreementDrafted", ("title", "kind", "summary", "place", "titles", "work_date")),
    "AddClause": ("ClauseAdded", ("text", "text_kind", "number", "heading", "language", "effective")),
    "RecordLifecycle": ("LifecycleRecorded", ("date",)),
    "AddRelation": ("RelationAdded", ("note",)),
    "RecordRegistration": ("RegistrationRecorded", ("registration_number", "date")),
}
ALREADY_THERE = {"duplicate_party", "duplicate_relation", "duplicate_reference", "duplicate_citation",
                 "duplicate_depositary"}
SEED_ACTOR = "system"  # seed loads run without a user


def _earlier_event(state, command):
    """The event the earlier version of this seed command recorded, or None."""
    for event_id, event in state.events.items():
        if isinstance(command, commands.DraftAgreement) and isinstance(event, events.AgreementDrafted):
            return event_id, event
        if isinstance(command, commands.AddClause) and isinstance(event, events.ClauseAdded) and event.eid == command.eid:
            return event_id, event
        if (isinstance(command, commands.RecordLifecycle) and isinstance(event, events.LifecycleRecorded)
                and (event.action, event.party) == (command.action, command.party)):
            return event_id, event
        if (isinstance(command, commands.RecordRegistration) and isinstance(event, events.RegistrationRecorded)
                and event.registering_body.casefold() == command.registering_body.casefold()
                and event_id in state.registrations):
            return event_id, event
        if (isinstance(command, commands.AddRelation) and isinstance(event, events.RelationAdded)
                and (event.relation, event.target) == (command.relation, command.target)):
            return event_id, event
    return None


def needs_reconciling(slug: str, command) -> bool:
    """True when running the command would clash with, or duplicate, what an earlier seed version recorded."""
    if isinstance(command, commands.DraftAgreement):
        return services.load(slug).exists
    if isinstance(command, commands.RecordLifecycle):
        state = services.load(slug).state
        same = [f for f in state.lifecycle if (f[1], f[2]) == (command.action, command.party)]
        return len(same) == 1 and same[0][3] != command.date
    return False


def reconcile(slug: str, command, reason: str, rule: str | None = None):
    """The correction that brings the recorded facts in line with the edited seed command, or None to skip."""
    if rule in ALREADY_THERE:
        return None
    state = services.load(slug).state
    found = _earlier_event(state, command) if command.type in _CORRECTED else None
    if found is None:
        return None
    event_id, event = found
    _, fields = _CORRECTED[command.type]
    changes = {name: getattr(command, name) for name in fields
               if getattr(command, name) not in (None, "") and getattr(command, name) != getattr(event, name, None)}
    if not changes:
        return None
    return commands.CorrectEvent(event_id=event_id, reason=reason, corrections=changes,
                          command_id=f"{command.command_id}:correction" if command.command_id else None)


def depositary(slug: str, command: commands.NameDepositary, in_file: list[str], reason: str):
    """The command that brings the agreement's depositaries in line with the file's (`in_file`, in file order):
    None when it names this depositary already, a correction of the depositary the file named in its place
    before, or `command` itself for a new one."""
    state = services.load(slug).state
    named = {event.depositary.casefold() for event in state.depositaries.values()}
    if command.depositary.casefold() in named:
        return None
    wanted = {name.casefold() for name in in_file}
    dropped = [event_id for event_id, event in state.depositaries.items() if event.depositary.casefold() not in wanted]
    dropped = _named_by_seeds(dropped)
    new = list(dict.fromkeys(name.casefold() for name in in_file if name.casefold() not in named))
    place = new.index(command.depositary.casefold()) if command.depositary.casefold() in new else len(dropped)
    if place >= len(dropped):
        return command
    return commands.CorrectEvent(event_id=dropped[place], reason=reason, corrections={"depositary": command.depositary},
                          command_id=f"{command.command_id}:correction" if command.command_id else None)


def _named_by_seeds(event_ids: list[str]) -> list[str]:
    """Those of `event_ids` a seed load recorded (its actor, and a command id of the seed's form: a UUID5
    derived from the file's content), in the order given."""
    if not event_ids:
        return []
    by_seed = {str(rec.event_id) for rec in store.read_events(event_ids)
               if rec.actor == SEED_ACTOR and _uuid_version(rec.causation_id) == 5}
    return [event_id for event_id in event_ids if event_id in by_seed]


def _uuid_version(text: str) -> int | None:
    try:
        return uuid.UUID(text).version
    except ValueError:
        return None
