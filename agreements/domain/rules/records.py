"""What the registry records about an agreement beside its text: the citations that support its facts, its
registrations (UNTS-style: number, date, registering body) and its depositaries.

A citation names a source that exists and something of this agreement it supports (the grammar of
`supports` is `vocabulary.parse_citation_subject`); the same citation is never attached twice. One
registration per registering body, never before every signature; one depositary of a name. The rules of
registration and depositaries are in `registration`; citations, registrations and depositaries are
correctable, and a corrected one passes the same rules.
"""

from __future__ import annotations

from .. import commands, events, registration
from ..errors import RuleViolated
from ..identities import citation_identity
from ..vocabulary import RULE_SUBJECT, parse_citation_subject
from .correcting import Correction
from .participants import signature_dates


def attach_citation(state, cmd: commands.AttachCitation, directory):
    if not directory.source_exists(cmd.source):
        raise RuleViolated("unknown_source", f"There is no source '{cmd.source}'.", "source")
    citation_id = cmd.citation_id or citation_identity(state.slug, cmd)
    if citation_id in state.citations:
        raise RuleViolated("duplicate_citation", "That citation is already attached.", "citation_id")
    _check_supports(state, cmd.supports)
    return [events.CitationAttached(citation_id=citation_id, source=cmd.source, locator=cmd.locator, quote=cmd.quote,
                                    supports=cmd.supports)]


# What each kind of citation subject must name in the agreement's state to be supported.
SUBJECT_KNOWN = {
    "agreement": lambda state, subject, supports: True,
    "field": lambda state, subject, supports: True,
    "party": lambda state, subject, supports: subject.name in state.parties,
    "lifecycle": lambda state, subject, supports: bool(supports.partition(":")[2]),
    "relation": lambda state, subject, supports: bool(supports.partition(":")[2]),
    "reference": lambda state, subject, supports: bool(supports.partition(":")[2]),
    "event": lambda state, subject, supports: subject.name in state.events,
    "obligation": lambda state, subject, supports: subject.name in state.obligations,
    "statement": lambda state, subject, supports: subject.name in state.statements,
    RULE_SUBJECT: lambda state, subject, supports: state.eif_rule is not None,
    "registration": lambda state, subject, supports: bool(state.registrations),
    "depositary": lambda state, subject, supports: bool(state.depositaries),
    "clause": lambda state, subject, supports: supports in state.eids,
}


def _check_supports(state, supports: str):
    """`supports` names what the citation backs: something this agreement has, or one of its events."""
    subject = parse_citation_subject(supports)
    known = SUBJECT_KNOWN.get(subject.kind)
    if (known is not None and known(state, subject, supports)) or supports in state.events:
        return
    raise RuleViolated(
        "unknown_citation_subject",
        f"'{supports}' is neither a clause eId, a field, a party, a lifecycle fact, an obligation, a recorded "
        "registration or depositary nor an event of this agreement.",
        "supports",
    )


def detach_citation(state, cmd: commands.DetachCitation, directory):
    if cmd.citation_id not in state.citations:
        raise RuleViolated("unknown_citation", "No such citation is attached.", "citation_id")
    return [events.CitationDetached(citation_id=cmd.citation_id)]


def record_registration(state, cmd: commands.RecordRegistration, directory):
    registered = events.RegistrationRecorded(registration_number=cmd.registration_number, date=cmd.date,
                                             registering_body=cmd.registering_body)
    registration.check_registration(state.registrations, registered, exclude=None)
    registration.check_registered_after_signature([registered], signature_dates(state))
    return [registered]


def name_depositary(state, cmd: commands.NameDepositary, directory):
    named = events.DepositaryNamed(depositary=cmd.depositary,
                                   party=registration.depositary_party(cmd.depositary, directory))
    registration.check_depositary(state.depositaries, named, exclude=None)
    return [named]


def citation_attached(state, event, event_id):
    state.citations[event.citation_id] = event.supports


def citation_detached(state, event, event_id):
    state.citations.pop(event.citation_id, None)


def registration_recorded(state, event, event_id):
    state.registrations[event_id] = event


def depositary_named(state, event, event_id):
    state.depositaries[event_id] = event


def _corrected_citation(state, fixed, original, event_id, corrections):
    if fixed.citation_id in state.citations:
        state.citations[fixed.citation_id] = fixed.supports


def _check_corrected_registration(state, fixed, original, event_id, directory):
    registration.check_registration(state.registrations, fixed, exclude=event_id)
    registration.check_registered_after_signature([fixed], signature_dates(state))


def _corrected_registration(state, fixed, original, event_id, corrections):
    if event_id in state.registrations:
        state.registrations[event_id] = fixed


def _check_corrected_depositary(state, fixed, original, event_id, directory):
    """A corrected depositary names its party anew (a code names a party, anything else a name)."""
    party = registration.depositary_party(fixed.depositary, directory)
    registration.check_depositary(state.depositaries, events.corrected(fixed, {"party": party}), exclude=event_id)
    return {"party": party}


def _corrected_depositary(state, fixed, original, event_id, corrections):
    if event_id in state.depositaries:
        state.depositaries[event_id] = fixed


DECIDE = {
    commands.AttachCitation: attach_citation,
    commands.DetachCitation: detach_citation,
    commands.RecordRegistration: record_registration,
    commands.NameDepositary: name_depositary,
}
APPLY = {
    events.CitationAttached: citation_attached,
    events.CitationDetached: citation_detached,
    events.RegistrationRecorded: registration_recorded,
    events.DepositaryNamed: depositary_named,
}
CORRECT = {
    events.CitationAttached: Correction(("locator", "quote", "supports"), apply=_corrected_citation),
    events.RegistrationRecorded: Correction(("registration_number", "date", "registering_body"),
                                            check=_check_corrected_registration, apply=_corrected_registration),
    events.DepositaryNamed: Correction(("depositary",), check=_check_corrected_depositary,
                                       apply=_corrected_depositary),
}
