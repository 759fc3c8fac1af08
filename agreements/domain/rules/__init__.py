"""The Agreement's rules by subject, and the tables that pick them.

Each subject's module holds its commands' decisions and its events' effects side by side, and declares how
its events are corrected, as three tables: `DECIDE` (command class -> `decide(state, command, directory)`
returning the new events or raising RuleViolated), `APPLY` (event class -> `apply(state, event, event_id)`)
and `CORRECT` (event class -> `correcting.Correction`). This package merges them once, refusing a command or
event claimed by two subjects, so the aggregate picks a handler by the class of what it is given and nothing
is found by its name.

| subject | module | commands |
|---|---|---|
| details | `details` | DraftAgreement, EditDetails |
| review and publication | `publishing` | SubmitForReview, Publish, ReturnToDraft, Unpublish |
| parties and treaty actions | `participants` | AddParty, RemoveParty, RecordLifecycle, MakeStatement, WithdrawStatement, SetEntryIntoForceRule |
| clauses and their texts | `clauses` | AddClause, AmendClause, RepealClause, RenumberClause |
| relations and references | `links` | AddRelation, RemoveRelation, AddReference, RemoveReference |
| citations, registrations, depositaries | `records` | AttachCitation, DetachCitation, RecordRegistration, NameDepositary |
| obligations | `obligations` | CodeObligation, UncodeObligation |
| corrections | `correcting` | CorrectEvent (over every subject's `CORRECT`) |
"""

from __future__ import annotations

from .. import commands, events
from . import clauses, correcting, details, links, obligations, participants, publishing, records

SUBJECTS = (details, publishing, participants, clauses, links, records, obligations)


def _merged(tables: list[dict]) -> dict:
    merged: dict = {}
    for table in tables:
        for kind, handler in table.items():
            if kind in merged:
                raise ImportError(f"{kind.__name__} is handled by two subjects")
            merged[kind] = handler
    return merged


CORRECT: dict = _merged([subject.CORRECT for subject in SUBJECTS])
DECIDE: dict = _merged([subject.DECIDE for subject in SUBJECTS] + [{commands.CorrectEvent: correcting.decider(CORRECT)}])
APPLY: dict = _merged([subject.APPLY for subject in SUBJECTS] + [{events.EventCorrected: correcting.applier(CORRECT)}])

# Event type name -> the fields a correction may change: what the admin's correction form offers.
CORRECTABLE_FIELDS: dict[str, tuple[str, ...]] = {kind.__name__: rule.fields for kind, rule in CORRECT.items()}
