"""Obligations coded from clauses: who must, may or must not do what, towards whom, from when to when.

A coding names a live clause and parties of the agreement (all of them when none is named); it ends no
earlier than it takes effect; one clause is not coded twice with the same obligation for the same party
(correct that coding instead). The vocabulary of obligations, modalities and conditions is in the domain's
`obligations` module. A coding is correctable while it stands, and a corrected coding passes the same rules.
"""

from __future__ import annotations

from .. import commands, events
from ..dates import parse_date
from ..errors import RuleViolated
from ..identities import obligation_identity
from ..obligations import check_coding, label
from .clauses import clause_at
from .correcting import Correction


def code_obligation(state, cmd: commands.CodeObligation, directory):
    clause = clause_at(state, cmd.eid)
    if clause.repealed:
        raise RuleViolated("clause_repealed", f"The clause '{cmd.eid}' is repealed; it creates no obligation.", "eid")
    coded = events.ObligationCoded(
        obligation_id=cmd.obligation_id or obligation_identity(state.slug, cmd.eid, state.obligations_coded + 1),
        clause_id=clause.clause_id,
        eid=cmd.eid,
        obligation=cmd.obligation,
        modality=cmd.modality,
        parties=list(cmd.parties) or sorted(state.parties),
        conditions=list(cmd.conditions),
        towards=list(cmd.towards),
        adversary=cmd.adversary.strip(),
        effective=cmd.effective,
        until=cmd.until,
        note=cmd.note,
    )
    if coded.obligation_id in state.obligations or (cmd.obligation_id and cmd.obligation_id in state.events):
        raise RuleViolated("duplicate_obligation_id", "That obligation id is already used.", "obligation_id")
    _check_coding(state, coded, exclude=None)
    return [coded]


def _check_coding(state, coded: events.ObligationCoded, exclude: str | None):
    """The rules of a coding that need the agreement: parties are parties, dates in order, no double coding."""
    check_coding(coded.conditions, coded.adversary)
    if not coded.parties:
        raise RuleViolated("no_party_bound", "The agreement has no parties yet; add them before coding.", "parties")
    for name in ("parties", "towards"):
        strangers = [party for party in getattr(coded, name) if party not in state.parties]
        if strangers:
            raise RuleViolated("obligation_for_non_party", f"{', '.join(strangers)} is not a party to this agreement.",
                               name)
    if coded.effective and coded.until and _definitely_before(parse_date(coded.until), parse_date(coded.effective)):
        raise RuleViolated("obligation_ends_before_it_starts",
                           f"The obligation cannot end ({coded.until}) before it takes effect ({coded.effective}).",
                           "until")
    for other_id, other in state.obligations.items():
        shared = set(other.parties) & set(coded.parties)
        if other_id != exclude and other.clause_id == coded.clause_id and other.obligation == coded.obligation and shared:
            raise RuleViolated(
                "duplicate_obligation",
                f"'{coded.eid}' is already coded as {label(coded.obligation).lower()} for "
                f"{', '.join(sorted(shared))}; correct that coding instead.",
                "obligation",
            )


def _definitely_before(a, b) -> bool:
    """True only when every reading of EDTF date `a` falls before every reading of `b`."""
    return a.upper is not None and b.lower is not None and a.upper < b.lower


def uncode_obligation(state, cmd: commands.UncodeObligation, directory):
    if cmd.obligation_id not in state.obligations:
        raise RuleViolated("unknown_obligation", "No such obligation is coded.", "obligation_id")
    return [events.ObligationUncoded(obligation_id=cmd.obligation_id, reason=cmd.reason)]


def obligation_coded(state, event, event_id):
    state.obligations[event.obligation_id] = event
    state.obligations_coded += 1


def obligation_uncoded(state, event, event_id):
    state.obligations.pop(event.obligation_id, None)


def _check_corrected_coding(state, fixed, original, event_id, directory):
    if fixed.obligation_id not in state.obligations:
        raise RuleViolated("unknown_obligation", "That obligation is uncoded; code it anew instead.", "event_id")
    _check_coding(state, fixed, exclude=fixed.obligation_id)


def _corrected_coding(state, fixed, original, event_id, corrections):
    if fixed.obligation_id in state.obligations:
        state.obligations[fixed.obligation_id] = fixed


DECIDE = {
    commands.CodeObligation: code_obligation,
    commands.UncodeObligation: uncode_obligation,
}
APPLY = {
    events.ObligationCoded: obligation_coded,
    events.ObligationUncoded: obligation_uncoded,
}
CORRECT = {
    events.ObligationCoded: Correction(
        ("obligation", "modality", "conditions", "parties", "towards", "adversary", "effective", "until", "note"),
        check=_check_corrected_coding, apply=_corrected_coding),
}
