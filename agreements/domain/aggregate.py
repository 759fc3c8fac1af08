"""The Agreement aggregate: one event stream per agreement.

`Agreement.replay(events)` rebuilds the state the rules need; `decide(command, directory)` returns the new
events or raises RuleViolated naming the broken rule. Facts outside the stream (does that party, source or
target agreement exist?) come from a `Directory`, so the aggregate stays plain Python and testable alone.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from typing import Iterable, Protocol

from . import commands as c
from . import entry_into_force as eif
from . import events as e
from . import obligations as ob
from . import participation as pa
from . import registration as reg
from . import statements as st
from .dates import parse_date
from .errors import InvalidCommand, RuleViolated
from .existence import check_party_existed, directory_span
from .ownership import check_owned_ids
from .vocabulary import (
    DEPOSITARY_SUBJECT,
    REGISTRATION_SUBJECT,
    RULE_SUBJECT,
    lifecycle_subject,
    parse_citation_subject,
    statement_subject,
)


class Directory(Protocol):
    def agreement_exists(self, slug: str) -> bool: ...

    def party_exists(self, code: str) -> bool: ...

    def source_exists(self, source: str) -> bool: ...

    def work_uri_taken(self, uri: str) -> bool: ...


def stream_id(slug: str) -> str:
    return f"agreement:{slug}"


def work_uri(slug: str, work_date: str | None) -> str:
    year = parse_date(work_date).lower.year if work_date and parse_date(work_date).lower else None
    return f"/akn/int/treaty/{year or 'undated'}/{slug}"


# Identities are derived, not random, so the same commands give the same events on any machine.
IDENTITY_NAMESPACE = uuid.UUID("6f1d2a52-3c4e-4f7a-9a63-1c0f5e0b7d21")


def clause_identity(slug: str, eid: str) -> str:
    """eIds are never reused within an agreement, so (agreement, first eId) names a clause for good."""
    return str(uuid.uuid5(IDENTITY_NAMESPACE, f"clause:{slug}#{eid}"))


def obligation_identity(slug: str, eid: str, number: int) -> str:
    """The `number`-th coding made in the agreement: stable for the same history on any machine."""
    return str(uuid.uuid5(IDENTITY_NAMESPACE, f"obligation:{slug}#{eid}|{number}"))


def statement_identity(slug: str, number: int) -> str:
    """The `number`-th statement made in the agreement: stable for the same history on any machine."""
    return str(uuid.uuid5(IDENTITY_NAMESPACE, f"statement:{slug}|{number}"))


def citation_identity(slug: str, cmd) -> str:
    return str(uuid.uuid5(IDENTITY_NAMESPACE, f"citation:{slug}|{cmd.source}|{cmd.locator}|{cmd.quote}|{cmd.supports}"))


@dataclass
class ClauseState:
    clause_id: str
    eid: str
    effective_lower: object = None  # datetime.date or None
    repealed: bool = False
    # The clause's text in each authentic language: language -> clause id (the first is the clause's own id).
    languages: dict = field(default_factory=dict)


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

    # ------------------------------------------------------------------ deciding

    def decide(self, command: c.Command, directory: Directory) -> list[e.DomainEvent]:
        if command.creates_stream:
            if self.exists:
                raise RuleViolated("agreement_exists", f"An agreement with slug '{self.state.slug}' already exists.", "slug")
        elif not self.exists:
            raise RuleViolated("agreement_not_found", "There is no such agreement.")
        check_owned_ids(command, self.state.slug, directory)
        handler = getattr(self, f"_decide_{command.type}")
        return handler(command, directory)

    def _decide_DraftAgreement(self, cmd: c.DraftAgreement, directory):
        if directory.agreement_exists(cmd.slug):
            raise RuleViolated("agreement_exists", f"An agreement with slug '{cmd.slug}' already exists.", "slug")
        uri = cmd.work_uri or work_uri(cmd.slug, cmd.work_date)
        taken = getattr(directory, "work_uri_taken", None)
        if taken is not None and taken(uri):
            raise RuleViolated("work_uri_taken", f"Another agreement already has the work URI '{uri}'.",
                               "work_uri" if cmd.work_uri else "slug")
        return [
            e.AgreementDrafted(
                slug=cmd.slug,
                title=cmd.title,
                kind=cmd.kind,
                work_uri=uri,
                summary=cmd.summary,
                place=cmd.place,
                titles=dict(cmd.titles),
                work_date=cmd.work_date,
            )
        ]

    def _decide_EditDetails(self, cmd: c.EditDetails, directory):
        changes = {
            name: getattr(cmd, name)
            for name in ("title", "kind", "summary", "place", "titles", "work_date")
            if getattr(cmd, name) is not None
        }
        return [e.DetailsEdited(changes=changes)]

    def _decide_AddParty(self, cmd: c.AddParty, directory):
        if not directory.party_exists(cmd.party):
            raise RuleViolated("unknown_party", f"There is no party with code '{cmd.party}'.", "party")
        if cmd.party in self.state.parties:
            raise RuleViolated("duplicate_party", f"{cmd.party} is already a party to this agreement.", "party")
        check_party_existed(cmd.party, directory_span(directory, cmd.party), self.state.work_date, cmd.reason)
        return [e.PartyAdded(party=cmd.party, role=cmd.role, reason=cmd.reason)]

    def _decide_RemoveParty(self, cmd: c.RemoveParty, directory):
        if cmd.party not in self.state.parties:
            raise RuleViolated("not_a_party", f"{cmd.party} is not a party to this agreement.", "party")
        if any(cmd.party in (*o.parties, *o.towards) for o in self.state.obligations.values()):
            raise RuleViolated(
                "party_has_obligations",
                f"{cmd.party} is named in coded obligations; uncode or correct them before removing the party.",
                "party",
            )
        if any(party == cmd.party for _, _, party, _ in self.state.lifecycle):
            raise RuleViolated(
                "party_has_lifecycle",
                f"{cmd.party} has lifecycle facts recorded; correct or keep them rather than removing the party.",
                "party",
            )
        return [e.PartyRemoved(party=cmd.party)]

    def _decide_RecordLifecycle(self, cmd: c.RecordLifecycle, directory):
        if cmd.party is not None and cmd.party not in self.state.parties:
            raise RuleViolated(
                "lifecycle_for_non_party", f"{cmd.party} is not a party to this agreement; add it first.", "party"
            )
        fields = {k: getattr(cmd, k) for k in ("action", "date", "party", "effective", "predecessor", "territory",
                                               "notification")}
        recorded = e.LifecycleRecorded(**fields)
        pa.check_action(self._actions(), pa.action_of(recorded))
        return [recorded]

    def _actions(self, exclude: str | None = None) -> list:
        return [pa.action_of(ev, eid_) for eid_, ev in self.state.actions.items() if eid_ != exclude]

    def _decide_MakeStatement(self, cmd: c.MakeStatement, directory):
        existing = st.check_statement(self.state.statements, self.state.parties, cmd)
        for eid in cmd.eids:
            self._clause(eid, "eids")
        statement_id = existing.statement_id if existing else statement_identity(self.state.slug,
                                                                                 len(self.state.statements) + 1)
        return [e.StatementMade(statement_id=statement_id, party=cmd.party, kind=cmd.kind, text=cmd.text,
                                date=cmd.date, language=cmd.language, eids=list(cmd.eids), made_at=cmd.made_at,
                                objects_to=cmd.objects_to, opposes_entry_into_force=cmd.opposes_entry_into_force)]

    def _decide_WithdrawStatement(self, cmd: c.WithdrawStatement, directory):
        st.check_withdrawal(self.state.statements, cmd)
        return [e.StatementWithdrawn(statement_id=cmd.statement_id, date=cmd.date, text=cmd.text or "")]

    def _decide_SetEntryIntoForceRule(self, cmd: c.SetEntryIntoForceRule, directory):
        rule = eif.EntryIntoForceRule.from_fields({n: getattr(cmd, n) for n in eif.RULE_FIELDS})
        eif.check_rule(rule)
        return [e.EntryIntoForceRuleSet(rule=rule.fields())]

    def _clause(self, eid: str, field_name: str = "eid") -> ClauseState:
        clause_id = self.state.eids.get(eid)
        clause = self.state.clauses.get(clause_id)
        if clause is None or clause.eid != eid:
            raise RuleViolated("unknown_clause", f"This agreement has no clause '{eid}'.", field_name)
        return clause

    def _check_amending_instrument(self, by, directory):
        if by is not None and by != self.state.slug and not directory.agreement_exists(by):
            raise RuleViolated("unknown_agreement", f"There is no agreement '{by}' to amend by.", "by")

    def _decide_AddClause(self, cmd: c.AddClause, directory):
        if not (cmd.text or cmd.number or cmd.heading):
            raise RuleViolated("empty_clause", "A clause needs a text, or a number or heading (a container).", "text")
        if cmd.eid in self.state.eids:
            return self._decide_language_version(cmd)
        if cmd.parent is not None:
            parent = self._clause(cmd.parent, "parent")
            if parent.repealed:
                raise RuleViolated("parent_repealed", f"The parent clause '{cmd.parent}' is repealed.", "parent")
        return [
            e.ClauseAdded(
                clause_id=clause_identity(self.state.slug, cmd.eid),
                eid=cmd.eid,
                text=cmd.text,
                text_kind=cmd.text_kind,
                number=cmd.number,
                heading=cmd.heading,
                language=cmd.language,
                parent=cmd.parent,
                effective=cmd.effective,
            )
        ]

    def _decide_language_version(self, cmd: c.AddClause):
        """The same clause in another authentic language: its own version history, the same eId."""
        group = self.state.clauses.get(self.state.eids[cmd.eid])
        if group is None or group.eid != cmd.eid or group.repealed or cmd.language in group.languages:
            raise RuleViolated("duplicate_eid", f"The eId '{cmd.eid}' is already used in this agreement"
                               + (f" in '{cmd.language}'." if group and cmd.language in group.languages else "."), "eid")
        return [
            e.ClauseAdded(
                clause_id=clause_identity(self.state.slug, f"{cmd.eid}@{cmd.language}"), eid=cmd.eid, text=cmd.text,
                text_kind=cmd.text_kind, number=cmd.number, heading=cmd.heading, language=cmd.language,
                parent=cmd.parent, effective=cmd.effective,
            )
        ]

    def _language_id(self, clause: ClauseState, language: str | None) -> str:
        if language is None:
            return clause.clause_id
        if language not in clause.languages:
            known = ", ".join(clause.languages) or "none"
            raise RuleViolated("unknown_language", f"The clause '{clause.eid}' has no text in '{language}' (it has: "
                               f"{known}); add it with AddClause and that language.", "language")
        return clause.languages[language]

    def _check_not_before_clause(self, clause: ClauseState, effective: str, verb: str):
        new = parse_date(effective)
        if clause.effective_lower and new.upper and new.upper < clause.effective_lower:
            raise RuleViolated(
                f"{verb}_before_clause",
                f"The clause '{clause.eid}' takes effect on {clause.effective_lower}; it cannot be {verb}ed "
                f"with effect from {effective}.",
                "effective",
            )

    def _decide_AmendClause(self, cmd: c.AmendClause, directory):
        clause = self._clause(cmd.eid)
        if clause.repealed:
            raise RuleViolated("clause_repealed", f"The clause '{cmd.eid}' is repealed; it cannot be amended.", "eid")
        self._check_not_before_clause(clause, cmd.effective, "amend")
        self._check_amending_instrument(cmd.by, directory)
        return [
            e.ClauseAmended(
                clause_id=self._language_id(clause, cmd.language),
                eid=cmd.eid,
                text=cmd.text,
                effective=cmd.effective,
                by=cmd.by,
                text_kind=cmd.text_kind,
                language=cmd.language,
            )
        ]

    def _decide_RepealClause(self, cmd: c.RepealClause, directory):
        clause = self._clause(cmd.eid)
        if clause.repealed:
            raise RuleViolated("clause_repealed", f"The clause '{cmd.eid}' is already repealed.", "eid")
        self._check_not_before_clause(clause, cmd.effective, "repeal")
        self._check_amending_instrument(cmd.by, directory)
        # Every language version of the clause is repealed with it.
        return [e.ClauseRepealed(clause_id=clause_id, eid=cmd.eid, effective=cmd.effective, by=cmd.by)
                for clause_id in _ids(clause)]

    def _decide_RenumberClause(self, cmd: c.RenumberClause, directory):
        clause = self._clause(cmd.eid)
        if clause.repealed:
            raise RuleViolated("clause_repealed", f"The clause '{cmd.eid}' is repealed; it cannot be renumbered.", "eid")
        if cmd.new_eid in self.state.eids:
            raise RuleViolated("duplicate_eid", f"The eId '{cmd.new_eid}' is already used in this agreement.", "new_eid")
        if cmd.effective:
            self._check_not_before_clause(clause, cmd.effective, "renumber")
        return [
            e.ClauseRenumbered(
                clause_id=clause_id,
                eid=cmd.eid,
                new_eid=cmd.new_eid,
                number=cmd.number,
                effective=cmd.effective,
            )
            for clause_id in _ids(clause)
        ]

    def _check_target(self, target, directory):
        if target != self.state.slug and not directory.agreement_exists(target):
            raise RuleViolated("unknown_target", f"There is no agreement '{target}'.", "target")

    def _decide_AddRelation(self, cmd: c.AddRelation, directory):
        if cmd.target == self.state.slug:
            raise RuleViolated("relation_to_itself", "An agreement cannot be related to itself.", "target")
        self._check_target(cmd.target, directory)
        if (cmd.relation, cmd.target) in self.state.relations:
            raise RuleViolated("duplicate_relation", f"This agreement already {cmd.relation} '{cmd.target}'.", "target")
        return [e.RelationAdded(relation=cmd.relation, target=cmd.target, note=cmd.note)]

    def _decide_RemoveRelation(self, cmd: c.RemoveRelation, directory):
        if (cmd.relation, cmd.target) not in self.state.relations:
            raise RuleViolated("unknown_relation", f"There is no '{cmd.relation}' relation to '{cmd.target}'.", "target")
        return [e.RelationRemoved(relation=cmd.relation, target=cmd.target)]

    def _decide_AddReference(self, cmd: c.AddReference, directory):
        self._clause(cmd.eid)
        self._check_target(cmd.target, directory)
        key = (cmd.eid, cmd.target, cmd.target_eid)
        if key in self.state.references:
            raise RuleViolated("duplicate_reference", "This clause already has that reference.", "target")
        return [e.ReferenceAdded(eid=cmd.eid, target=cmd.target, target_eid=cmd.target_eid, note=cmd.note)]

    def _decide_RemoveReference(self, cmd: c.RemoveReference, directory):
        if (cmd.eid, cmd.target, cmd.target_eid) not in self.state.references:
            raise RuleViolated("unknown_reference", "This clause has no such reference.", "target")
        return [e.ReferenceRemoved(eid=cmd.eid, target=cmd.target, target_eid=cmd.target_eid)]

    def _decide_RecordRegistration(self, cmd: c.RecordRegistration, directory):
        registered = e.RegistrationRecorded(registration_number=cmd.registration_number, date=cmd.date,
                                            registering_body=cmd.registering_body)
        reg.check_registration(self.state.registrations, registered, exclude=None)
        reg.check_registered_after_signature([registered], self._signature_dates())
        return [registered]

    def _signature_dates(self, exclude: str | None = None, instead: str | None = None) -> list[str]:
        """The dates of the agreement's signatures (by anyone), less the fact `exclude`, plus `instead`."""
        dates = [d for ev, action, _, d in self.state.lifecycle if action == "signature" and ev != exclude]
        return dates + ([instead] if instead else [])

    def _decide_NameDepositary(self, cmd: c.NameDepositary, directory):
        named = e.DepositaryNamed(depositary=cmd.depositary, party=reg.depositary_party(cmd.depositary, directory))
        reg.check_depositary(self.state.depositaries, named, exclude=None)
        return [named]

    def _decide_AttachCitation(self, cmd: c.AttachCitation, directory):
        if not directory.source_exists(cmd.source):
            raise RuleViolated("unknown_source", f"There is no source '{cmd.source}'.", "source")
        citation_id = cmd.citation_id or citation_identity(self.state.slug, cmd)
        if citation_id in self.state.citations:
            raise RuleViolated("duplicate_citation", "That citation is already attached.", "citation_id")
        self._check_supports(cmd.supports)
        return [
            e.CitationAttached(
                citation_id=citation_id,
                source=cmd.source,
                locator=cmd.locator,
                quote=cmd.quote,
                supports=cmd.supports,
            )
        ]

    def _check_supports(self, supports: str):
        """`supports` names what the citation backs (the grammar: vocabulary.parse_citation_subject)."""
        subject = parse_citation_subject(supports)
        if subject.kind in ("agreement", "field"):
            return
        if subject.kind == "party" and subject.name in self.state.parties:
            return
        if subject.kind in ("lifecycle", "relation", "reference") and supports.partition(":")[2]:
            return
        if subject.kind == "event" and subject.name in self.state.events:
            return
        if subject.kind == "obligation" and subject.name in self.state.obligations:
            return
        if subject.kind == "statement" and subject.name in self.state.statements:
            return
        if subject.kind == RULE_SUBJECT and self.state.eif_rule is not None:
            return
        if subject.kind == "registration" and self.state.registrations:
            return
        if subject.kind == "depositary" and self.state.depositaries:
            return
        if supports in self.state.events:
            return
        if subject.kind == "clause" and supports in self.state.eids:
            return
        raise RuleViolated(
            "unknown_citation_subject",
            f"'{supports}' is neither a clause eId, a field, a party, a lifecycle fact, an obligation, a recorded "
            "registration or depositary nor an event of this agreement.",
            "supports",
        )

    def _decide_DetachCitation(self, cmd: c.DetachCitation, directory):
        if cmd.citation_id not in self.state.citations:
            raise RuleViolated("unknown_citation", "No such citation is attached.", "citation_id")
        return [e.CitationDetached(citation_id=cmd.citation_id)]

    def _decide_CodeObligation(self, cmd: c.CodeObligation, directory):
        clause = self._clause(cmd.eid)
        if clause.repealed:
            raise RuleViolated("clause_repealed", f"The clause '{cmd.eid}' is repealed; it creates no obligation.", "eid")
        coded = e.ObligationCoded(
            obligation_id=cmd.obligation_id or obligation_identity(self.state.slug, cmd.eid, self.state.obligations_coded + 1),
            clause_id=clause.clause_id,
            eid=cmd.eid,
            obligation=cmd.obligation,
            modality=cmd.modality,
            parties=list(cmd.parties) or sorted(self.state.parties),
            conditions=list(cmd.conditions),
            towards=list(cmd.towards),
            adversary=cmd.adversary.strip(),
            effective=cmd.effective,
            until=cmd.until,
            note=cmd.note,
        )
        if coded.obligation_id in self.state.obligations or (
            cmd.obligation_id and cmd.obligation_id in self.state.events
        ):
            raise RuleViolated("duplicate_obligation_id", "That obligation id is already used.", "obligation_id")
        self._check_obligation(coded, exclude=None)
        return [coded]

    def _check_obligation(self, coded: e.ObligationCoded, exclude: str | None):
        """The rules of a coding that need the agreement: parties are parties, dates in order, no double coding."""
        ob.check_coding(coded.conditions, coded.adversary)
        if not coded.parties:
            raise RuleViolated("no_party_bound", "The agreement has no parties yet; add them before coding.", "parties")
        for name in ("parties", "towards"):
            strangers = [p for p in getattr(coded, name) if p not in self.state.parties]
            if strangers:
                raise RuleViolated(
                    "obligation_for_non_party", f"{', '.join(strangers)} is not a party to this agreement.", name
                )
        if coded.effective and coded.until and _definitely_before(parse_date(coded.until), parse_date(coded.effective)):
            raise RuleViolated(
                "obligation_ends_before_it_starts",
                f"The obligation cannot end ({coded.until}) before it takes effect ({coded.effective}).",
                "until",
            )
        for other_id, other in self.state.obligations.items():
            if (
                other_id != exclude
                and other.clause_id == coded.clause_id
                and other.obligation == coded.obligation
                and set(other.parties) & set(coded.parties)
            ):
                shared = ", ".join(sorted(set(other.parties) & set(coded.parties)))
                raise RuleViolated(
                    "duplicate_obligation",
                    f"'{coded.eid}' is already coded as {ob.label(coded.obligation).lower()} for {shared}; "
                    "correct that coding instead.",
                    "obligation",
                )

    def _decide_UncodeObligation(self, cmd: c.UncodeObligation, directory):
        if cmd.obligation_id not in self.state.obligations:
            raise RuleViolated("unknown_obligation", "No such obligation is coded.", "obligation_id")
        return [e.ObligationUncoded(obligation_id=cmd.obligation_id, reason=cmd.reason)]

    def uncited_facts(self) -> list[str]:
        """The facts no citation supports: the agreement itself, each party, lifecycle fact, clause, obligation."""
        supported = set(self.state.citations.values())
        for subject in list(supported):  # a citation of an event supports the fact that event stated
            event = self.state.events.get(subject.removeprefix("event:"))
            if isinstance(event, e.LifecycleRecorded):
                supported.add(lifecycle_subject(event.action, event.party))
            elif isinstance(event, e.RegistrationRecorded):
                supported.add(REGISTRATION_SUBJECT)
            elif isinstance(event, e.StatementMade):
                supported.add(statement_subject(event.statement_id))
            elif isinstance(event, e.DepositaryNamed):
                supported.add(DEPOSITARY_SUBJECT)
        facts = []
        if not supported & {"", "title"}:
            facts.append("the agreement")
        facts += [f"party:{code}" for code in self.state.parties if f"party:{code}" not in supported]
        for _, action, party, _ in self.state.lifecycle:
            subject = lifecycle_subject(action, party)
            if subject not in supported:
                facts.append(subject)
        # A clause in several authentic languages is one fact (citations name its eId).
        facts += list(dict.fromkeys(
            cl.eid for cl in self.state.clauses.values() if not cl.repealed and cl.eid not in supported))
        facts += [f"obligation:{oid}" for oid in self.state.obligations if f"obligation:{oid}" not in supported]
        facts += [s for s in map(statement_subject, self.state.statements) if s not in supported]
        facts += [subject for subject, known in ((REGISTRATION_SUBJECT, self.state.registrations),
                                                 (DEPOSITARY_SUBJECT, self.state.depositaries))
                  if known and subject not in supported]
        return facts

    def _decide_SubmitForReview(self, cmd: c.SubmitForReview, directory):
        if self.state.publication != "draft":
            raise RuleViolated("not_a_draft", f"Only a draft can be submitted; this one is {self.state.publication}.")
        return [e.SubmittedForReview(note=cmd.note)]

    def _decide_Publish(self, cmd: c.Publish, directory):
        if self.state.publication == "published":
            raise RuleViolated("already_published", "This agreement is already published.")
        uncited = self.uncited_facts()
        if uncited and not cmd.uncited_reason.strip():
            shown = ", ".join(uncited[:5]) + (", ..." if len(uncited) > 5 else "")
            raise RuleViolated(
                "uncited_facts",
                f"{len(uncited)} fact{'s' if len(uncited) != 1 else ''} cite{'' if len(uncited) != 1 else 's'} "
                f"no source ({shown}); cite them, or give a reason to publish anyway.",
                "uncited_reason",
            )
        return [e.Published(note=cmd.note, uncited_facts=len(uncited),
                            uncited_reason=cmd.uncited_reason.strip() if uncited else "")]

    def _decide_ReturnToDraft(self, cmd: c.ReturnToDraft, directory):
        if self.state.publication != "in_review":
            raise RuleViolated("not_in_review", f"Only an agreement in review can be returned; this one is "
                               f"{self.state.publication.replace('_', ' ')}.")
        if not cmd.note.strip():
            raise RuleViolated("comment_required", "Say what the archivist should change.", "note")
        return [e.ReturnedToDraft(note=cmd.note.strip())]

    def _decide_Unpublish(self, cmd: c.Unpublish, directory):
        if self.state.publication == "draft":
            raise RuleViolated("not_published", "This agreement is not published.")
        return [e.Unpublished(note=cmd.note)]

    def _decide_CorrectEvent(self, cmd: c.CorrectEvent, directory):
        original = self.state.events.get(cmd.event_id)
        if original is None:
            raise RuleViolated("unknown_event", "This agreement has no event with that id.", "event_id")
        allowed = e.CORRECTABLE_FIELDS.get(original.type, ())
        bad = [name for name in cmd.corrections if name not in allowed]
        if bad:
            raise RuleViolated(
                "field_not_correctable",
                f"{original.type} cannot have {', '.join(sorted(bad))} corrected"
                + (f"; correctable: {', '.join(allowed)}." if allowed else "; issue a new command instead."),
                "corrections",
            )
        # The corrected fields must pass the same checks as a command's fields.
        checked = {}
        for name, value in cmd.corrections.items():
            if name == "changes":
                checked[name] = c.parse_command("EditDetails", value).__dict__
                checked[name] = {k: v for k, v in checked[name].items() if v is not None and k != "command_id"}
                continue
            try:
                checked[name] = _checked_correction(original, name, value)
            except ValueError as exc:
                raise InvalidCommand({f"corrections.{name}": [str(exc)]}) from None
        fixed = e.corrected(original, checked)
        if isinstance(fixed, e.LifecycleRecorded):
            pa.check_action(self._actions(exclude=cmd.event_id), pa.action_of(fixed))
        if isinstance(fixed, e.StatementWithdrawn):
            st.check_withdrawal({**self.state.statements, fixed.statement_id: dataclasses.replace(
                self.state.statements[fixed.statement_id], withdrawn=False)}, fixed)
        if isinstance(fixed, (e.ClauseAmended, e.ClauseRepealed)):
            self._check_not_before_clause(self.state.clauses[fixed.clause_id], fixed.effective, "amend")
        if isinstance(fixed, e.RegistrationRecorded):
            reg.check_registration(self.state.registrations, fixed, exclude=cmd.event_id)
            reg.check_registered_after_signature([fixed], self._signature_dates())
        if isinstance(fixed, e.LifecycleRecorded) and "signature" in (fixed.action, original.action):
            signed = fixed.date if fixed.action == "signature" else None
            reg.check_registered_after_signature(self.state.registrations.values(),
                                                   self._signature_dates(exclude=cmd.event_id, instead=signed))
        if isinstance(fixed, e.DepositaryNamed) and "depositary" in checked:
            checked["party"] = reg.depositary_party(fixed.depositary, directory)
            fixed = e.corrected(original, checked)
            reg.check_depositary(self.state.depositaries, fixed, exclude=cmd.event_id)
        if isinstance(fixed, e.ObligationCoded):
            if fixed.obligation_id not in self.state.obligations:
                raise RuleViolated("unknown_obligation", "That obligation is uncoded; code it anew instead.", "event_id")
            self._check_obligation(fixed, exclude=fixed.obligation_id)
        return [
            e.EventCorrected(
                event_id=cmd.event_id, corrected_type=original.type, reason=cmd.reason, corrections=checked
            )
        ]

    # ------------------------------------------------------------------ applying

    def apply(self, event: e.DomainEvent, event_id: str | None = None):
        self.version += 1
        if event_id:
            self.state.events[event_id] = event
        getattr(self, f"_apply_{event.type}")(event, event_id)

    def _apply_AgreementDrafted(self, ev, event_id):
        self.state.slug = ev.slug
        self.state.title = ev.title
        self.state.kind = ev.kind
        self.state.work_date = ev.work_date

    def _apply_DetailsEdited(self, ev, event_id):
        for name, value in ev.changes.items():
            if hasattr(self.state, name):
                setattr(self.state, name, value)

    def _apply_PartyAdded(self, ev, event_id):
        self.state.parties[ev.party] = ev.role

    def _apply_PartyRemoved(self, ev, event_id):
        self.state.parties.pop(ev.party, None)

    def _apply_LifecycleRecorded(self, ev, event_id):
        self.state.lifecycle.append((event_id, ev.action, ev.party, ev.date))
        self.state.actions[event_id] = ev

    def _apply_StatementMade(self, ev, event_id):
        st.apply_made(self.state.statements, ev)

    def _apply_StatementWithdrawn(self, ev, event_id):
        self.state.statements[ev.statement_id].withdrawn = not ev.text

    def _apply_EntryIntoForceRuleSet(self, ev, event_id):
        self.state.eif_rule = ev.rule

    def _apply_ClauseAdded(self, ev, event_id):
        group = self.state.clauses.get(self.state.eids.get(ev.eid))
        if group is not None and group.eid == ev.eid and ev.clause_id != group.clause_id:
            group.languages[ev.language] = ev.clause_id  # another authentic language of the same clause
            self.state.clauses[ev.clause_id] = group
            return
        lower = parse_date(ev.effective).lower if ev.effective else None
        self.state.clauses[ev.clause_id] = ClauseState(ev.clause_id, ev.eid, lower, languages={ev.language: ev.clause_id})
        self.state.eids[ev.eid] = ev.clause_id

    def _apply_ClauseAmended(self, ev, event_id):
        pass

    def _apply_ClauseRepealed(self, ev, event_id):
        self.state.clauses[ev.clause_id].repealed = True

    def _apply_ClauseRenumbered(self, ev, event_id):
        clause = self.state.clauses[ev.clause_id]
        clause.eid = ev.new_eid
        self.state.eids[ev.new_eid] = clause.clause_id

    def _apply_RelationAdded(self, ev, event_id):
        self.state.relations.add((ev.relation, ev.target))

    def _apply_RelationRemoved(self, ev, event_id):
        self.state.relations.discard((ev.relation, ev.target))

    def _apply_ReferenceAdded(self, ev, event_id):
        self.state.references.add((ev.eid, ev.target, ev.target_eid))

    def _apply_ReferenceRemoved(self, ev, event_id):
        self.state.references.discard((ev.eid, ev.target, ev.target_eid))

    def _apply_RegistrationRecorded(self, ev, event_id):
        self.state.registrations[event_id] = ev

    def _apply_DepositaryNamed(self, ev, event_id):
        self.state.depositaries[event_id] = ev

    def _apply_CitationAttached(self, ev, event_id):
        self.state.citations[ev.citation_id] = ev.supports

    def _apply_CitationDetached(self, ev, event_id):
        self.state.citations.pop(ev.citation_id, None)

    def _apply_ObligationCoded(self, ev, event_id):
        self.state.obligations[ev.obligation_id] = ev
        self.state.obligations_coded += 1

    def _apply_ObligationUncoded(self, ev, event_id):
        self.state.obligations.pop(ev.obligation_id, None)

    def _apply_ReturnedToDraft(self, ev, event_id):
        self.state.publication = "draft"

    def _apply_SubmittedForReview(self, ev, event_id):
        self.state.publication = "in_review"

    def _apply_Published(self, ev, event_id):
        self.state.publication = "published"

    def _apply_Unpublished(self, ev, event_id):
        self.state.publication = "draft"

    def _apply_EventCorrected(self, ev, event_id):
        original = self.state.events.get(ev.event_id)
        if original is None:
            return
        fixed = e.corrected(original, ev.corrections)
        self.state.events[ev.event_id] = fixed
        if isinstance(fixed, e.LifecycleRecorded):
            self.state.actions[ev.event_id] = fixed
            self.state.lifecycle = [
                (eid_, a, p, fixed.date if eid_ == ev.event_id else d) for eid_, a, p, d in self.state.lifecycle
            ]
        elif isinstance(fixed, e.StatementMade) and fixed.statement_id in self.state.statements:
            self.state.statements[fixed.statement_id].date = fixed.date
        elif isinstance(fixed, e.ClauseAdded) and self.state.clauses[fixed.clause_id].clause_id == fixed.clause_id:
            clause = self.state.clauses[fixed.clause_id]
            clause.effective_lower = parse_date(fixed.effective).lower if fixed.effective else None
        elif isinstance(fixed, e.ObligationCoded) and fixed.obligation_id in self.state.obligations:
            self.state.obligations[fixed.obligation_id] = fixed
        elif isinstance(fixed, e.RegistrationRecorded) and ev.event_id in self.state.registrations:
            self.state.registrations[ev.event_id] = fixed
        elif isinstance(fixed, e.DepositaryNamed) and ev.event_id in self.state.depositaries:
            self.state.depositaries[ev.event_id] = fixed
        elif isinstance(fixed, e.CitationAttached) and fixed.citation_id in self.state.citations:
            self.state.citations[fixed.citation_id] = fixed.supports
        elif isinstance(fixed, (e.AgreementDrafted, e.DetailsEdited)):
            changes = ev.corrections.get("changes", ev.corrections)
            for name, value in changes.items():
                if hasattr(self.state, name):
                    setattr(self.state, name, value)


def _ids(clause: ClauseState) -> list[str]:
    """The clause's own id, then those of its other language versions."""
    return [clause.clause_id] + [i for i in clause.languages.values() if i != clause.clause_id]


def _definitely_before(a, b) -> bool:
    """True only when every reading of EDTF date `a` falls before every reading of `b`."""
    return a.upper is not None and b.lower is not None and a.upper < b.lower


def _checked_correction(original: e.DomainEvent, name: str, value):
    """A corrected field passes the check its command field passes; blank only where the event allows it.

    A field without a default (a title, a clause's text) can never be blanked; one whose default is None
    or "" may be cleared to that default; one with another default (a clause's language) must be given.
    """
    if value not in (None, ""):
        return c.FIELD_CHECKS[name](value)
    spec = next(f for f in dataclasses.fields(original) if f.name == name)
    if spec.default_factory is not dataclasses.MISSING:
        return spec.default_factory()
    default = spec.default
    if default is dataclasses.MISSING or default not in (None, ""):
        raise ValueError("This field may not be blank.")
    return default
