"""Clauses and their texts: adding a clause (or the same clause in another authentic language), amending,
repealing and renumbering it.

An eId names one clause for good within its agreement: it is never reused, and a renumbered clause keeps its
identity under its new eId. A clause in several authentic languages is one clause with one version history
per language, under one eId. Nothing is amended, repealed or renumbered with effect before the clause takes
effect, nor after it is repealed; an amending instrument must exist.
"""

from __future__ import annotations

from .. import commands, events
from ..dates import parse_date
from ..errors import RuleViolated
from ..identities import clause_identity
from ..state import ClauseState
from .correcting import Correction


def clause_at(state, eid: str, field_name: str = "eid") -> ClauseState:
    """The clause the eId names now (a renumbered clause answers to its new eId only)."""
    clause = state.clauses.get(state.eids.get(eid))
    if clause is None or clause.eid != eid:
        raise RuleViolated("unknown_clause", f"This agreement has no clause '{eid}'.", field_name)
    return clause


def _live_clause(state, eid: str, refused: str) -> ClauseState:
    clause = clause_at(state, eid)
    if clause.repealed:
        raise RuleViolated("clause_repealed", f"The clause '{eid}' {refused}", "eid")
    return clause


def _check_amending_instrument(state, by, directory):
    if by is not None and by != state.slug and not directory.agreement_exists(by):
        raise RuleViolated("unknown_agreement", f"There is no agreement '{by}' to amend by.", "by")


def _check_not_before_clause(clause: ClauseState, effective: str, verb: str):
    new = parse_date(effective)
    if clause.effective_lower and new.upper and new.upper < clause.effective_lower:
        raise RuleViolated(
            f"{verb}_before_clause",
            f"The clause '{clause.eid}' takes effect on {clause.effective_lower}; it cannot be {verb}ed "
            f"with effect from {effective}.",
            "effective",
        )


def _language_id(clause: ClauseState, language: str | None) -> str:
    if language is None:
        return clause.clause_id
    if language not in clause.languages:
        known = ", ".join(clause.languages) or "none"
        raise RuleViolated("unknown_language", f"The clause '{clause.eid}' has no text in '{language}' (it has: "
                           f"{known}); add it with AddClause and that language.", "language")
    return clause.languages[language]


def add_clause(state, cmd: commands.AddClause, directory):
    if not (cmd.text or cmd.number or cmd.heading):
        raise RuleViolated("empty_clause", "A clause needs a text, or a number or heading (a container).", "text")
    if cmd.eid in state.eids:
        return _language_version(state, cmd)
    if cmd.parent is not None:
        parent = clause_at(state, cmd.parent, "parent")
        if parent.repealed:
            raise RuleViolated("parent_repealed", f"The parent clause '{cmd.parent}' is repealed.", "parent")
    return [_added(cmd, clause_identity(state.slug, cmd.eid))]


def _language_version(state, cmd: commands.AddClause):
    """The same clause in another authentic language: its own version history, the same eId."""
    group = state.clauses.get(state.eids[cmd.eid])
    if group is None or group.eid != cmd.eid or group.repealed or cmd.language in group.languages:
        raise RuleViolated("duplicate_eid", f"The eId '{cmd.eid}' is already used in this agreement"
                           + (f" in '{cmd.language}'." if group and cmd.language in group.languages else "."), "eid")
    return [_added(cmd, clause_identity(state.slug, f"{cmd.eid}@{cmd.language}"))]


def _added(cmd: commands.AddClause, clause_id: str) -> events.ClauseAdded:
    return events.ClauseAdded(clause_id=clause_id, eid=cmd.eid, text=cmd.text, text_kind=cmd.text_kind,
                              number=cmd.number, heading=cmd.heading, language=cmd.language, parent=cmd.parent,
                              effective=cmd.effective)


def amend_clause(state, cmd: commands.AmendClause, directory):
    clause = _live_clause(state, cmd.eid, "is repealed; it cannot be amended.")
    _check_not_before_clause(clause, cmd.effective, "amend")
    _check_amending_instrument(state, cmd.by, directory)
    return [events.ClauseAmended(clause_id=_language_id(clause, cmd.language), eid=cmd.eid, text=cmd.text,
                                 effective=cmd.effective, by=cmd.by, text_kind=cmd.text_kind, language=cmd.language)]


def repeal_clause(state, cmd: commands.RepealClause, directory):
    clause = _live_clause(state, cmd.eid, "is already repealed.")
    _check_not_before_clause(clause, cmd.effective, "repeal")
    _check_amending_instrument(state, cmd.by, directory)
    # Every language version of the clause is repealed with it.
    return [events.ClauseRepealed(clause_id=clause_id, eid=cmd.eid, effective=cmd.effective, by=cmd.by)
            for clause_id in clause.ids()]


def renumber_clause(state, cmd: commands.RenumberClause, directory):
    clause = _live_clause(state, cmd.eid, "is repealed; it cannot be renumbered.")
    if cmd.new_eid in state.eids:
        raise RuleViolated("duplicate_eid", f"The eId '{cmd.new_eid}' is already used in this agreement.", "new_eid")
    if cmd.effective:
        _check_not_before_clause(clause, cmd.effective, "renumber")
    return [events.ClauseRenumbered(clause_id=clause_id, eid=cmd.eid, new_eid=cmd.new_eid, number=cmd.number,
                                    effective=cmd.effective)
            for clause_id in clause.ids()]


def clause_added(state, event, event_id):
    group = state.clauses.get(state.eids.get(event.eid))
    if group is not None and group.eid == event.eid and event.clause_id != group.clause_id:
        group.languages[event.language] = event.clause_id  # another authentic language of the same clause
        state.clauses[event.clause_id] = group
        return
    lower = parse_date(event.effective).lower if event.effective else None
    state.clauses[event.clause_id] = ClauseState(event.clause_id, event.eid, lower,
                                                 languages={event.language: event.clause_id})
    state.eids[event.eid] = event.clause_id


def clause_amended(state, event, event_id):
    """An amendment changes a text, which no rule reads: the state stays as it is."""


def clause_repealed(state, event, event_id):
    state.clauses[event.clause_id].repealed = True


def clause_renumbered(state, event, event_id):
    clause = state.clauses[event.clause_id]
    clause.eid = event.new_eid
    state.eids[event.new_eid] = clause.clause_id


def _check_corrected_change(state, fixed, original, event_id, directory):
    _check_not_before_clause(state.clauses[fixed.clause_id], fixed.effective, "amend")


def _corrected_addition(state, fixed, original, event_id, corrections):
    clause = state.clauses[fixed.clause_id]
    if clause.clause_id == fixed.clause_id:  # the clause's own text, not another language's
        clause.effective_lower = parse_date(fixed.effective).lower if fixed.effective else None


DECIDE = {
    commands.AddClause: add_clause,
    commands.AmendClause: amend_clause,
    commands.RepealClause: repeal_clause,
    commands.RenumberClause: renumber_clause,
}
APPLY = {
    events.ClauseAdded: clause_added,
    events.ClauseAmended: clause_amended,
    events.ClauseRepealed: clause_repealed,
    events.ClauseRenumbered: clause_renumbered,
}
CORRECT = {
    events.ClauseAdded: Correction(("text", "text_kind", "number", "heading", "language", "effective"),
                                   apply=_corrected_addition),
    events.ClauseAmended: Correction(("text", "text_kind", "effective", "by"), check=_check_corrected_change),
    events.ClauseRepealed: Correction(("effective", "by"), check=_check_corrected_change),
    events.ClauseRenumbered: Correction(("number", "effective")),
}
