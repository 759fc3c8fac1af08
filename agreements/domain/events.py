"""Domain events: small immutable facts, named in the past tense.

Each event serialises to a JSON payload; `schema_version` lets old payloads be upcast on read by the
upcasters below (UPCASTERS, applied by `agreements.eventmapper` at the store's boundary). Add a field with
a default and old payloads still load; rename or reshape one and add an upcaster from the old version.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Callable, ClassVar

from .identifiers import repair_identifiers


@dataclass(frozen=True)
class DomainEvent:
    schema_version: ClassVar[int] = 1

    @property
    def type(self) -> str:
        return type(self).__name__

    def valid_time(self) -> str | None:
        """The valid time of the fact, if it has one (EDTF): stored as the event's `effective`."""
        return getattr(self, "effective", None)

    def payload(self) -> dict:
        """The event's fields as a JSON-ready dict; containers are copied, so the event stays as it was decided.
        (dataclasses.asdict does the same by deep-copying every value, which was an eighth of a bulk load.)"""
        return {name: _copied(getattr(self, name)) for name in _field_names(type(self))}


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def _copied(value):
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_copied(item) for item in value]
    return value


@dataclass(frozen=True)
class AgreementDrafted(DomainEvent):
    slug: str
    title: str
    kind: str
    work_uri: str
    summary: str = ""
    place: str = ""
    titles: dict = field(default_factory=dict)
    work_date: str | None = None

    def valid_time(self):
        return self.work_date


@dataclass(frozen=True)
class DetailsEdited(DomainEvent):
    changes: dict


@dataclass(frozen=True)
class PartyAdded(DomainEvent):
    party: str
    role: str = ""
    reason: str = ""  # the archivist's reason for a party that did not exist on the agreement's date

    def payload(self) -> dict:
        data = super().payload()
        if not data.get("reason"):
            data.pop("reason", None)  # payloads without a reason stay as they always were
        return data


@dataclass(frozen=True)
class PartyRemoved(DomainEvent):
    party: str


@dataclass(frozen=True)
class LifecycleRecorded(DomainEvent):
    """A dated action of the agreement or of one participant (domain/participation.py): `date` when it was done,
    `effective` when it takes effect; `predecessor` (succession), `territory` (territorial application or
    exclusion) and `notification` (the depositary notification's reference) where they apply."""

    action: str
    date: str
    party: str | None = None
    effective: str | None = None
    predecessor: str | None = None
    territory: str | None = None
    notification: str | None = None

    def valid_time(self):
        return self.date

    def payload(self) -> dict:
        # The fields added later are left out when not given, so an event of the first shape is stored (and
        # hashed) byte for byte as it always was.
        payload = super().payload()
        for name in ("effective", "predecessor", "territory", "notification"):
            if payload[name] is None:
                del payload[name]
        return payload


@dataclass(frozen=True)
class StatementMade(DomainEvent):
    """A participant's reservation, declaration, understanding, objection or communication (domain/statements.py),
    made on `date`; another event with the same `statement_id` gives its text in another language."""

    statement_id: str
    party: str
    kind: str
    text: str
    date: str
    language: str = "en"
    eids: list = field(default_factory=list)
    made_at: str | None = None
    objects_to: str | None = None
    opposes_entry_into_force: bool = False

    def valid_time(self):
        return self.date


@dataclass(frozen=True)
class StatementWithdrawn(DomainEvent):
    """Withdrawn on `date`: wholly, or (with `text`) partly, leaving that narrower text from then on."""

    statement_id: str
    date: str
    text: str = ""

    def valid_time(self):
        return self.date


@dataclass(frozen=True)
class EntryIntoForceRuleSet(DomainEvent):
    """The agreement's entry-into-force rule and term (domain/entry_into_force.py); replaces any earlier one."""

    rule: dict


@dataclass(frozen=True)
class ClauseAdded(DomainEvent):
    clause_id: str
    eid: str
    text: str
    text_kind: str
    number: str = ""
    heading: str = ""
    language: str = "en"
    parent: str | None = None
    effective: str | None = None


@dataclass(frozen=True)
class ClauseAmended(DomainEvent):
    clause_id: str
    eid: str
    text: str
    effective: str
    by: str | None = None
    text_kind: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class ClauseRepealed(DomainEvent):
    clause_id: str
    eid: str
    effective: str
    by: str | None = None


@dataclass(frozen=True)
class ClauseRenumbered(DomainEvent):
    clause_id: str
    eid: str
    new_eid: str
    number: str | None = None
    effective: str | None = None


@dataclass(frozen=True)
class RelationAdded(DomainEvent):
    relation: str
    target: str
    note: str = ""


@dataclass(frozen=True)
class RelationRemoved(DomainEvent):
    relation: str
    target: str


@dataclass(frozen=True)
class ReferenceAdded(DomainEvent):
    eid: str
    target: str
    target_eid: str | None = None
    note: str = ""


