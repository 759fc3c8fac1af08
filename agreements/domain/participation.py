"""Treaty law participant by participant: the actions a depositary records, their rules, and each
participant's own status on any date. The one rule, written once; every edge reads it.

Every action has a kind (ACTIONS, the table below). A depositary's status list prints, for each participant,
its signature, its consent to be bound with the kind's marker (UN Treaty Collection: ratification unmarked,
A acceptance, AA approval, a accession, d succession, c formal confirmation, s definitive signature) and the
date the treaty took effect for it. An action has two dates: `date`, when it was done (the signature, the
deposit of the instrument, the notification), and `effective`, when it takes effect (optional; a
withdrawal typically takes effect a year after its notification).

| kind | actions | meaning |
|---|---|---|
| signature | signature | signed, subject to consent (Vienna Convention on the Law of Treaties, art. 18) |
| consent | definitive_signature, ratification, acceptance, approval, accession, succession, formal_confirmation | consent to be bound (arts. 11-16) |
| provisional | provisional_application / provisional_application_end | applied before entry into force (art. 25) |
| entry_into_force | entry_into_force | recorded entry into force (of the agreement, or for one participant): overrides the derivation |
| end | withdrawal, denunciation | the participant leaves (arts. 54-56) |
| agreement_end | termination, expiry | the agreement ends for everyone |
| suspension | suspension | the operation is suspended (art. 57); the status stays, the page notes it |
| territorial | territorial_application, territorial_exclusion | to which territory it applies (names one) |
| renewal | renewal | a term renewed (see entry_into_force.py) |
| adoption | adoption | a text adopted by an organ (a General Assembly resolution) |

Rules refused with a code, nothing stored (`check_action`):
`consent_twice` (a second consent by a participant without a withdrawal or denunciation between),
`withdrawal_without_consent` (a withdrawal or denunciation by a participant never bound before it),
`predecessor_not_bound` (a succession naming a predecessor that never consented), `succession_loop` (a
predecessor that is the successor itself or, through earlier successions, succeeded to by it),
`effective_before_date` (an `effective` certainly before `date`), `predecessor_required`,
`predecessor_not_allowed`, `territory_required`, and, kept from before, `<action>_before_signature`.

Status of a participant on a date (PARTICIPANT_STATUS_RULES, the first row that holds gives it):

| status | when, on the date |
|---|---|
| none | the agreement has ended (a termination or expiry recorded, or its term's end derived) |
| succeeded | a successor's succession naming it as predecessor has taken effect |
| withdrawn | its latest withdrawal or denunciation has taken effect and no consent followed it |
| party | it is bound and the agreement is in force for it (recorded or derived: entry_into_force.py) |
| provisionally_applying | its provisional application has taken effect and not ended |
| consented | it is bound (its consent is deposited) and the agreement is not (yet) in force for it |
| signatory | it has signed |
| none | none of the above |

An action happens on the lower bound of its EDTF date (as in status.py); one with no lower bound (`../2010`)
has not certainly happened and counts for nothing. `periods` cuts a participant's history at every day
its status may change and asks the table on each: the read models store those periods.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .dates import parse_date
from .entry_into_force import Derivation, EntryIntoForceRule, derive
from .errors import RuleViolated

ACTIONS: dict[str, str] = {
    "signature": "signature",
    "definitive_signature": "consent",
    "ratification": "consent",
    "acceptance": "consent",
    "approval": "consent",
    "accession": "consent",
    "succession": "consent",
    "formal_confirmation": "consent",
    "provisional_application": "provisional",
    "provisional_application_end": "provisional_end",
    "entry_into_force": "entry_into_force",
    "withdrawal": "end",
    "denunciation": "end",
    "suspension": "suspension",
    "termination": "agreement_end",
    "expiry": "agreement_end",
    "territorial_application": "territorial",
    "territorial_exclusion": "territorial",
    "renewal": "renewal",
    "adoption": "adoption",
}
# The depositary's marker printed after a consent's date (UN Treaty Collection usage).
CONSENT_MARKERS = {
    "ratification": "",
    "acceptance": "A",
    "approval": "AA",
    "accession": "a",
    "succession": "d",
    "formal_confirmation": "c",
    "definitive_signature": "s",
}
CONSENTS = tuple(a for a, k in ACTIONS.items() if k == "consent")
# Consents that follow a signature by the same participant when both are known (accession and succession
# need none; a definitive signature is the signature).
AFTER_SIGNATURE = ("entry_into_force", "ratification", "acceptance", "approval", "formal_confirmation")

NONE = "none"
PARTICIPANT_STATUSES = ("signatory", "consented", "party", "provisionally_applying", "withdrawn", "succeeded")


def kind_of(action: str) -> str:
    return ACTIONS.get(action, "other")


class _once:
    """A property computed on first use and kept in the instance (functools.cached_property without its lock:
    a detail derives a convention's thousand actions, and the lock cost more than the dates)."""

    def __init__(self, compute):
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


@dataclass(frozen=True)
class Action:
    """One recorded action, as the rules read it (dates are EDTF strings)."""

    action: str
    date: str
    party: str | None = None
    effective: str | None = None
    predecessor: str | None = None
    territory: str | None = None
    notification: str | None = None
    event_id: str = ""

    @_once
    def kind(self) -> str:
        return kind_of(self.action)

    @_once
    def done(self) -> dt.date | None:
        return parse_date(self.date).lower

    @_once
    def effective_date(self) -> dt.date | None:
        return parse_date(self.effective).lower if self.effective else None

    @_once
    def takes_effect(self) -> dt.date | None:
        """When it takes effect: its `effective` if recorded, else when it was done."""
        return self.effective_date if self.effective else self.done


# ---------------------------------------------------------------------------------------------- rules


def _certainly_before(a: str, b: str) -> bool:
    first, second = parse_date(a), parse_date(b)
    return first.upper is not None and second.lower is not None and first.upper < second.lower


def check_action(actions: list[Action], new: Action) -> None:
    """Refuse `new` if it breaks a rule, given the agreement's current actions (other than the one corrected)."""
    if new.effective and _certainly_before(new.effective, new.date):
        raise RuleViolated("effective_before_date", f"It cannot take effect ({new.effective}) before it is done "
                           f"({new.date}).", "effective")
    if new.action == "succession" and not new.predecessor:
        raise RuleViolated("predecessor_required", "A succession names the predecessor whose consent it succeeds to.",
                           "predecessor")
    if new.action != "succession" and new.predecessor:
        raise RuleViolated("predecessor_not_allowed", "Only a succession names a predecessor.", "predecessor")
    if new.kind == "territorial" and not new.territory:
        raise RuleViolated("territory_required", "Name the territory the declaration concerns.", "territory")
    _check_signature_order(actions, new)
    if new.party is None:  # the agreement as a whole
        return
    if new.action == "succession":
        _check_succession(actions, new)
    before = set(_sequence_errors(actions, new.party))
    after = set(_sequence_errors(actions + [new], new.party)) - before
    if after:
        rule = sorted(after)[0]
        if rule == "consent_twice":
            raise RuleViolated("consent_twice", f"{new.party} is already bound by an earlier consent with no "
                               "withdrawal or denunciation between; correct that one instead.", "action")
        raise RuleViolated("withdrawal_without_consent", f"{new.party} never consented to be bound before "
                           f"{new.date}: it cannot withdraw or denounce.", "action")


def _sequence_errors(actions, party) -> list[str]:
    """A participant's consents and ends in date order alternate: consent, end, consent..."""
    steps = sorted(((a.done, 0 if a.kind == "consent" else 1) for a in actions
                    if a.party == party and a.kind in ("consent", "end") and a.done is not None))
    bound, errors = False, []
    for _, step in steps:
        if step == 0:
            if bound:
                errors.append("consent_twice")
            bound = True
        else:
            if not bound:
                errors.append("withdrawal_without_consent")
            bound = False
    return errors


def _check_succession(actions, new: Action) -> None:
    if new.predecessor == new.party:
        raise RuleViolated("succession_loop", f"{new.party} cannot succeed to itself.", "predecessor")
    successors = {a.party: a.predecessor for a in actions if a.action == "succession"}
    seen, current = set(), new.predecessor
    while current in successors and current not in seen:  # does the predecessor descend from the successor?
        seen.add(current)
        current = successors[current]
        if current == new.party:
            raise RuleViolated("succession_loop", f"{new.predecessor} already succeeds, directly or through others, "
                               f"to {new.party}: a succession cannot go round.", "predecessor")
    bound = [a for a in actions if a.party == new.predecessor and a.kind == "consent"]
    if not bound or all(a.done is not None and new.done is not None and a.done > new.done for a in bound):
        raise RuleViolated("predecessor_not_bound", f"{new.predecessor} never consented to be bound by this "
                           "agreement: there is nothing to succeed to.", "predecessor")


def _check_signature_order(actions, new: Action) -> None:
    """Entry into force and consent (after signature) never precede signature for the same participant."""
    own = [a for a in actions if a.party == new.party]
    if new.action in AFTER_SIGNATURE:
        for other in own:
            if other.action == "signature" and _certainly_before(new.date, other.date):
                raise RuleViolated(f"{new.action}_before_signature",
                                   f"{new.action.replace('_', ' ').capitalize()} on {new.date} would precede signature "
                                   f"on {other.date} for {new.party or 'the agreement as a whole'}.", "date")
    if new.action == "signature":
        for other in own:
            if other.action in AFTER_SIGNATURE and _certainly_before(other.date, new.date):
                raise RuleViolated(f"{other.action}_before_signature",
                                   f"Signature on {new.date} would come after {other.action.replace('_', ' ')} on "
                                   f"{other.date} for {new.party or 'the agreement as a whole'}.", "date")


# ---------------------------------------------------------------------------------------------- status


@dataclass(frozen=True)
class _Facts:
    """What the status rows ask of one participant on one day."""

    ended: bool
    succeeded: bool
    withdrawn: bool
    in_force: bool
    provisional: bool
    consented: bool
    signed: bool


PARTICIPANT_STATUS_RULES: tuple[tuple[str, str], ...] = (
    (NONE, "ended"),
    ("succeeded", "succeeded"),
    ("withdrawn", "withdrawn"),
    ("party", "in_force"),
    ("provisionally_applying", "provisional"),
    ("consented", "consented"),
    ("signatory", "signed"),
)


def _status(facts: _Facts) -> str:
    for status, condition in PARTICIPANT_STATUS_RULES:
        if getattr(facts, condition):
            return status
    return NONE


def _facts(party, own, successions, derivation: Derivation, on: dt.date) -> _Facts:
    def happened(day):
        return day is not None and day <= on

    ends = derivation.ends
    last_consent = max((a.done for a in own if a.kind == "consent" and happened(a.done)), default=None)
    last_end = max((ends[party].date if party in ends and a.effective is None and ends[party].date >= a.done
                    else a.takes_effect for a in own if a.kind == "end" and happened(a.done)),
                   default=None)
    withdrawn = happened(last_end) and (last_consent is None or last_consent <= last_end)
    consented = last_consent is not None and (last_end is None or not happened(last_end) or last_consent > last_end)
    started = [a.takes_effect for a in own if a.action == "provisional_application" and happened(a.takes_effect)]
    stopped = [a.takes_effect for a in own if a.action == "provisional_application_end" and happened(a.takes_effect)]
    provisional = bool(started) and (not stopped or max(stopped) < max(started))
    in_force_for = derivation.parties.get(party)
    return _Facts(
        ended=derivation.expiry is not None and happened(derivation.expiry.date),
        succeeded=any(happened(a.takes_effect) for a in successions),
        withdrawn=withdrawn,
        in_force=consented and in_force_for is not None and happened(in_force_for.date),
        provisional=provisional,
        consented=consented,
        signed=any(a.action == "signature" and happened(a.done) for a in own),
    )


@dataclass(frozen=True)
class Period:
    party: str
    status: str
    valid_from: dt.date
    valid_to: dt.date | None  # exclusive; None: open
    how: str = ""  # for `party`: how its entry into force was obtained (entry_into_force.py)


@dataclass
class Participation:
    """The derivation (dates and how) and each participant's periods of status."""

    derivation: Derivation
    periods: list  # [Period], by participant then date


def _grouped(actions, parties):
    """(the participants in order, their own actions, the successions naming each as predecessor)."""
    participants = list(dict.fromkeys([*parties, *(a.party for a in actions if a.party is not None)]))
    by_party: dict = {}
    succeeded_by: dict = {}
    for a in actions:
        by_party.setdefault(a.party, []).append(a)
        if a.action == "succession":
            succeeded_by.setdefault(a.predecessor, []).append(a)
    return participants, by_party, succeeded_by


def statuses_on(actions: list[Action], rule: EntryIntoForceRule | None, parties, on: dt.date,
                only=None) -> tuple[Derivation, dict]:
    """The derivation and each participant's status on one day: the table above asked once per participant
    (what `participation` cuts into periods; a detail page needs only its own date). With `only` (a set of
    participants), the statuses of those alone: the derivation reads every action all the same."""
    derivation = derive(actions, rule, parties)
    participants, by_party, succeeded_by = _grouped(actions, list(parties))
    return derivation, {party: _status(_facts(party, by_party.get(party, []), succeeded_by.get(party, []),
                                              derivation, on))
                        for party in participants if only is None or party in only}


def participation(actions: list[Action], rule: EntryIntoForceRule | None, parties=()) -> Participation:
    """Every participant's status periods: the table above asked on each day a status may change."""
    derivation = derive(actions, rule, parties)
    participants, by_party, succeeded_by = _grouped(actions, list(parties))
    periods = []
    for party in participants:
        own = by_party.get(party, [])
        successions = succeeded_by.get(party, [])
        days = {d for a in own for d in (a.done, a.takes_effect) if d is not None}
        days |= {a.takes_effect for a in successions if a.takes_effect is not None}
        days |= {d.date for d in (derivation.parties.get(party), derivation.expiry, derivation.ends.get(party)) if d}
        current = None
        for day in sorted(days):
            status = _status(_facts(party, own, successions, derivation, day))
            if current is not None and current[0] == status:
                continue
            if current is not None and current[0] != NONE:
                periods.append(Period(party, current[0], current[1], day, current[2]))
            how = derivation.parties[party].how if status == "party" else ""
            current = (status, day, how)
        if current is not None and current[0] != NONE:
            periods.append(Period(party, current[0], current[1], None, current[2]))
    return Participation(derivation, periods)


def status_on(periods, party: str, on: dt.date) -> str:
    """A participant's status on a day, from its periods (`participation(...).periods` or the read model)."""
    for period in periods:
        if period.party == party and period.valid_from <= on and (period.valid_to is None or on < period.valid_to):
            return period.status
    return NONE


def action_of(event, event_id: str = "") -> Action:
    """The rules' view of a LifecycleRecorded event (or a lifecycle read-model row with the same fields; a row's
    `date_lower`, the lower bound of its date, is taken as the day it was done rather than parsed again)."""
    party = event.party if hasattr(event, "party") else event.party_code
    # The fields set directly: a frozen dataclass's __init__ sets each through object.__setattr__, which cost
    # more than the rules for a convention's thousand actions. The result is the same frozen Action.
    action = object.__new__(Action)
    action.__dict__.update(action=event.action, date=event.date, party=party or None,
                           effective=event.effective or None, predecessor=event.predecessor or None,
                           territory=event.territory or None, notification=event.notification or None,
                           event_id=event_id)
    if hasattr(event, "date_lower"):
        action.__dict__["done"] = event.date_lower
    return action


def action_from(action, party, date, done, effective, predecessor, territory, notification) -> Action:
    """`action_of` from a lifecycle read-model row's values (`done`: the lower bound of its date, not parsed
    again): the same Action, built without asking a row which fields it has (a convention has a thousand)."""
    built = object.__new__(Action)
    built.__dict__.update(action=action, date=date, party=party or None, effective=effective or None,
                          predecessor=predecessor or None, territory=territory or None,
                          notification=notification or None, event_id="", done=done, kind=kind_of(action))
    return built
