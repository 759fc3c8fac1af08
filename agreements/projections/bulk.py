"""Project a bulk load of NEW agreements in memory, then write each read model with one bulk INSERT.

The rows are exactly those the Projector (projector.py) writes for the same events, one event at a time
with queries; here nothing is read back from the database, because a new agreement's rows all come from
its own events. An agreement whose stream does not start in the batch, or that holds an event type this
module does not know (removals, corrections), is handed to the Projector instead. `rebuild_projections`
(which uses the Projector) must give the same projection hash: tests/services/test_bulk.py checks it.
"""

from __future__ import annotations

import copy

from agreements.domain import events as e
from agreements.domain.dates import lower_bound, parse_date
from sources.models import resolve_source

from .models import (
    BEGINNING,
    AgreementDetailsVersion,
    AgreementParty,
    AgreementRecord,
    Citation,
    ClauseVersion,
    LifecycleFact,
    Reference,
    Relation,
)
from .projector import DETAIL_FIELDS, Projector

BULK_TYPES = {
    "AgreementDrafted", "DetailsEdited", "SubmittedForReview", "Published", "Unpublished", "PartyAdded",
    "LifecycleRecorded", "ClauseAdded", "ClauseAmended", "ClauseRepealed", "ClauseRenumbered", "RelationAdded",
    "ReferenceAdded", "CitationAttached",
}
BATCH_SIZE = 1000


class _Agreement:
    """One new agreement's rows while its events are applied."""

    def __init__(self):
        self.record: AgreementRecord | None = None
        self.details: list[AgreementDetailsVersion] = []
        self.facts: list[LifecycleFact] = []
        self.clauses: dict = {}  # clause_id -> [ClauseVersion]
        self.clause_rows: list[ClauseVersion] = []
        self.max_sort_key = 0