@dataclass(frozen=True)
class ReferenceRemoved(DomainEvent):
    eid: str
    target: str
    target_eid: str | None = None


@dataclass(frozen=True)
class RegistrationRecorded(DomainEvent):
    """The agreement was registered (or filed and recorded) with a registering body under a number: with the UN
    Secretariat under Article 102 of the Charter, earlier with the League of Nations. Valid from `date`."""

    registration_number: str
    date: str
    registering_body: str = ""

    def valid_time(self):
        return self.date


@dataclass(frozen=True)
class DepositaryNamed(DomainEvent):
    """Who keeps the agreement's original and receives its instruments: a party of the registry (`party`, its
    code, also in `depositary`) or a name ("Government of the United States of America")."""

    depositary: str
    party: str | None = None


@dataclass(frozen=True)
class CitationAttached(DomainEvent):
    # Schema 2: `source` is always the source's key. Schema 1 payloads written by the admin before December 2026
    # may hold a database id instead; the mapper reads them with the key kept for them (agreements.eventmapper).
    schema_version: ClassVar[int] = 2
    citation_id: str
    source: str
    locator: str = ""
    quote: str = ""
    supports: str = ""


@dataclass(frozen=True)
class CitationDetached(DomainEvent):
    citation_id: str


@dataclass(frozen=True)
class ObligationCoded(DomainEvent):
    """A clause obliges (or permits) the listed parties to do something; valid from `effective` to `until`."""

    obligation_id: str
    clause_id: str
    eid: str
    obligation: str
    modality: str
    parties: list
    conditions: list = field(default_factory=list)
    towards: list = field(default_factory=list)
    adversary: str = ""
    effective: str | None = None
    until: str | None = None
    note: str = ""


@dataclass(frozen=True)
class ObligationUncoded(DomainEvent):
    obligation_id: str
    reason: str


@dataclass(frozen=True)
class SubmittedForReview(DomainEvent):
    note: str = ""


@dataclass(frozen=True)
class Published(DomainEvent):
    note: str = ""
    uncited_facts: int = 0  # facts no citation supported when it was published
    uncited_reason: str = ""


@dataclass(frozen=True)
class Unpublished(DomainEvent):
    note: str = ""


@dataclass(frozen=True)
class ReturnedToDraft(DomainEvent):
    note: str


@dataclass(frozen=True)
class EventCorrected(DomainEvent):
    """Supersedes, in record time, the facts an earlier event stated. History keeps both."""

    event_id: str
    corrected_type: str
    reason: str
    corrections: dict


EVENT_TYPES: dict[str, type[DomainEvent]] = {
    cls.__name__: cls
    for cls in (
        AgreementDrafted,
        DetailsEdited,
        PartyAdded,
        PartyRemoved,
        LifecycleRecorded,
        StatementMade,
        StatementWithdrawn,
        EntryIntoForceRuleSet,
        ClauseAdded,
        ClauseAmended,
        ClauseRepealed,
        ClauseRenumbered,
        RelationAdded,
        RelationRemoved,
        ReferenceAdded,
        ReferenceRemoved,
        RegistrationRecorded,
        DepositaryNamed,
        CitationAttached,
        CitationDetached,
        ObligationCoded,
        ObligationUncoded,
        SubmittedForReview,
        Published,
        Unpublished,
        ReturnedToDraft,
        EventCorrected,
    )
}

# Payload fields that name another agreement by its slug (ClauseAmended.by, RelationAdded.target...).
AGREEMENT_SLUG_FIELDS = ("by", "target")


# ---------------------------------------------------------------------------------------------- upcasting
# (type, from schema version) -> a function turning that version's payload into the next version's.
# Reading applies them in a chain (v1 -> v2 -> v3); stored rows keep the bytes they were written with.
UPCASTERS: dict[tuple[str, int], Callable[[dict], dict]] = {}


def upcaster(event_type: str, from_version: int):
    """Decorator: `@upcaster("ClauseAdded", 1)` turns a v1 payload into a v2 payload."""

    def register(fn):
        UPCASTERS[(event_type, from_version)] = fn
        return fn

    return register


def upcast(event_type: str, schema_version: int, payload: dict) -> tuple[int, dict]:
    """The payload brought up to the current schema, and that schema's version; identifiers stored with a final
    newline are read without it (domain/identifiers.py)."""
    while (event_type, schema_version) in UPCASTERS:
        payload = UPCASTERS[(event_type, schema_version)](dict(payload))
        schema_version += 1
    return schema_version, repair_identifiers(payload)


def event_from_payload(type_name: str, payload: dict) -> DomainEvent:
    cls = EVENT_TYPES[type_name]
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in payload.items() if k in names})


def corrected(event: DomainEvent, corrections: dict) -> DomainEvent:
    """The event as it should have been: the original with corrected fields replaced."""
    return dataclasses.replace(event, **corrections)
