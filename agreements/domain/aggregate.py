"""The Agreement aggregate: one event stream per agreement.

`Agreement.replay(events)` rebuilds the state the rules need (`state.AgreementState`); `decide(command,
directory)` returns the new events or raises RuleViolated naming the broken rule; `apply(event)` moves the
state on. The rules themselves live by subject in `rules/` (details, publication, parties and treaty actions,
clauses, relations and references, citations and registrations, obligations, corrections), each module
deciding its commands and applying its events side by side; this class keeps the state and picks the
handler from the tables `rules.DECIDE` and `rules.APPLY` by the class of the command or event.

What every command passes before its own rule: a command that creates the stream needs none to exist, any
other needs its agreement; and the ids it names (an obligation's, a statement's, a citation's) belong to this
agreement (`ownership`). Facts outside the stream come from a `state.Directory`, so the aggregate stays
plain Python and testable alone.
"""

from __future__ import annotations

from typing import Iterable

from . import commands, events, rules
from .errors import RuleViolated
from .ownership import check_owned_ids
from .state import AgreementState, Directory


class Agreement:
    def __init__(self):
        self.state = AgreementState()
        self.version = 0

    @property
    def exists(self) -> bool:
        return self.state.slug is not None

    @classmethod
    def replay(cls, stored: Iterable) -> "Agreement":
        """Rebuild from (event_id, DomainEvent) pairs in stream order."""
        agreement = cls()
        for event_id, event in stored:
            agreement.apply(event, event_id)
        return agreement

    def decide(self, command: commands.Command, directory: Directory) -> list[events.DomainEvent]:
        if command.creates_stream:
            if self.exists:
                raise RuleViolated("agreement_exists", f"An agreement with slug '{self.state.slug}' already exists.",
                                   "slug")
        elif not self.exists:
            raise RuleViolated("agreement_not_found", "There is no such agreement.")
        check_owned_ids(command, self.state.slug, directory)
        return rules.DECIDE[type(command)](self.state, command, directory)

    def apply(self, event: events.DomainEvent, event_id: str | None = None):
        self.version += 1
        if event_id:
            self.state.events[event_id] = event
        rules.APPLY[type(event)](self.state, event, event_id)

    def uncited_facts(self) -> list[str]:
        """The facts no citation supports (rules.publishing says which count)."""
        return rules.publishing.uncited_facts(self.state)
