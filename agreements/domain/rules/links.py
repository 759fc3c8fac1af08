"""Relations between agreements (amends, supersedes, implements...) and references from a clause to another
agreement or clause.

A relation or reference names an agreement that exists; an agreement is never related to itself; the same
link is never recorded twice, and only a recorded link is removed. A reference's note and target clause are
correctable; a relation's note is.
"""

from __future__ import annotations

from .. import commands, events
from ..errors import RuleViolated
from .clauses import clause_at
from .correcting import Correction


def _check_target(state, target, directory):
    if target != state.slug and not directory.agreement_exists(target):
        raise RuleViolated("unknown_target", f"There is no agreement '{target}'.", "target")


def add_relation(state, cmd: commands.AddRelation, directory):
    if cmd.target == state.slug:
        raise RuleViolated("relation_to_itself", "An agreement cannot be related to itself.", "target")
    _check_target(state, cmd.target, directory)
    if (cmd.relation, cmd.target) in state.relations:
        raise RuleViolated("duplicate_relation", f"This agreement already {cmd.relation} '{cmd.target}'.", "target")
    return [events.RelationAdded(relation=cmd.relation, target=cmd.target, note=cmd.note)]


def remove_relation(state, cmd: commands.RemoveRelation, directory):
    if (cmd.relation, cmd.target) not in state.relations:
        raise RuleViolated("unknown_relation", f"There is no '{cmd.relation}' relation to '{cmd.target}'.", "target")
    return [events.RelationRemoved(relation=cmd.relation, target=cmd.target)]


def add_reference(state, cmd: commands.AddReference, directory):
    clause_at(state, cmd.eid)
    _check_target(state, cmd.target, directory)
    if (cmd.eid, cmd.target, cmd.target_eid) in state.references:
        raise RuleViolated("duplicate_reference", "This clause already has that reference.", "target")
    return [events.ReferenceAdded(eid=cmd.eid, target=cmd.target, target_eid=cmd.target_eid, note=cmd.note)]


def remove_reference(state, cmd: commands.RemoveReference, directory):
    if (cmd.eid, cmd.target, cmd.target_eid) not in state.references:
        raise RuleViolated("unknown_reference", "This clause has no such reference.", "target")
    return [events.ReferenceRemoved(eid=cmd.eid, target=cmd.target, target_eid=cmd.target_eid)]


def relation_added(state, event, event_id):
    state.relations.add((event.relation, event.target))


def relation_removed(state, event, event_id):
    state.relations.discard((event.relation, event.target))


def reference_added(state, event, event_id):
    state.references.add((event.eid, event.target, event.target_eid))


def reference_removed(state, event, event_id):
    state.references.discard((event.eid, event.target, event.target_eid))


def _corrected_reference(state, fixed, original, event_id, corrections):
    """A reference whose target clause is corrected is known under its corrected target from then on."""
    old = (original.eid, original.target, original.target_eid)
    if old in state.references:
        state.references.discard(old)
        state.references.add((fixed.eid, fixed.target, fixed.target_eid))


DECIDE = {
    commands.AddRelation: add_relation,
    commands.RemoveRelation: remove_relation,
    commands.AddReference: add_reference,
    commands.RemoveReference: remove_reference,
}
APPLY = {
    events.RelationAdded: relation_added,
    events.RelationRemoved: relation_removed,
    events.ReferenceAdded: reference_added,
    events.ReferenceRemoved: reference_removed,
}
CORRECT = {
    events.RelationAdded: Correction(("note",)),
    events.ReferenceAdded: Correction(("note", "target_eid"), apply=_corrected_reference),
}
