"""Parties and their treaty actions: who is party to the agreement, each participant's actions as a depositary
records them (signature, ratification, accession, succession, withdrawal...), their reservations, declarations
and objections, and the rule by which the agreement enters into force.

The rules themselves are tables in plain modules of their own, which know no command or event: the order and
consent rules of actions in `participation`, those of statements in `statements`, the entry-into-force rule in
`entry_into_force`, a party's years of existence in `existence`. This module turns commands into the events
those rules allow, and keeps the state they read. A party with recorded actions or coded obligations is not
removed (correct the facts instead); an action's dates and particulars are correctable and the corrected action
passes the same rules, including that no registration precedes every signature.
"""

from __future__ import annotations

import dataclasses

from .. import commands, entry_into_force, events, participation, registration, statements
from ..errors import RuleViolated
from ..existence import check_party_existed, directory_span
from ..identities import statement_identity
from .clauses import clause_at
from .correcting import Correction

ACTION_FIELDS = ("action", "date", "party", "effective", "predecessor", "territory", "notification")


def add_party(state, cmd: commands.AddParty, directory):
    if not directory.party_exists(cmd.party):
        raise RuleViolated("unknown_party", f"There is no party with code '{cmd.party}'.", "party")
    if cmd.party in state.parties:
        raise RuleViolated("duplicate_party", f"{cmd.party} is already a party to this agreement.", "party")
    check_party_existed(cmd.party, directory_span(directory, cmd.party), state.work_date, cmd.reason)
    return [events.PartyAdded(party=cmd.party, role=cmd.role, reason=cmd.reason)]


def remove_party(state, cmd: commands.RemoveParty, directory):
    if cmd.party not in state.parties:
        raise RuleViolated("not_a_party", f"{cmd.party} is not a party to this agreement.", "party")
    if any(cmd.party in (*coded.parties, *coded.towards) for coded in state.obligations.values()):
        raise RuleViolated("party_has_obligations", f"{cmd.party} is named in coded obligations; uncode or correct "
                           "them before removing the party.", "party")
    if any(party == cmd.party for _, _, party, _ in state.lifecycle):
        raise RuleViolated("party_has_lifecycle", f"{cmd.party} has lifecycle facts recorded; correct or keep them "
                           "rather than removing the party.", "party")
    return [events.PartyRemoved(party=cmd.party)]


def record_lifecycle(state, cmd: commands.RecordLifecycle, directory):
    if cmd.party is not None and cmd.party not in state.parties:
        raise RuleViolated("lifecycle_for_non_party", f"{cmd.party} is not a party to this agreement; add it first.",
                           "party")
    recorded = events.LifecycleRecorded(**{name: getattr(cmd, name) for name in ACTION_FIELDS})
    participation.check_action(_actions(state), participation.action_of(recorded))
    return [recorded]


def _actions(state, exclude: str | None = None) -> list:
    return [participation.action_of(event, event_id) for event_id, event in state.actions.items()
            if event_id != exclude]


def signature_dates(state, exclude: str | None = None, instead: str | None = None) -> list[str]:
    """The dates of the agreement's signatures (by anyone), less the fact `exclude`, plus `instead`."""
    dates = [date for event_id, action, _, date in state.lifecycle if action == "signature" and event_id != exclude]
    return dates + ([instead] if instead else [])


def make_statement(state, cmd: commands.MakeStatement, directory):
    existing = statements.check_statement(state.statements, state.parties, cmd)
    for eid in cmd.eids:
        clause_at(state, eid, "eids")
    statement_id = existing.statement_id if existing else statement_identity(state.slug, len(state.statements) + 1)
    return [events.StatementMade(statement_id=statement_id, party=cmd.party, kind=cmd.kind, text=cmd.text,
                                 date=cmd.date, language=cmd.language, eids=list(cmd.eids), made_at=cmd.made_at,
                                 objects_to=cmd.objects_to, opposes_entry_into_force=cmd.opposes_entry_into_force)]


def withdraw_statement(state, cmd: commands.WithdrawStatement, directory):
    statements.check_withdrawal(state.statements, cmd)
    return [events.StatementWithdrawn(statement_id=cmd.statement_id, date=cmd.date, text=cmd.text or "")]


def set_entry_into_force_rule(state, cmd: commands.SetEntryIntoForceRule, directory):
    rule = entry_into_force.EntryIntoForceRule.from_fields(
        {name: getattr(cmd, name) for name in entry_into_force.RULE_FIELDS})
    entry_into_force.check_rule(rule)
    return [events.EntryIntoForceRuleSet(rule=rule.fields())]


def party_added(state, event, event_id):
    state.parties[event.party] = event.role


def party_removed(state, event, event_id):
    state.parties.pop(event.party, None)


def lifecycle_recorded(state, event, event_id):
    state.lifecycle.append((event_id, event.action, event.party, event.date))
    state.actions[event_id] = event


def statement_made(state, event, event_id):
    statements.apply_made(state.statements, event)


def statement_withdrawn(state, event, event_id):
    state.statements[event.statement_id].withdrawn = not event.text  # a text withdraws a part only


def entry_into_force_rule_set(state, event, event_id):
    state.eif_rule = event.rule


def _check_corrected_action(state, fixed, original, event_id, directory):
    participation.check_action(_actions(state, exclude=event_id), participation.action_of(fixed))
    if "signature" in (fixed.action, original.action):
        signed = fixed.date if fixed.action == "signature" else None
        registration.check_registered_after_signature(
            state.registrations.values(), signature_dates(state, exclude=event_id, instead=signed))


def _corrected_action(state, fixed, original, event_id, corrections):
    state.actions[event_id] = fixed
    state.lifecycle = [(other, action, party, fixed.date if other == event_id else date)
                       for other, action, party, date in state.lifecycle]


def _corrected_statement(state, fixed, original, event_id, corrections):
    if fixed.statement_id in state.statements:
        state.statements[fixed.statement_id].date = fixed.date


def _check_corrected_withdrawal(state, fixed, original, event_id, directory):
    """The withdrawal is checked as if it had not happened yet: against the statement before it."""
    before = dataclasses.replace(state.statements[fixed.statement_id], withdrawn=False)
    statements.check_withdrawal({**state.statements, fixed.statement_id: before}, fixed)


DECIDE = {
    commands.AddParty: add_party,
    commands.RemoveParty: remove_party,
    commands.RecordLifecycle: record_lifecycle,
    commands.MakeStatement: make_statement,
    commands.WithdrawStatement: withdraw_statement,
    commands.SetEntryIntoForceRule: set_entry_into_force_rule,
}
APPLY = {
    events.PartyAdded: party_added,
    events.PartyRemoved: party_removed,
    events.LifecycleRecorded: lifecycle_recorded,
    events.StatementMade: statement_made,
    events.StatementWithdrawn: statement_withdrawn,
    events.EntryIntoForceRuleSet: entry_into_force_rule_set,
}
CORRECT = {
    events.LifecycleRecorded: Correction(("date", "effective", "predecessor", "territory", "notification"),
                                         check=_check_corrected_action, apply=_corrected_action),
    events.StatementMade: Correction(("text", "date", "eids", "made_at", "opposes_entry_into_force"),
                                     apply=_corrected_statement),
    events.StatementWithdrawn: Correction(("date", "text"), check=_check_corrected_withdrawal),
}
