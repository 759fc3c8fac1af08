"""Project a bulk load of NEW agreements in memory, then write each read model with one bulk INSERT (COPY on
PostgreSQL), its rows plain values (rows.Plain), not model instances. A rebuild beside the live read
models projects the log through here too (rebuild._Batches): it is the same job, many events, no readers.

The rows are exactly those the Projector (projector.py) writes for the same events, one event at a time
with queries; here nothing is read back from the database, because a new agreement's rows all come from
its own events. An agreement whose stream does not start in the batch, or that holds an event type this
module does not know (removals, corrections), is handed to the Projector instead. `rebuild_projections`
(which uses the Projector) must give the same projection hash: tests/services/test_bulk.py checks it.
"""

from __future__ import annotations

from django.db import connection

from agreements.domain import events
from registry.database import backend
from sources.models import resolve_source

from . import rows
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
from .projector import Projector

BULK_TYPES = {
    "AgreementDrafted", "DetailsEdited", "SubmittedForReview", "Published", "Unpublished", "PartyAdded",
    "LifecycleRecorded", "ClauseAdded", "ClauseAmended", "ClauseRepealed", "ClauseRenumbered", "RelationAdded",
    "ReferenceAdded", "CitationAttached", "RegistrationRecorded", "DepositaryNamed", "StatementMade",
    "StatementWithdrawn", "EntryIntoForceRuleSet",
}


class _Agreement:
    """One new agreement's rows while its events are applied."""

    def __init__(self):
        self.record: AgreementRecord | None = None
        self.details: list[AgreementDetailsVersion] = []
        self.facts: list[LifecycleFact] = []
        self.clauses: dict = {}  # clause_id -> [ClauseVersion]
        self.clause_rows: list[ClauseVersion] = []
        self.sort_keys: dict[str, int] = {}  # eId -> the sort key of its first row (a scan per clause was O(n²))
        self.max_sort_key = 0
        self.parties: list = []  # current party rows
        self.rules: list[EntryIntoForceRuleRow] = []
        self.periods: list[ParticipationPeriod] = []
        self.statements: list[StatementVersion] = []


