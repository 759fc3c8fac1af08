"""The read models' rows as events make them: one builder per kind of row, shared by the two projectors.

The Projector (projector.py, event by event, reading what it needs back from the database) and the bulk
projector of new agreements (bulk.py, in memory) both build their rows here, so a bulk load and a rebuild
give the same rows. The builders return unsaved rows and never query: what they need to know about the
rows before them (a clause's place, the version a change starts from) the caller looks up its own way.

Each builder makes its row with `make`: the model by default (the Projector saves the instance), or a
`Plain` of the model (the batch projector), which holds the same attributes, the model's defaults filled
in, without what a model instance costs to build (about as much as sending its row by COPY); the batch
projector writes a plain row's `values()` in one statement per table.
"""

from __future__ import annotations

import copy

from agreements.domain import events
from agreements.domain import participation
from agreements.domain.dates import lower_bound, parse_date
from agreements.domain.folding import fold
from agreements.domain.entry_into_force import EntryIntoForceRule
from agreements.domain.status import DATED_ACTIONS

from .models import (
    BEGINNING,
    AgreementDetailsVersion,
    AgreementParty,
    AgreementRecord,
    Citation,
    ClauseVersion,
    Depositary,
    EntryIntoForceRuleRow,
    LifecycleFact,
    ParticipationPeriod,
    Reference,
    Registration,
    Relation,
    StatementVersion,
)

DETAIL_FIELDS = ("title", "titles", "kind", "summary", "place", "work_date")


class PlainRow:
    """A read-model row as plain attributes (those of its model's instances, relations by the related row)."""

    def __init__(self, values: dict):
        self.__dict__ = values

    @property
    def pk(self):
        return self.__dict__.get("id")

    @pk.setter
    def pk(self, value):
        self.__dict__["id"] = value


class Plain:
    """Makes plain rows of `model`, as `model(**values)` makes instances: every field the values leave out
    takes the model's default; `values(row)` gives the row's values in the order of `fields` (the model's
    columns but its key), a relation as the related row's key."""

    def __init__(self, model):
        self.model = model
        self.table = model._meta.db_table
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self._defaults, self._fresh = {}, []
        for f in self.fields:
            if f.has_default() and callable(f.default):  # a fresh dict or list each row, as Django gives
                self._fresh.append((f.name, f.default))
            else:
                self._defaults[f.name] = f.get_default()
        self._related = [f.is_relation for f in self.fields]
        self._names = [f.name for f in self.fields]

    def __call__(self, **values) -> PlainRow:
        row = dict(self._defaults)
        for name, default in self._fresh:
            if name not in values:
                row[name] = default()
        row.update(values)
        return PlainRow(row)

    def values(self, row: PlainRow) -> tuple:
        data = row.__dict__
        return tuple((data[name].pk if data[name] is not None else None) if related else data[name]
                     for name, related in zip(self._names, self._related))

# ---------------------------------------------------------------------- the agreement and its details


def agreement_record(rec, ev: events.AgreementDrafted, record_id: int | None = None) -> AgreementRecord:
    return AgreementRecord(
        id=record_id,
        stream_id=rec.stream_id,
        slug=ev.slug,
        work_uri=ev.work_uri,
        title=ev.title,
        titles=ev.titles,
        kind=ev.kind,
        summary=ev.summary,
        place=ev.place,
        work_date=ev.work_date or "",
        work_date_lower=lower_bound(ev.work_date),
        earliest_date=lower_bound(ev.work_date),
        created_at=rec.recorded_at,
        updated_at=rec.recorded_at,
        version=rec.stream_version,
        last_position=rec.position,
        search_text=agreement_search_text(ev.title, ev.titles, ev.summary, ev.place),
    )


def agreement_search_text(title, titles, summary, place) -> str:
    """The folded keys the search matches for an agreement: its title, its titles in every language
    (their language codes left out), its summary and its place."""
    # In the order of their language codes: PostgreSQL's jsonb gives keys back in an order of its own, and a
    # rebuild must fold the same text as the write that first stored them.
    others = " ".join(str(value) for _, value in sorted((titles or {}).items()))
    return fold(f"{title or ''} {others} {summary or ''} {place or ''}")


def clause_search_text(heading, text) -> str:
    return fold(f"{heading or ''} {text or ''}")


def details_row(record: AgreementRecord, rec, make=AgreementDetailsVersion) -> AgreementDetailsVersion:
    """The agreement's descriptive fields as they stand after `rec`, known from its record time."""
    return make(
        agreement=record,
        title=record.title,
        titles=record.titles,
        kind=record.kind,
        summary=record.summary,
        place=record.place,
        work_date=record.work_date,
        publication=record.publication,
        known_from=rec.recorded_at,
        position=rec.position,
    )


