"""Commands: the one write vocabulary shared by the admin, the API, the seeds and importers.

A command is a validated request in the imperative (`AmendClause`). `parse_command(type, data)` checks
its fields (required, types, vocabularies, EDTF dates, eIds) and raises InvalidCommand with field-level
messages; the Agreement aggregate then checks the rules that need the agreement's state.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from typing import ClassVar

from . import entry_into_force as eif
from . import obligations as ob
from . import statements as st
from . import vocabulary as v
from .dates import InvalidDate, parse_date
from .errors import InvalidCommand, UnknownCommand, shown
from .lookalike import visible

MAX_TEXT = 200_000
MAX_LINE = 1_000


@dataclass(frozen=True)
class Command:
    # Optional idempotency key: a command retried with the same id appends nothing twice.
    command_id: str | None = field(default=None, kw_only=True)
    needs_reviewer: ClassVar[bool] = False
    creates_stream: ClassVar[bool] = False

    @property
    def type(self) -> str:
        return type(self).__name__


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
    needs_reviewer: ClassVar[bool] = True


@dataclass(frozen=True)
class Unpublish(Command):
    note: str = ""
    needs_reviewer: ClassVar[bool] = True


@dataclass(frozen=True)
class ReturnToDraft(Command):
    """A reviewer sends an agreement in review back to its archivist, saying why."""

    note: str
    needs_reviewer: ClassVar[bool] = True


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

# Field checks shared by the commands: name -> function(value) returning the cleaned value or raising.


def _text(limit):
    def check(value):
        if not isinstance(value, str):
            raise ValueError("Must be a string.")
        if len(value) > limit:
            raise ValueError(f"At most {limit} characters.")
        return value

    return check


def _required_text(limit):
    base = _text(limit)

    def check(value):
        value = base(value).strip()
        if not visible(value):  # blank, or only invisible characters (a zero-width space)
            raise ValueError("This field may not be blank.")
        return value

    return check


def _line(limit, required=True):
    """One line of text (a number, a name): no line breaks, at most `limit` characters, stripped."""
    base = _required_text(limit) if required else _text(limit)

    def check(value):
        if isinstance(value, str) and ("\n" in value or "\r" in value):
            raise ValueError("Write it on one line.")
        return base(value).strip()

    return check


def _choice(choices):
    def check(value):
        if value not in choices:
            raise ValueError(f"'{shown(value)}' is not one of: {', '.join(choices)}.")
        return value

    return check


def _regex(pattern, what, max_length):
    def check(value):
        if isinstance(value, str) and len(value) > max_length:
            raise ValueError(f"A {what} has at most {max_length} characters; this one has {len(value)}.")
        if not isinstance(value, str) or not pattern.match(value):
            raise ValueError(f"'{shown(value)}' is not a valid {what}.")
        return value

    return check


def _date(value):
    try:
        return parse_date(value).text
    except InvalidDate as exc:
        raise ValueError(str(exc)) from None


def _titles(value):
    if not isinstance(value, dict):
        raise ValueError("Must be an object mapping language codes to titles.")
    for lang, title in value.items():
        if not isinstance(lang, str) or not v.LANGUAGE_RE.match(lang):
            raise ValueError(f"'{shown(lang)}' is not a language code (en, tr, az...).")
        if not isinstance(title, str) or not visible(title) or len(title) > MAX_LINE:
            raise ValueError(f"The title in '{shown(lang)}' must be a non-blank string of at most {MAX_LINE} characters.")
    return dict(value)


def _uuid(value):
    try:
        return str(uuid.UUID(str(value)))
    except (ValueError, TypeError, AttributeError):
        raise ValueError(f"'{shown(value)}' is not a UUID.") from None


def _source(value):
    """A source's key (`usc-dornsife-2023`). A database id is refused: events outlive the instance that wrote
    them, and id 10 here is another source, or none, on a copy or a restored backup."""
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
        raise ValueError("Give the source's key.")
    key = str(value).strip()
    if v.is_database_id(key):
        raise ValueError(f"'{shown(key)}' looks like a database id: name the source by its key "
                         "(for example 'usc-dornsife-2023'), which stays the same on every copy of the registry.")
    if len(key) > v.MAX_SOURCE_KEY:
        raise ValueError(f"At most {v.MAX_SOURCE_KEY} characters.")
    if not v.SOURCE_KEY_RE.fullmatch(key):
        raise ValueError(f"'{shown(key)}' is not a source key (letters, digits, '-' and '_').")
    return key


def _codes(choices, what):
    def check(value):
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, (list, tuple)):
            raise ValueError(f"Give a list of {what}.")
        return [choose(item) for item in value]

    choose = _choice(choices)
    return check


def _party_codes(value):
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, (list, tuple)):
        raise ValueError("Give a list of party codes (TUR, AZE...).")
    codes = [party_code(item) for item in value]
    if len(set(codes)) != len(codes):
        raise ValueError("A party is named twice.")
    return codes


def _no_nul(check):
    def checked(value):
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("Must not contain NUL characters.")
        return check(value)

    return checked


def _integer(low, high):
    def check(value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("Must be a whole number.")
        if not low <= value <= high:
            raise ValueError(f"Must be from {low} to {high}.")
        return value

    return check


def _boolean(value):
    if not isinstance(value, bool):
        raise ValueError("Must be true or false.")
    return value


def _eids(value):
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, (list, tuple)) or len(value) > 500:
        raise ValueError("Give a list of eIds (art_2, art_2__para_1), at most 500.")
    eids = [eid(item) for item in value]
    if len(set(eids)) != len(eids):
        raise ValueError("An eId is named twice.")
    return eids


def _corrections(value):
    if not isinstance(value, dict) or not value:
        raise ValueError("Give the corrected fields as an object, for example {\"date\": \"2010-08-16\"}.")
    return dict(value)


slug = _regex(v.SLUG_RE, "slug (lowercase letters, digits and hyphens)", v.MAX_SLUG)
eid = _regex(v.EID_RE, "Akoma Ntoso eId (preamble, art_2, art_2__para_1, sec_3A)", v.MAX_EID)
work_uri = _regex(v.WORK_URI_RE, "Akoma Ntoso work URI (/akn/int/treaty/2010/name, /akn/za/act/2009/1)",
                  v.MAX_WORK_URI)
party_code = _regex(v.PARTY_CODE_RE, "party code (TUR, AZE, AZE-MOD...)", v.MAX_PARTY_CODE)

FIELD_CHECKS = {
    "slug": slug,
    "title": _required_text(MAX_LINE),
    "kind": _choice(v.KINDS),
    "summary": _text(MAX_TEXT),
    "place": _text(MAX_LINE),
    "titles": _titles,
    "work_date": _date,
    "work_uri": work_uri,
    "party": party_code,
    "role": _text(200),
    "action": _choice(v.LIFECYCLE_ACTIONS),
    "date": _date,
    "eid": eid,
    "new_eid": eid,
    "parent": eid,
    "target_eid": eid,
    "text": _required_text(MAX_TEXT),
    "text_kind": _choice(v.TEXT_KINDS),
    "number": _text(50),
    "heading": _text(MAX_LINE),
    "language": _regex(v.LANGUAGE_RE, "language code (en, tr, az...)", v.MAX_LANGUAGE),
    "effective": _date,
    "by": slug,
    "relation": _choice(v.RELATIONS),
    "target": slug,
    "note": _text(MAX_TEXT),
    "source": _source,
    "locator": _text(500),
    "quote": _text(2_000),
    "supports": _text(500),
    "citation_id": _uuid,
    "event_id": _uuid,
    "reason": _required_text(MAX_TEXT),
    "corrections": _corrections,
    "command_id": _text(200),
    "obligation": _choice(ob.OBLIGATION_CODES),
    "modality": _choice(ob.MODALITY_CODES),
    "conditions": _codes(ob.CONDITION_CODES, "condition codes"),
    "parties": _party_codes,
    "towards": _party_codes,
    "adversary": _text(MAX_LINE),
    "until": _date,
    "obligation_id": _uuid,
    "uncited_reason": _text(MAX_TEXT),
    "registration_number": _line(v.MAX_REGISTRATION_NUMBER),
    "registering_body": _line(v.MAX_REGISTERING_BODY, required=False),
    "depositary": _line(v.MAX_DEPOSITARY),
    "predecessor": _regex(v.PARTY_CODE_RE, "party code (TUR, AZE, AZE-MOD...)", v.MAX_PARTY_CODE),
    "territory": _no_nul(_line(v.MAX_TERRITORY)),
    "notification": _no_nul(_line(v.MAX_NOTIFICATION)),
    "eids": _eids,
    "made_at": _choice(st.MADE_AT),
    "objects_to": _uuid,
    "opposes_entry_into_force": _boolean,
    "statement_id": _uuid,
    "instruments": _integer(1, eif.MAX_INSTRUMENTS),
    "days_after": _integer(0, eif.MAX_DAYS),
    "later_days_after": _integer(0, eif.MAX_DAYS),
    "counts": _codes(eif.DEFAULT_COUNTS + ("succession",), "consent actions"),
    "on": _choice(eif.ON_CHOICES),
    "years": _integer(1, eif.MAX_YEARS),
    "renewal_years": _integer(1, eif.MAX_YEARS),
    "notice_months": _integer(0, 120),
}
# Where one command's field of a shared name means something else: (command, field) -> check.
COMMAND_FIELD_CHECKS = {
    ("MakeStatement", "kind"): _choice(st.STATEMENT_KINDS),
    ("MakeStatement", "text"): _no_nul(_required_text(MAX_TEXT)),
    ("WithdrawStatement", "text"): _no_nul(_required_text(MAX_TEXT)),
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

