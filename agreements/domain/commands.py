"""Commands: the one write vocabulary shared by the admin, the API, the seeds and importers.

A command is a validated request in the imperative (`AmendClause`). `parse_command(type, data)` checks
its fields (required, types, vocabularies, EDTF dates, eIds) and raises InvalidCommand with field-level
messages; the Agreement aggregate then checks the rules that need the agreement's state.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import ClassVar

from . import publication
from .errors import InvalidCommand, UnknownCommand, shown
from .fields import COMMAND_FIELD_CHECKS, FIELD_CHECKS


@dataclass(frozen=True)
class Command:
    # Optional idempotency key: a command retried with the same id appends nothing twice.
    command_id: str | None = field(default=None, kw_only=True)
    creates_stream: ClassVar[bool] = False

    @property
    def type(self) -> str:
        return type(self).__name__

    @property
    def needs_reviewer(self) -> bool:
        """Only a reviewer may give it (publication.TRANSITIONS says which)."""
        return publication.needs_reviewer(self.type)


@dataclass(frozen=True)
class DraftAgreement(Command):
    slug: str
    title: str
    kind: str
    summary: str = ""
    place: str = ""
    titles: dict = field(default_factory=dict)
    work_date: str | None = None
    # An imported document keeps its own FRBR work URI; otherwise the registry derives one from the slug.
    work_uri: str | None = None
    creates_stream: ClassVar[bool] = True


@dataclass(frozen=True)
class EditDetails(Command):
    title: str | None = None
    kind: str | None = None
    summary: str | None = None
    place: str | None = None
    titles: dict | None = None
    work_date: str | None = None


@dataclass(frozen=True)
class AddParty(Command):
    party: str
    role: str = ""
    reason: str = ""  # why a party that did not exist on the agreement's date is added (domain/existence.py)


@dataclass(frozen=True)
class RemoveParty(Command):
    party: str
    role: str = ""


@dataclass(frozen=True)
class RecordLifecycle(Command):
    """A dated action (domain/participation.py): `date` when done, `effective` when it takes effect."""

    action: str
    date: str
    party: str | None = None
    effective: str | None = None
    predecessor: str | None = None  # succession: the party whose consent is succeeded to
    territory: str | None = None  # territorial application or exclusion: the territory's name
    notification: str | None = None  # the depositary notification's reference (C.N.123.2003.TREATIES-4)


@dataclass(frozen=True)
class MakeStatement(Command):
    """A participant's statement (domain/statements.py). With the `statement_id` of one of its statements and
    another `language`: that statement's text in that language."""

    party: str
    kind: str
    text: str
    date: str
    language: str = "en"
    eids: list = field(default_factory=list)
    made_at: str | None = None
    objects_to: str | None = None
    opposes_entry_into_force: bool = False
    statement_id: str | None = None


@dataclass(frozen=True)
class WithdrawStatement(Command):
    """Withdraw a statement on `date`; with `text`, partly: the narrower text stands from then on."""

    statement_id: str
    date: str
    text: str | None = None


@dataclass(frozen=True)
class SetEntryIntoForceRule(Command):
    """The agreement's entry-into-force rule and term (domain/entry_into_force.py), replacing any earlier one."""

    instruments: int | None = None
    days_after: int | None = None
    later_days_after: int | None = None
    counts: list | None = None
    on: str | None = None
    years: int | None = None
    renewal_years: int | None = None
    notice_months: int | None = None


@dataclass(frozen=True)
class AddClause(Command):
    eid: str
    text_kind: str
    # A container (a part, a chapter) or a unit without content may have no text of its own.
    text: str = ""
    number: str = ""
    heading: str = ""
    language: str = "en"
    parent: str | None = None
    effective: str | None = None


@dataclass(frozen=True)
class AmendClause(Command):
    eid: str
    text: str
    effective: str
    by: str | None = None
    text_kind: str | None = None
    language: str | None = None  # which authentic language's text; none: the clause's first language


@dataclass(frozen=True)
class RepealClause(Command):
    eid: str
    effective: str
    by: str | None = None


@dataclass(frozen=True)
class RenumberClause(Command):
    eid: str
    new_eid: str
    number: str | None = None
    effective: str | None = None


@dataclass(frozen=True)
class AddRelation(Command):
    relation: str
    target: str
    note: str = ""


@dataclass(frozen=True)
class RemoveRelation(Command):
    relation: str
    target: str
    note: str = ""