class NewAgreementsProjector:
    # The read models a bulk load writes (besides AgreementRecord), in the order they are written.
    ROW_MODELS = (AgreementDetailsVersion, AgreementParty, LifecycleFact, ClauseVersion, Relation, Reference, Citation,
                  Registration, Depositary, EntryIntoForceRuleRow, ParticipationPeriod, StatementVersion)

    @classmethod
    def tables(cls) -> list[str]:
        """The tables a bulk load fills: their planner statistics are refreshed after one (registry.statistics)."""
        return [model._meta.db_table for model in (AgreementRecord, *cls.ROW_MODELS)]

    def __init__(self, record_ids=None):
        """`record_ids`: stream id -> the id its agreement row is to keep (a rebuild's; see Projector), read
        with `.get`; the others take new ids."""
        self._rows: dict[type, list] = {model: [] for model in self.ROW_MODELS}
        self._records: list[AgreementRecord] = []
        self._sources: dict = {}
        self._record_ids = record_ids or {}
        self._make = {model: rows.Plain(model) for model in self.ROW_MODELS}
        self._others: list = []
        self._ready: dict = {}  # model -> its rows made ready to store (`ready`)

    def project(self, recorded_events, decided: dict | None = None) -> None:
        """`decided`: {event id: domain event} for events decided in this process (a bulk load), taken as they
        are; the others' payloads are read back (upcast), as the Projector reads them."""
        self.prepare(recorded_events, decided).write()

    def prepare(self, recorded_events, decided: dict | None = None) -> "NewAgreementsProjector":
        """The rows of the new agreements among `recorded_events`, built in memory without a query (a bulk load
        builds batch k+1's while batch k is written); `write` stores them, in the writing transaction."""
        streams: dict[str, list] = {}
        for rec in recorded_events:
            streams.setdefault(rec.stream_id, []).append(rec)
        self._others = []
        for stream in streams.values():
            if stream[0].stream_version == 1 and all(rec.type in BULK_TYPES for rec in stream):
                self._agreement(stream, decided or {})
            else:
                self._others += stream
        return self

    def ready(self) -> "NewAgreementsProjector":
        """After `prepare`: the new records' keys taken and every other row made ready to store (registry.database
        `take_keys`, `values_ahead`: COPY text on PostgreSQL), so that the transaction that writes them only sends
        them (a bulk load makes batch k+1 ready while batch k is written). Where the database gives keys only as it
        inserts (SQLite), nothing is done: `write` stores the rows as they are."""
        database = backend(connection)
        if database.take_keys(connection, AgreementRecord, [record for record in self._records if record.pk is None]):
            self._ready = {model: database.values_ahead(connection, self._make[model].fields,
                                                        [self._make[model].values(row) for row in batch])
                           for model, batch in self._rows.items()}
        return self

    def write(self) -> None:
        """Store what `prepare` built, then project the other events one by one (they read the database)."""
        self._write()
        others, self._others = self._others, []
        if others:
            Projector(self._record_ids).project(sorted(others, key=lambda rec: rec.position))

    def _agreement(self, stream, decided: dict) -> None:
        from agreements import eventmapper

        state = _Agreement()
        if all(rec.event_id in decided for rec in stream):
            pairs = [(rec, decided[rec.event_id]) for rec in stream]
        else:
            pairs = [(item.record, item.event) for item in eventmapper.stored(stream)]  # upcast, as the Projector
        for rec, event in pairs:
            getattr(self, f"_on_{rec.type}")(state, rec, event)
            state.record.version = rec.stream_version
            state.record.last_position = rec.position
            state.record.updated_at = rec.recorded_at
        self._records.append(state.record)
        self._rows[AgreementDetailsVersion] += state.details
        self._rows[LifecycleFact] += state.facts
        self._rows[ClauseVersion] += state.clause_rows
        self._rows[EntryIntoForceRuleRow] += state.rules
        self._rows[ParticipationPeriod] += state.periods
        self._rows[StatementVersion] += state.statements

    def _write(self) -> None:
        # The database's fastest way to store new rows (registry.database: COPY on PostgreSQL). The records
        # take their keys first: every other row refers to its record.
        # The other rows are plain (rows.Plain): their values go in without a model instance each.
        database = backend(connection)
        kept = [record for record in self._records if record.pk is not None]
        database.insert_new_rows(connection, AgreementRecord, kept)
        database.insert_new_rows(connection, AgreementRecord, [r for r in self._records if r.pk is None], keys=True)
        for model, batch in self._rows.items():
            make = self._make[model]
            values = self._ready[model] if model in self._ready else [make.values(row) for row in batch]
            database.insert_values(connection, make.table, make.fields, values)
        self._records, self._ready = [], {}
        self._rows = {model: [] for model in self.ROW_MODELS}

    # ------------------------------------------------------------------ details and publication

    def _on_AgreementDrafted(self, state, rec, ev: events.AgreementDrafted):
        state.record = rows.agreement_record(rec, ev, self._record_ids.get(rec.stream_id))
        self._new_details(state, rec)

    def _new_details(self, state, rec):
        for row in state.details:
            if row.known_to is None:
                row.known_to = rec.recorded_at
        state.details.append(rows.details_row(state.record, rec, self._make[AgreementDetailsVersion]))

    def _on_DetailsEdited(self, state, rec, ev: events.DetailsEdited):
        rows.set_details(state.record, ev.changes)
        self._refresh_dates(state)
        self._new_details(state, rec)

    def _publication(self, state, rec, value):
        state.record.publication = value
        self._new_details(state, rec)

    def _on_SubmittedForReview(self, state, rec, ev):
        self._publication(state, rec, "in_review")

    def _on_Published(self, state, rec, ev):
        self._publication(state, rec, "published")

    def _on_Unpublished(self, state, rec, ev):
        self._publication(state, rec, "draft")

    # ------------------------------------------------------------------ parties and lifecycle

    def _on_PartyAdded(self, state, rec, ev: events.PartyAdded):
        row = rows.party_row(state.record, rec, ev, self._make[AgreementParty])
        self._rows[AgreementParty].append(row)
        state.parties.append(row)
        self._refresh_participation(state, rec)

    def _on_LifecycleRecorded(self, state, rec, ev: events.LifecycleRecorded):
        state.facts.append(rows.lifecycle_row(state.record, rec.event_id, ev, rec.recorded_at, self._make[LifecycleFact]))
        self._refresh_dates(state)
        self._refresh_participation(state, rec)

    # ------------------------------------------------------------------ participation

    def _refresh_participation(self, state, rec):
        """As Projector._refresh_participation, in memory."""
        facts = [f for f in state.facts if f.known_to is None]
        if not facts:  # as the Projector: no action, no period
            return
        rule = next((r.rule for r in state.rules if r.known_to is None), None)
        parties = [p.party_code for p in state.parties]
        current = [p for p in state.periods if p.known_to is None]
        closing, adding = rows.period_changes(state.record, current, rows.participation_periods(facts, rule, parties),
                                              rec.recorded_at, self._make[ParticipationPeriod])
        for row in closing:
            row.known_to = rec.recorded_at
        state.periods += adding

    def _on_EntryIntoForceRuleSet(self, state, rec, ev: events.EntryIntoForceRuleSet):
        for row in state.rules:
            if row.known_to is None:
                row.known_to = rec.recorded_at
        state.rules.append(rows.rule_row(state.record, rec, ev, self._make[EntryIntoForceRuleRow]))
        self._refresh_participation(state, rec)

    def _on_StatementMade(self, state, rec, ev: events.StatementMade):
        state.statements.append(rows.statement_row(state.record, rec, ev, rec.event_id, self._make[StatementVersion]))

    def _on_StatementWithdrawn(self, state, rec, ev: events.StatementWithdrawn):
        open_rows = [r for r in state.statements if str(r.statement_id) == str(ev.statement_id) and r.known_to is None
                     and r.valid_to is None]
        for row in open_rows:
            row.known_to = rec.recorded_at
        state.statements += rows.statement_withdrawn_rows(open_rows, rec, ev, rec.event_id)

    def _refresh_dates(self, state):
        """As Projector._refresh_dates: the earliest lower bound of each kind of fact, on the record."""
        earliest: dict = {}
        for fact in state.facts:
            if fact.known_to is None:
                if fact.action not in earliest:
                    earliest[fact.action] = fact.date_lower
                elif fact.date_lower is not None:
                    current = earliest[fact.action]
                    earliest[fact.action] = fact.date_lower if current is None else min(current, fact.date_lower)
        rows.set_summary_dates(state.record, earliest)

    # ------------------------------------------------------------------ registration and depositary

    def _on_RegistrationRecorded(self, state, rec, ev: events.RegistrationRecorded):
        self._rows[Registration].append(rows.registration_row(state.record, rec.event_id, ev, rec.recorded_at,
                                                            self._make[Registration]))

    def _on_DepositaryNamed(self, state, rec, ev: events.DepositaryNamed):
        self._rows[Depositary].append(rows.depositary_row(state.record, rec.event_id, ev, rec.recorded_at,
                                                        self._make[Depositary]))

    # ------------------------------------------------------------------ clauses

    def _insert_version(self, state, row: ClauseVersion):
        """As Projector._insert_version: the new row ends where the next starts; the previous ends at it."""
        rows = state.clauses.setdefault(row.clause_id, [])
        rows.append(row)
        state.clause_rows.append(row)
        state.sort_keys.setdefault(row.eid, row.sort_key)
        later = [r.valid_from for r in rows if r.valid_from > row.valid_from]
        row.valid_to = min(later) if later else None
        earlier = [r.valid_from for r in rows if r.valid_from < row.valid_from]
        if earlier:
            previous = max(earlier)
            for r in rows:
                if r.valid_from == previous:
                    r.valid_to = row.valid_from

    def _on_ClauseAdded(self, state, rec, ev: events.ClauseAdded):
        # As Projector._clause_added_row: another language of a clause takes that clause's place.
        sort_key = state.sort_keys.get(ev.eid)
        if sort_key is None:
            state.max_sort_key += 1
            sort_key = state.max_sort_key
        self._insert_version(state, rows.clause_added_row(state.record, rec, ev, rec.event_id, sort_key,
                                                         self._make[ClauseVersion]))

    def _changed_row(self, state, rec, ev, change: str) -> ClauseVersion:
        """As Projector._changed_row: a copy of the version in force just before the change."""
        versions = state.clauses[ev.clause_id]
        valid_from = rows.change_valid_from(ev)
        at = valid_from or BEGINNING
        before = [r for r in versions if r.valid_from <= at]
        if before:
            base = max(before, key=lambda r: (r.valid_from, r.known_from))
        else:
            base = min(versions, key=lambda r: (r.valid_from, -r.known_from.timestamp()))
        if valid_from is None:
            valid_from = max(r.valid_from for r in versions)
        return rows.changed_row(base, rec, ev, rec.event_id, change, valid_from)

    def _on_ClauseAmended(self, state, rec, ev: events.ClauseAmended):
        self._insert_version(state, self._changed_row(state, rec, ev, "amended"))

    def _on_ClauseRepealed(self, state, rec, ev: events.ClauseRepealed):
        self._insert_version(state, self._changed_row(state, rec, ev, "repealed"))

    def _on_ClauseRenumbered(self, state, rec, ev: events.ClauseRenumbered):
        self._insert_version(state, self._changed_row(state, rec, ev, "renumbered"))

    # ------------------------------------------------------------------ relations, references, citations

    def _on_RelationAdded(self, state, rec, ev: events.RelationAdded):
        self._rows[Relation].append(rows.relation_row(state.record, rec, ev, self._make[Relation]))

    def _on_ReferenceAdded(self, state, rec, ev: events.ReferenceAdded):
        by_eid = [r for r in state.clause_rows if r.eid == ev.eid]
        clause_id = max(by_eid, key=lambda r: r.position).clause_id if by_eid else None
        self._rows[Reference].append(rows.reference_row(state.record, rec, ev, clause_id, self._make[Reference]))

    def _on_CitationAttached(self, state, rec, ev: events.CitationAttached):
        key = str(ev.source)
        if key not in self._sources:
            self._sources[key] = resolve_source(ev.source)
        self._rows[Citation].append(rows.citation_row(state.record, rec, ev, self._sources[key], self._make[Citation]))