def set_details(record: AgreementRecord, changes: dict) -> None:
    """Apply edited details to the agreement row (its summary dates are the caller's to refresh)."""
    for name, value in changes.items():
        if name in DETAIL_FIELDS:
            setattr(record, name, value if value is not None else "")
    record.work_date_lower = lower_bound(record.work_date)
    record.search_text = agreement_search_text(record.title, record.titles, record.summary, record.place)


def set_summary_dates(record: AgreementRecord, earliest: dict) -> None:
    """The summary dates on the agreement row from `earliest`: action -> the earliest lower bound of its
    facts still asserted (None when none of them has one)."""
    record.signed_lower = earliest.get("signature")
    record.in_force_lower = earliest.get("entry_into_force")
    record.suspended_lower = earliest.get("suspension")
    record.terminated_lower = earliest.get("termination")
    record.status_from = min((earliest[a] for a in DATED_ACTIONS if earliest.get(a)), default=None)
    dates = [d for d in [record.work_date_lower, *earliest.values()] if d]
    record.earliest_date = min(dates) if dates else None


# ---------------------------------------------------------------------- parties and lifecycle


def party_row(record: AgreementRecord, rec, ev: events.PartyAdded, make=AgreementParty) -> AgreementParty:
    return make(agreement=record, agreement_slug=record.slug, party_code=ev.party, role=ev.role,
                known_from=rec.recorded_at, event_id=rec.event_id)


def lifecycle_row(record: AgreementRecord, event_id, ev: events.LifecycleRecorded, known_from,
                  make=LifecycleFact) -> LifecycleFact:
    date = parse_date(ev.date)
    return make(agreement=record, event_id=event_id, action=ev.action, party_code=ev.party, date=ev.date,
                         date_lower=date.lower, date_upper=date.upper, effective=ev.effective or "",
                         effective_lower=lower_bound(ev.effective), predecessor=ev.predecessor or "",
                         territory=ev.territory or "", notification=ev.notification or "", known_from=known_from)


# ---------------------------------------------------------------------- participation


def rule_row(record: AgreementRecord, rec, ev: events.EntryIntoForceRuleSet,
             make=EntryIntoForceRuleRow) -> EntryIntoForceRuleRow:
    return make(agreement=record, rule=dict(ev.rule), known_from=rec.recorded_at,
                                 event_id=rec.event_id)


def participation_periods(facts, rule: dict | None, parties) -> list[tuple]:
    """Every participant's status periods (domain/participation.py) from the current lifecycle rows, the rule's
    fields and the current parties, as (party, status, valid_from, valid_to, how) keys."""
    actions = [participation.action_of(f, str(f.event_id)) for f in facts]
    result = participation.participation(actions, EntryIntoForceRule.from_fields(rule), parties)
    periods = [(p.party, p.status, p.valid_from, p.valid_to, p.how) for p in result.periods]
    derived = result.derivation.agreement
    if derived is not None and derived.how != "recorded":  # a recorded one is a lifecycle fact already
        periods.append((AGREEMENT, "in_force", derived.date, None, derived.how))
    return periods


# The participant code of the agreement's own derived entry into force (queries.status reads it).
AGREEMENT = ""


def _period_key(row: ParticipationPeriod) -> tuple:
    return (row.party_code, row.status, row.valid_from, row.valid_to, row.how)


def period_changes(record: AgreementRecord, current: list, periods: list[tuple], known_from,
                   make=ParticipationPeriod):
    """(the current rows no longer derived, new rows for the periods not yet current): both projectors write
    exactly these, so a bulk load and a rebuild agree."""
    keys = {_period_key(row) for row in current}
    wanted = set(periods)
    closing = [row for row in current if _period_key(row) not in wanted]
    adding = [make(agreement=record, party_code=party, status=status, valid_from=start, valid_to=end,
                                  how=how, known_from=known_from)
              for party, status, start, end, how in periods if (party, status, start, end, how) not in keys]
    return closing, adding


def statement_row(record: AgreementRecord, rec, ev: events.StatementMade, event_id,
                  make=StatementVersion) -> StatementVersion:
    return make(
        agreement=record, statement_id=ev.statement_id, party_code=ev.party, kind=ev.kind, text=ev.text,
        language=ev.language, eids=list(ev.eids), made_at=ev.made_at or "", date=ev.date,
        objects_to=ev.objects_to, opposes_entry_into_force=ev.opposes_entry_into_force,
        valid_from=lower_bound(ev.date), known_from=rec.recorded_at, event_id=event_id, position=rec.position)


