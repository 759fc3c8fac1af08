"""What the Agreement's rules remember between commands, and what they may ask outside the stream.

`AgreementState` is rebuilt from an agreement's events (`aggregate.Agreement.replay`); it holds only what a
rule needs to decide the next command: which parties, clauses, citations, actions and codings exist, not how
they read on a date (the read models, built by the projector, answer that). Facts outside the stream (does
that party, source or target agreement exist?) come from a `Directory`, so the rules stay plain Python and
testable without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class Directory(Protocol):
    def agreement_exists(self, slug: str) -> bool: ...

    def party_exists(self, code: str) -> bool: ...

    def source_exists(self, source: str) -> bool: ...

    def work_uri_taken(self, uri: str) -> bool: ...


@dataclass
class ClauseState:
    clause_id: str
    eid: str
    effective_lower: object = None  # datetime.date or None
    repealed: bool = False
    # The clause's text in each authentic language: language -> clause id (the first is the clause's own id).
    languages: dict = field(default_factory=dict)

    def ids(self) -> list[str]:
        """The clause's own id, then those of its other language versions."""
        return [self.clause_id] + [i for i in self.languages.values() if i != self.clause_id]


@dataclass
class AgreementState:
    slug: str | None = None
    title: str = ""
    kind: str = ""
    work_date: str | None = None
    publication: str = "draft"
    parties: dict = field(default_factory=dict)  # code -> role
    lifecycle: list = field(default_factory=list)  # (event_id, action, party, date)
    actions: dict = field(default_factory=dict)  # event_id -> LifecycleRecorded (as corrected)
    statements: dict = field(default_factory=dict)  # statement id -> statements.StatementState
    eif_rule: dict | None = None  # the entry-into-force rule's fields (EntryIntoForceRuleSet)
    clauses: dict = field(default_factory=dict)  # clause_id -> ClauseState
    eids: dict = field(default_factory=dict)  # eid -> clause_id (every eid ever used)
    relations: set = field(default_factory=set)  # (relation, target)
    references: set = field(default_factory=set)  # (eid, target, target_eid)
    citations: dict = field(default_factory=dict)  # citation id -> what it supports
    obligations: dict = field(default_factory=dict)  # obligation id -> ObligationCoded (as corrected); live only
    obligations_coded: int = 0  # every coding ever made, for identities
    registrations: dict = field(default_factory=dict)  # event id -> RegistrationRecorded (as corrected)
    depositaries: dict = field(default_factory=dict)  # event id -> DepositaryNamed (as corrected)
    events: dict = field(default_factory=dict)  # event_id -> DomainEvent (as currently corrected)