@dataclass(frozen=True)
class AddReference(Command):
    eid: str
    target: str
    target_eid: str | None = None
    note: str = ""


@dataclass(frozen=True)
class RemoveReference(Command):
    eid: str
    target: str
    target_eid: str | None = None
    note: str = ""


@dataclass(frozen=True)
class RecordRegistration(Command):
    """Record the agreement's registration: its number with the registering body and the date (EDTF)."""

    registration_number: str
    date: str
    registering_body: str = ""  # e.g. "UN Secretariat" (Article 102 of the Charter), "League of Nations"


@dataclass(frozen=True)
class NameDepositary(Command):
    """Name a depositary of the agreement: a party code (USA) or a name ("Secretary-General of the United Nations")."""

    depositary: str


@dataclass(frozen=True)
class AttachCitation(Command):
    source: str
    locator: str = ""
    quote: str = ""
    supports: str = ""
    citation_id: str | None = None


@dataclass(frozen=True)
class DetachCitation(Command):
    citation_id: str


@dataclass(frozen=True)
class CodeObligation(Command):
    """Code what a clause obliges or permits (docs/obligations.md); `parties` empty: every party."""

    eid: str
    obligation: str
    modality: str
    conditions: list = field(default_factory=list)
    parties: list = field(default_factory=list)
    towards: list = field(default_factory=list)
    adversary: str = ""
    effective: str | None = None
    until: str | None = None
    note: str = ""
    obligation_id: str | None = None


@dataclass(frozen=True)
class UncodeObligation(Command):
    """Withdraw a coding that should not have been made (record time); the history keeps it."""

    obligation_id: str
    reason: str


@dataclass(frozen=True)
class SubmitForReview(Command):
    note: str = ""


@dataclass(frozen=True)
class Publish(Command):
    note: str = ""
    # Publishing with facts that no citation supports needs a reason, recorded in the event.
    uncited_reason: str = ""


@dataclass(frozen=True)
class Unpublish(Command):
    note: str = ""


@dataclass(frozen=True)
class ReturnToDraft(Command):
    """A reviewer sends an agreement in review back to its archivist, saying why."""

    note: str


@dataclass(frozen=True)
class CorrectEvent(Command):
    event_id: str
    reason: str
    corrections: dict = field(default_factory=dict)


COMMAND_TYPES: dict[str, type[Command]] = {
    cls.__name__: cls
    for cls in (
        DraftAgreement,
        EditDetails,
        AddParty,
        RemoveParty,
        RecordLifecycle,
        MakeStatement,
        WithdrawStatement,
        SetEntryIntoForceRule,
        AddClause,
        AmendClause,
        RepealClause,
        RenumberClause,
        AddRelation,
        RemoveRelation,
        AddReference,
        RemoveReference,
        RecordRegistration,
        NameDepositary,
        AttachCitation,
        DetachCitation,
        CodeObligation,
        UncodeObligation,
        SubmitForReview,
        Publish,
        Unpublish,
        ReturnToDraft,
        CorrectEvent,
    )
}

def parse_command(type_name: str, data: dict) -> Command:
    """Build a command from plain data (a request body, a form, a seed file), checking every field."""
    cls = COMMAND_TYPES.get(type_name)
    if cls is None:
        raise UnknownCommand({"type": [f"Unknown command type '{shown(type_name)}'. Known: {', '.join(COMMAND_TYPES)}."]})
    if not isinstance(data, dict):
        raise InvalidCommand({"non_field_errors": ["Expected an object of fields."]})
    fields = {f.name: f for f in dataclasses.fields(cls)}
    errors: dict[str, list[str]] = {}
    values = {}
    for name in data:
        if name not in fields and name != "type":
            errors.setdefault(shown(name), []).append(f"Unknown field for {type_name}.")
    for name, f in fields.items():
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if name not in data or data[name] is None or data[name] == "" and not required:
            if required:
                errors.setdefault(name, []).append("This field is required.")
            continue
        try:
            values[name] = COMMAND_FIELD_CHECKS.get((type_name, name), FIELD_CHECKS[name])(data[name])
        except ValueError as exc:
            errors.setdefault(name, []).append(str(exc))
    if type_name == "EditDetails" and not errors and not any(
        values.get(n) is not None for n in fields if n != "command_id"
    ):
        errors["non_field_errors"] = ["Give at least one field to change."]
    if errors:
        raise InvalidCommand(errors)
    return cls(**values)