def statement_withdrawn_rows(open_rows: list, rec, ev: events.StatementWithdrawn, event_id) -> list[StatementVersion]:
    """A withdrawal: each open version (one per language) ends on its date; a partial withdrawal (a narrower
    `text`) adds the narrower version, in the statement's first language, from then on. The caller closes
    `open_rows` in record time."""
    day = lower_bound(ev.date)
    new = []
    for row in sorted(open_rows, key=lambda r: r.position):
        ended = copy.copy(row)
        ended.pk, ended.valid_to, ended.withdrawn, ended.ended_by = None, day, ev.date, event_id
        ended.known_from, ended.known_to, ended.position = rec.recorded_at, None, rec.position
        new.append(ended)
    if ev.text and open_rows:
        first = min(open_rows, key=lambda r: r.position)
        narrowed = copy.copy(first)
        narrowed.pk, narrowed.text, narrowed.valid_from, narrowed.valid_to = None, ev.text, day, None
        narrowed.withdrawn, narrowed.ended_by, narrowed.event_id, narrowed.narrowed = "", None, event_id, True
        narrowed.known_from, narrowed.known_to, narrowed.position = rec.recorded_at, None, rec.position
        new.append(narrowed)
    return new


# ---------------------------------------------------------------------- registration and depositary


def registration_row(record: AgreementRecord, event_id, ev: events.RegistrationRecorded, known_from,
                     make=Registration) -> Registration:
    date = parse_date(ev.date)
    return make(agreement=record, event_id=event_id, registration_number=ev.registration_number,
                        registering_body=ev.registering_body, date=ev.date, date_lower=date.lower,
                        date_upper=date.upper, known_from=known_from)


def depositary_row(record: AgreementRecord, event_id, ev: events.DepositaryNamed, known_from,
                   make=Depositary) -> Depositary:
    return make(agreement=record, event_id=event_id, depositary=ev.depositary, party_code=ev.party,
                      known_from=known_from)


# ---------------------------------------------------------------------- clauses


def clause_added_row(record: AgreementRecord, rec, ev: events.ClauseAdded, event_id, sort_key: int,
                     make=ClauseVersion) -> ClauseVersion:
    """A clause's first version. `sort_key` is its place in the document: the place of the clause it is
    another language of, else after every clause so far."""
    return make(
        agreement=record,
        clause_id=ev.clause_id,
        eid=ev.eid,
        number=ev.number,
        heading=ev.heading,
        text=ev.text,
        text_kind=ev.text_kind,
        language=ev.language,
        parent_eid=ev.parent or "",
        sort_key=sort_key,
        change="added",
        effective=ev.effective or "",
        valid_from=lower_bound(ev.effective) or BEGINNING,
        known_from=rec.recorded_at,
        event_id=event_id,
        position=rec.position,
        search_text=clause_search_text(ev.heading, ev.text),
    )


def change_valid_from(ev):
    """The day a clause change takes effect, None when the event gives no date."""
    return lower_bound(ev.effective) if ev.effective else None


def changed_row(base: ClauseVersion, rec, ev, event_id, change: str, valid_from) -> ClauseVersion:
    """A new version of a clause: a copy of `base` (the version in force just before the change) holding
    from `valid_from`, with what the change itself says (`ev`: amended, repealed or renumbered)."""
    row = copy.copy(base)
    row.pk = None
    row.change = change
    row.effective = ev.effective or ""
    row.valid_from = valid_from
    row.valid_to = None
    row.known_from = rec.recorded_at
    row.known_to = None
    row.event_id = event_id
    row.position = rec.position
    row.amended_by = ""
    if change == "amended":
        row.text = ev.text
        row.text_kind = ev.text_kind or row.text_kind
        row.amended_by = ev.by or ""
        row.search_text = clause_search_text(row.heading, row.text)
    elif change == "repealed":
        row.repealed = True
        row.amended_by = ev.by or ""
    elif change == "renumbered":
        row.eid = ev.new_eid
        if ev.number is not None:
            row.number = ev.number
    return row


# ---------------------------------------------------------------------- relations, references, citations


def relation_row(record: AgreementRecord, rec, ev: events.RelationAdded, make=Relation) -> Relation:
    return make(agreement=record, relation=ev.relation, target_slug=ev.target, note=ev.note,
                    known_from=rec.recorded_at, event_id=rec.event_id)


def reference_row(record: AgreementRecord, rec, ev: events.ReferenceAdded, clause_id, make=Reference) -> Reference:
    """`clause_id`: the clause that last held the reference's eId (None if none did)."""
    return make(agreement=record, clause_id=clause_id, eid=ev.eid, target_slug=ev.target,
                     target_eid=ev.target_eid or "", note=ev.note, known_from=rec.recorded_at, event_id=rec.event_id)


def citation_row(record: AgreementRecord, rec, ev: events.CitationAttached, source, make=Citation) -> Citation:
    return make(citation_id=ev.citation_id, agreement=record, source=source, source_key=ev.source,
                    locator=ev.locator,
                    quote=ev.quote, supports=ev.supports, known_from=rec.recorded_at, event_id=rec.event_id)