class NewAgreementsProjector:
    def __init__(self):
        self._rows: dict[type, list] = {model: [] for model in (
            AgreementDetailsVersion, AgreementParty, LifecycleFact, ClauseVersion, Relation, Reference, Citation)}
        self._records: list[AgreementRecord] = []
        self._sources: dict = {}

    def project(self, recorded_events) -> None:
        streams: dict[str, list] = {}
        for rec in recorded_events:
            streams.setdefault(rec.stream_id, []).append(rec)
        others = []
        for events in streams.values():
            if events[0].stream_version == 1 and all(rec.type in BULK_TYPES for rec in events):
                self._agreement(events)
            else:
                others += events
        self._write()
        if others:
            Projector().project(sorted(others, key=lambda rec: rec.position))

    def _agreement(self, events) -> None:
        from agreements import eventmapper

        state = _Agreement()
        for item in eventmapper.stored(events):  # upcast, as the Projector reads them
            rec, event = item.record, item.event
            getattr(self, f"_on_{rec.type}")(state, rec, event)
            state.record.version = rec.stream_version
            state.record.last_position = rec.position
            state.record.updated_at = rec.recorded_at
        self._records.append(state.record)
        self._rows[AgreementDetailsVersion] += state.details
        self._rows[LifecycleFact] += state.facts
        self._rows[ClauseVersion] += state.clause_rows

    def _write(self) -> None:
        AgreementRecord.objects.bulk_create(self._records, batch_size=BATCH_SIZE)
        for model, rows in self._rows.items():  # their records have primary keys now
            model.objects.bulk_create(rows, batch_size=BATCH_SIZE)

    # ------------------------------------------------------------------ details and publication

    def _on_AgreementDrafted(self, state, rec, ev: e.AgreementDrafted):
        state.record = AgreementRecord(
            stream_id=rec.stream_id, slug=ev.slug, work_uri=ev.work_uri, title=ev.title, titles=ev.titles,
            kind=ev.kind, summary=ev.summary, place=ev.place, work_date=ev.work_date or "",
            work_date_lower=lower_bound(ev.work_date), earliest_date=lower_bound(ev.work_date), created_at=rec.recorded_at,
            updated_at=rec.recorded_at, version=rec.stream_version, last_position=rec.position,
        )
        self._new_details(state, rec)

    def _new_details(self, state, rec):
        record = state.record
        for row in state.details:
            if row.known_to is None:
                row.known_to = rec.recorded_at
        state.details.append(AgreementDetailsVersion(
            agreement=record, title=record.title, titles=record.titles, kind=record.kind, summary=record.summary,
            place=record.place, work_date=record.work_date, publication=record.publication,
            known_from=rec.recorded_at, position=rec.position,
        ))

    def _on_DetailsEdited(self, state, rec, ev: e.DetailsEdited):
        record = state.record
        for name, value in ev.changes.items():
            if name in DETAIL_FIELDS:
                setattr(record, name, value if value is not None else "")
        record.work_date_lower = lower_bound(record.work_date)
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

    def _on_PartyAdded(self, state, rec, ev: e.PartyAdded):
        self._rows[AgreementParty].append(AgreementParty(
            agreement=state.record, party_code=ev.party, role=ev.role, known_from=rec.recorded_at,
            event_id=rec.event_id))

    def _on_LifecycleRecorded(self, state, rec, ev: e.LifecycleRecorded):
        date = parse_date(ev.date)
        state.facts.append(LifecycleFact(
            agreement=state.record, event_id=rec.event_id, action=ev.action, party_code=ev.party, date=ev.date,
            date_lower=date.lower, date_upper=date.upper, known_from=rec.recorded_at))
        self._refresh_dates(state)

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
        record = state.record
        record.signed_lower = earliest.get("signature")
        record.in_force_lower = earliest.get("entry_into_force")
        record.suspended_lower = earliest.get("suspension")
        record.terminated_lower = earliest.get("termination")
        dates = [d for d in [record.work_date_lower, *earliest.values()] if d]
        record.earliest_date = min(dates) if dates else None

    # ------------------------------------------------------------------ clauses

    def _insert_version(self, state, row: ClauseVersion):
        """As Projector._insert_version: the new row ends where the next starts; the previous ends at it."""
        rows = state.clauses.setdefault(row.clause_id, [])
        rows.append(row)
        state.clause_rows.append(row)
        later = [r.valid_from for r in rows if r.valid_from > row.valid_from]
        row.valid_to = min(later) if later else None
        earlier = [r.valid_from for r in rows if r.valid_from < row.valid_from]
        if earlier:
            previous = max(earlier)
            for r in rows:
                if r.valid_from == previous:
                    r.valid_to = row.valid_from

    def _on_ClauseAdded(self, state, rec, ev: e.ClauseAdded):
        state.max_sort_key += 1
        self._insert_version(state, ClauseVersion(
            agreement=state.record, clause_id=ev.clause_id, eid=ev.eid, number=ev.number, heading=ev.heading,
            text=ev.text, text_kind=ev.text_kind, language=ev.language, parent_eid=ev.parent or "",
            sort_key=state.max_sort_key, change="added", effective=ev.effective or "",
            valid_from=lower_bound(ev.effective) or BEGINNING, known_from=rec.recorded_at, event_id=rec.event_id,
            position=rec.position,
        ))

    def _changed_row(self, state, rec, ev, change: str) -> ClauseVersion:
        """As Projector._changed_row: a copy of the version in force just before the change."""
        rows = state.clauses[ev.clause_id]
        valid_from = lower_bound(ev.effective) if ev.effective else None
        at = valid_from or BEGINNING
        before = [r for r in rows if r.valid_from <= at]
        if before:
            base = max(before, key=lambda r: (r.valid_from, r.known_from))
        else:
            base = min(rows, key=lambda r: (r.valid_from, -r.known_from.timestamp()))
        if valid_from is None:
            valid_from = max(r.valid_from for r in rows)
        row = copy.copy(base)
        row.pk = None
        row.change, row.effective, row.valid_from, row.valid_to = change, ev.effective or "", valid_from, None
        row.known_from, row.known_to, row.event_id, row.position = rec.recorded_at, None, rec.event_id, rec.position
        row.amended_by = ""
        return row

    def _on_ClauseAmended(self, state, rec, ev: e.ClauseAmended):
        row = self._changed_row(state, rec, ev, "amended")
        row.text = ev.text
        row.text_kind = ev.text_kind or row.text_kind
        row.amended_by = ev.by or ""
        self._insert_version(state, row)

    def _on_ClauseRepealed(self, state, rec, ev: e.ClauseRepealed):
        row = self._changed_row(state, rec, ev, "repealed")
        row.repealed = True
        row.amended_by = ev.by or ""
        self._insert_version(state, row)

    def _on_ClauseRenumbered(self, state, rec, ev: e.ClauseRenumbered):
        row = self._changed_row(state, rec, ev, "renumbered")
        row.eid = ev.new_eid
        if ev.number is not None:
            row.number = ev.number
        self._insert_version(state, row)

    # ------------------------------------------------------------------ relations, references, citations

    def _on_RelationAdded(self, state, rec, ev: e.RelationAdded):
        self._rows[Relation].append(Relation(
            agreement=state.record, relation=ev.relation, target_slug=ev.target, note=ev.note,
            known_from=rec.recorded_at, event_id=rec.event_id))

    def _on_ReferenceAdded(self, state, rec, ev: e.ReferenceAdded):
        by_eid = [r for r in state.clause_rows if r.eid == ev.eid]
        clause_id = max(by_eid, key=lambda r: r.position).clause_id if by_eid else None
        self._rows[Reference].append(Reference(
            agreement=state.record, clause_id=clause_id, eid=ev.eid, target_slug=ev.target,
            target_eid=ev.target_eid or "", note=ev.note, known_from=rec.recorded_at, event_id=rec.event_id))

    def _on_CitationAttached(self, state, rec, ev: e.CitationAttached):
        key = str(ev.source)
        if key not in self._sources:
            self._sources[key] = resolve_source(ev.source)
        self._rows[Citation].append(Citation(
            citation_id=ev.citation_id, agreement=state.record, source=self._sources[key], locator=ev.locator,
            quote=ev.quote, supports=ev.supports, known_from=rec.recorded_at, event_id=rec.event_id))
