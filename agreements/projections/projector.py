"""Project recorded events into the read models, in the append transaction (and in rebuilds).

One handler per event type, named for it. Nothing else writes these tables.

Reading before the append, writing after it
-------------------------------------------
From the store's append to COMMIT, a write holds the event store's head locked (registry/eventstore/store.py): no
other write can append meanwhile, so that window bounds how many commands a second concurrent writers get
through (bench.writers). What a command's projection must READ does not depend on the positions and record times
the append gives its events, so the write path asks for it first (`prepare`, agreements.services): the agreement's
row, and for a one-event command whose handler has a reader (`_read_<EventType>`) what that handler needs (a new
clause's place in the document and the valid-from days of its clause's current versions). After the append,
`project` only writes, from what was read: for a clause new to its agreement, one INSERT (no MIN/MAX over its
versions, none exist). What was read stays true until the writes: the agreement's projection rows change only by
commands on the same agreement, and one of those committing between the reads and the append makes the append
refuse (the stream's expected version), so the transaction rolls back with its reads; a rebuild is kept out by the
projections' lock (lock.py). A command of several events reads as before, event by event after the append (a
later event may depend on the rows an earlier one wrote). The agreement's row is saved with the columns that
changed only.
"""

from __future__ import annotations

from django.db.models import Max, Min

from agreements.domain import events
from agreements.domain.dates import lower_bound, parse_date
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
    ObligationRow,
    ParticipationPeriod,
    Reference,
    Registration,
    Relation,
    StatementVersion,
)


class Projector:
    def __init__(self, record_ids: dict[str, int] | None = None):
        """`record_ids`: stream id -> the id its agreement row had before a rebuild, so the row keeps it (admin
        URLs and the findings hanging on the row survive a rebuild)."""
        self._records: dict[str, AgreementRecord] = {}
        self._record_ids = record_ids or {}
        self._stored_values: dict[str, dict] = {}  # stream id -> its agreement row's values as read
        self._read: dict = {}  # event id -> what its handler's reader read before the append

    def prepare(self, stream_id: str, decided) -> None:
        """Before the append (see the module docstring): read what projecting `decided` ([(event id, domain
        event)], one command's events in order) will need, so that after the append `project` only writes."""
        if not decided or decided[0][1].type == "AgreementDrafted":
            return
        record = self._record(stream_id)
        if len(decided) == 1:
            event_id, event = decided[0]
            reader = getattr(self, f"_read_{event.type}", None)
            if reader is not None:
                self._read[str(event_id)] = reader(record, event)

    def project_decided(self, recorded_events, decided_events) -> None:
        """Project events just appended, each with the domain event it was decided as (not read back from its
        payload: a new event's payload is the decided event's own)."""
        from agreements.eventmapper import Stored

        self.project_events([Stored(rec, event) for rec, event in zip(recorded_events, decided_events)])

    def project(self, recorded_events) -> None:
        """Project stored events (as the store returns them): each through the mapper, upcast."""
        from agreements import eventmapper

        self.project_events(eventmapper.stored(recorded_events))

    def project_events(self, stored_events) -> None:
        """Project domain events, each with its store record (position, stream, record time)."""
        touched = {}
        for item in stored_events:
            rec, event = item.record, item.event
            record = self._record(rec.stream_id) if rec.type != "AgreementDrafted" else None
            getattr(self, f"_on_{rec.type}")(rec, event, record)
            record = self._record(rec.stream_id)
            record.version = rec.stream_version
            record.last_position = rec.position
            record.updated_at = rec.recorded_at
            touched[rec.stream_id] = record
        for record in touched.values():
            self._save(record)

    def _record(self, stream_id) -> AgreementRecord:
        if stream_id not in self._records:
            record = self._records[stream_id] = AgreementRecord.objects.get(stream_id=stream_id)
            self._stored_values[stream_id] = self._values(record)
        return self._records[stream_id]

    @staticmethod
    def _values(record) -> dict:
        return {f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields if not f.primary_key}

    def _save(self, record) -> None:
        """The agreement's row: its columns that changed since it was read (a row drafted here: whole)."""
        stored = self._stored_values.get(record.stream_id)
        if stored is None or record.pk is None:
            record.save()
            return
        changed = [name for name, value in self._values(record).items() if stored[name] != value]
        if changed:
            record.save(update_fields=changed)
        self._stored_values[record.stream_id] = self._values(record)

    # ------------------------------------------------------------------ details and publication

    def _on_AgreementDrafted(self, rec, ev: events.AgreementDrafted, _):
        record = rows.agreement_record(rec, ev, self._record_ids.get(rec.stream_id))
        record.save()
        self._records[rec.stream_id] = record
        self._new_details(record, rec)

    def _new_details(self, record, rec):
        AgreementDetailsVersion.objects.filter(agreement=record, known_to__isnull=True).update(known_to=rec.recorded_at)
        rows.details_row(record, rec).save()

    def _set_details(self, record, changes: dict):
        rows.set_details(record, changes)
        self._refresh_dates(record)

    def _on_DetailsEdited(self, rec, ev: events.DetailsEdited, record):
        self._set_details(record, ev.changes)
        self._new_details(record, rec)

    def _set_publication(self, rec, record, state):
        record.publication = state
        self._new_details(record, rec)

    def _on_SubmittedForReview(self, rec, ev, record):
        self._set_publication(rec, record, "in_review")

    def _on_Published(self, rec, ev, record):
        self._set_publication(rec, record, "published")

    def _on_Unpublished(self, rec, ev, record):
        self._set_publication(rec, record, "draft")

    def _on_ReturnedToDraft(self, rec, ev, record):
        self._set_publication(rec, record, "draft")

    # ------------------------------------------------------------------ parties and lifecycle

    def _on_PartyAdded(self, rec, ev: events.PartyAdded, record):
        rows.party_row(record, rec, ev).save()
        self._refresh_participation(record, rec.recorded_at)

    def _on_PartyRemoved(self, rec, ev: events.PartyRemoved, record):
        AgreementParty.objects.filter(agreement=record, party_code=ev.party, known_to__isnull=True).update(
            known_to=rec.recorded_at
        )
        self._refresh_participation(record, rec.recorded_at)

    def _insert_lifecycle(self, record, event_id, ev: events.LifecycleRecorded, known_from):
        rows.lifecycle_row(record, event_id, ev, known_from).save()
        self._refresh_dates(record)
        self._refresh_participation(record, known_from)

    # ------------------------------------------------------------------ participation

    def _refresh_participation(self, record, known_from):
        """Each participant's status periods, derived again (domain/participation.py) from the current actions,
        rule and parties; the periods that changed are closed in record time and the new ones inserted."""
        facts = list(LifecycleFact.objects.filter(agreement=record, known_to__isnull=True).order_by("id"))
        if not facts:  # no action (facts are corrected, never removed): no period, nothing more to read
            return
        rule = EntryIntoForceRuleRow.objects.filter(agreement=record, known_to__isnull=True).values_list(
            "rule", flat=True).first()
        parties = AgreementParty.objects.filter(agreement=record, known_to__isnull=True).order_by("id").values_list(
            "party_code", flat=True)
        current = list(ParticipationPeriod.objects.filter(agreement=record, known_to__isnull=True))
        closing, adding = rows.period_changes(record, current, rows.participation_periods(facts, rule, list(parties)),
                                              known_from)
        if closing:
            ParticipationPeriod.objects.filter(pk__in=[row.pk for row in closing]).update(known_to=known_from)
        ParticipationPeriod.objects.bulk_create(adding)

    def _on_EntryIntoForceRuleSet(self, rec, ev: events.EntryIntoForceRuleSet, record):
        EntryIntoForceRuleRow.objects.filter(agreement=record, known_to__isnull=True).update(known_to=rec.recorded_at)
        rows.rule_row(record, rec, ev).save()
        self._refresh_participation(record, rec.recorded_at)

    def _on_StatementMade(self, rec, ev: events.StatementMade, record):
        rows.statement_row(record, rec, ev, rec.event_id).save()

    def _on_StatementWithdrawn(self, rec, ev: events.StatementWithdrawn, record):
        current = StatementVersion.objects.filter(statement_id=ev.statement_id, known_to__isnull=True,
                                                  valid_to__isnull=True)
        open_rows = list(current)
        current.update(known_to=rec.recorded_at)
        StatementVersion.objects.bulk_create(rows.statement_withdrawn_rows(open_rows, rec, ev, rec.event_id))

    def _correct_statement(self, rec, kind, event_id, fixed, original):
        """A corrected statement (or withdrawal): its versions closed in record time and stated again."""
        now = rec.recorded_at
        if kind == "StatementMade":
            old = list(StatementVersion.objects.filter(event_id=event_id, known_to__isnull=True))
            StatementVersion.objects.filter(pk__in=[r.pk for r in old]).update(known_to=now)
            new = []
            for row in old:
                row.pk, row.known_from, row.known_to, row.position = None, now, None, rec.position
                row.text = fixed.text if row.language == fixed.language else row.text
                row.eids, row.made_at = list(fixed.eids), fixed.made_at or ""
                row.opposes_entry_into_force, row.date = fixed.opposes_entry_into_force, fixed.date
                if row.valid_from == lower_bound(original.date):
                    row.valid_from = lower_bound(fixed.date)
                new.append(row)
            StatementVersion.objects.bulk_create(new)
            return
        current = StatementVersion.objects.filter(statement_id=fixed.statement_id, known_to__isnull=True)
        ended = list(current.filter(ended_by=event_id).order_by("position"))
        current.filter(ended_by=event_id).update(known_to=now)
        current.filter(event_id=event_id).update(known_to=now)
        for row in ended:  # as they stood before the withdrawal
            row.valid_to, row.withdrawn, row.ended_by = None, "", None
        StatementVersion.objects.bulk_create(rows.statement_withdrawn_rows(ended, _Corrected(rec, event_id), fixed,
                                                                           event_id))

    def _on_LifecycleRecorded(self, rec, ev: events.LifecycleRecorded, record):
        self._insert_lifecycle(record, rec.event_id, ev, rec.recorded_at)

    def _refresh_dates(self, record):
        """The summary dates on the agreement row: the earliest lower bound of each kind of fact."""
        if record.pk is None:
            return
        earliest = {
            row["action"]: row["lower"]
            for row in LifecycleFact.objects.filter(agreement=record, known_to__isnull=True)
            .values("action")
            .annotate(lower=Min("date_lower"))
        }
        rows.set_summary_dates(record, earliest)

    # ------------------------------------------------------------------ registration and depositary

    def _on_RegistrationRecorded(self, rec, ev: events.RegistrationRecorded, record):
        rows.registration_row(record, rec.event_id, ev, rec.recorded_at).save()

    def _on_DepositaryNamed(self, rec, ev: events.DepositaryNamed, record):
        rows.depositary_row(record, rec.event_id, ev, rec.recorded_at).save()

    # ------------------------------------------------------------------ clauses

    def _current_rows(self, clause_id):
        return ClauseVersion.objects.filter(clause_id=clause_id, known_to__isnull=True)

    def _state_before(self, clause_id, valid_from) -> ClauseVersion:
        """The clause as currently known just before a change taking effect on `valid_from`."""
        rows = self._current_rows(clause_id)
        before = rows.filter(valid_from__lte=valid_from).order_by("-valid_from", "-known_from").first()
        return before or rows.order_by("valid_from", "-known_from").first()

    def _insert_version(self, row: ClauseVersion):
        row.pk = None
        row.save()
        current = self._current_rows(row.clause_id)
        following = current.filter(valid_from__gt=row.valid_from).aggregate(next=Min("valid_from"))["next"]
        if row.valid_to != following:
            ClauseVersion.objects.filter(pk=row.pk).update(valid_to=following)
        previous = current.filter(valid_from__lt=row.valid_from).aggregate(prev=Max("valid_from"))["prev"]
        if previous is not None:
            current.filter(valid_from=previous).update(valid_to=row.valid_from)

    def _recompute_valid_to(self, clause_id):
        rows = list(self._current_rows(clause_id).order_by("valid_from", "known_from"))
        starts = sorted({r.valid_from for r in rows})
        following = {start: (starts[i + 1] if i + 1 < len(starts) else None) for i, start in enumerate(starts)}
        for row in rows:
            if row.valid_to != following[row.valid_from]:
                ClauseVersion.objects.filter(pk=row.pk).update(valid_to=following[row.valid_from])

    def _clause_added_row(self, record, rec, ev: events.ClauseAdded, event_id, sort_key=None):
        if sort_key is None:
            sort_key = self._place_of(record, ev.eid)
        return rows.clause_added_row(record, rec, ev, event_id, sort_key)

    def _place_of(self, record, eid) -> int:
        """A new clause's place in the document: the place of the clause it is another language of, else after
        every clause so far."""
        sort_key = ClauseVersion.objects.filter(agreement=record, eid=eid).values_list("sort_key", flat=True).first()
        if sort_key is None:
            sort_key = (ClauseVersion.objects.filter(agreement=record).aggregate(m=Max("sort_key"))["m"] or 0) + 1
        return sort_key

    def _read_ClauseAdded(self, record, ev: events.ClauseAdded):
        """Before the append: the clause's place, and its current versions' (pk, valid_from) (none for a clause
        new to its agreement: the usual case)."""
        return self._place_of(record, ev.eid), list(self._current_rows(ev.clause_id).values_list("pk", "valid_from"))

    def _on_ClauseAdded(self, rec, ev: events.ClauseAdded, record):
        read = self._read.pop(str(rec.event_id), None)
        if read is None:
            self._insert_version(self._clause_added_row(record, rec, ev, rec.event_id))
            return
        sort_key, current = read
        row = rows.clause_added_row(record, rec, ev, rec.event_id, sort_key)
        self._insert_version_among(row, current)

    def _insert_version_among(self, row: ClauseVersion, current):
        """`_insert_version` with the clause's current versions ([(pk, valid_from)]) read before: the row's valid_to
        set before its INSERT, the version before it (if any) ended where it starts; no query but the writes."""
        row.valid_to = min((start for _, start in current if start > row.valid_from), default=None)
        row.pk = None
        row.save()
        previous = max((start for _, start in current if start < row.valid_from), default=None)
        if previous is not None:
            ClauseVersion.objects.filter(pk__in=[pk for pk, start in current if start == previous]).update(
                valid_to=row.valid_from)

    def _changed_row(self, rec, ev, event_id, change: str) -> ClauseVersion:
        valid_from = rows.change_valid_from(ev)
        base = self._state_before(ev.clause_id, valid_from or BEGINNING)
        if valid_from is None:  # no date given: the change holds from the latest known version on
            valid_from = self._current_rows(ev.clause_id).aggregate(m=Max("valid_from"))["m"] or BEGINNING
        return rows.changed_row(base, rec, ev, event_id, change, valid_from)

    def _on_ClauseAmended(self, rec, ev: events.ClauseAmended, record):
        self._insert_version(self._changed_row(rec, ev, rec.event_id, "amended"))

    def _on_ClauseRepealed(self, rec, ev: events.ClauseRepealed, record):
        self._insert_version(self._changed_row(rec, ev, rec.event_id, "repealed"))

    def _on_ClauseRenumbered(self, rec, ev: events.ClauseRenumbered, record):
        self._insert_version(self._changed_row(rec, ev, rec.event_id, "renumbered"))
        # Codings follow their clause (by identity): they name it by its current eId.
        ObligationRow.objects.filter(clause_id=ev.clause_id, known_to__isnull=True).update(eid=ev.new_eid)

    # ------------------------------------------------------------------ obligations

    def _on_ObligationCoded(self, rec, ev: events.ObligationCoded, record):
        eid = ClauseVersion.objects.filter(clause_id=ev.clause_id).order_by("-position").values_list("eid", flat=True).first()
        ObligationRow.objects.bulk_create(
            ObligationRow(
                agreement=record, obligation_id=ev.obligation_id, clause_id=ev.clause_id, eid=eid or ev.eid,
                party_code=party, obligation=ev.obligation, modality=ev.modality, conditions=list(ev.conditions),
                towards=list(ev.towards), adversary=ev.adversary, effective=ev.effective or "", until=ev.until or "",
                valid_from=lower_bound(ev.effective), valid_to=lower_bound(ev.until), note=ev.note,
                key=f"{record.slug}/{eid or ev.eid}/{ev.obligation}/{party}/{ev.obligation_id}",
                known_from=rec.recorded_at, event_id=rec.event_id,
            )
            for party in ev.parties
        )

    def _on_ObligationUncoded(self, rec, ev: events.ObligationUncoded, record):
        # By agreement and id: an id names a coding of this agreement only (domain/ownership.py).
        ObligationRow.objects.filter(agreement=record, obligation_id=ev.obligation_id, known_to__isnull=True).update(
            known_to=rec.recorded_at
        )

    # ------------------------------------------------------------------ relations, references, citations

    def _on_RelationAdded(self, rec, ev: events.RelationAdded, record):
        rows.relation_row(record, rec, ev).save()

    def _on_RelationRemoved(self, rec, ev: events.RelationRemoved, record):
        Relation.objects.filter(
            agreement=record, relation=ev.relation, target_slug=ev.target, known_to__isnull=True
        ).update(known_to=rec.recorded_at)

    def _clause_id_for(self, record, eid):
        return (
            ClauseVersion.objects.filter(agreement=record, eid=eid)
            .order_by("-position")
            .values_list("clause_id", flat=True)
            .first()
        )

    def _on_ReferenceAdded(self, rec, ev: events.ReferenceAdded, record):
        rows.reference_row(record, rec, ev, self._clause_id_for(record, ev.eid)).save()

    def _on_ReferenceRemoved(self, rec, ev: events.ReferenceRemoved, record):
        Reference.objects.filter(
            agreement=record, eid=ev.eid, target_slug=ev.target, target_eid=ev.target_eid or "", known_to__isnull=True
        ).update(known_to=rec.recorded_at)

    def _on_CitationAttached(self, rec, ev: events.CitationAttached, record):
        rows.citation_row(record, rec, ev, resolve_source(ev.source)).save()

    def _on_CitationDetached(self, rec, ev: events.CitationDetached, record):
        Citation.objects.filter(agreement=record, citation_id=ev.citation_id, known_to__isnull=True).update(
            known_to=rec.recorded_at
        )

    # ------------------------------------------------------------------ corrections

    def _on_EventCorrected(self, rec, ev: events.EventCorrected, record):
        """Close the rows the original event produced (in record time) and insert the corrected facts."""
        from agreements import eventmapper

        [stored_original] = eventmapper.read_events([ev.event_id])
        original_rec, original = stored_original.record, stored_original.event
        # Earlier corrections of the same event accumulate.
        for earlier in eventmapper.corrections_of(record.stream_id, ev.event_id, before_position=rec.position):
            original = events.corrected(original, earlier)
        fixed = events.corrected(original, ev.corrections)
        now = rec.recorded_at
        kind = original_rec.type
        if kind in ("AgreementDrafted", "DetailsEdited"):
            changes = ev.corrections.get("changes", ev.corrections)
            self._set_details(record, changes)
            self._new_details(record, rec)
        elif kind in ("StatementMade", "StatementWithdrawn"):
            self._correct_statement(rec, kind, ev.event_id, fixed, original)
        elif kind == "LifecycleRecorded":
            LifecycleFact.objects.filter(event_id=ev.event_id, known_to__isnull=True).update(known_to=now)
            self._insert_lifecycle(record, ev.event_id, fixed, now)
        elif kind in ("ClauseAdded", "ClauseAmended", "ClauseRepealed", "ClauseRenumbered"):
            old = ClauseVersion.objects.filter(event_id=ev.event_id, known_to__isnull=True).first()
            ClauseVersion.objects.filter(event_id=ev.event_id, known_to__isnull=True).update(known_to=now)
            if kind == "ClauseAdded":
                row = self._clause_added_row(record, rec, fixed, ev.event_id, sort_key=old.sort_key if old else None)
                self._insert_version(row)
            else:
                handler = {"ClauseAmended": self._on_ClauseAmended, "ClauseRepealed": self._on_ClauseRepealed,
                           "ClauseRenumbered": self._on_ClauseRenumbered}[kind]
                handler(_Corrected(rec, ev.event_id), fixed, record)
            if old is not None and kind in ("ClauseAdded", "ClauseAmended"):
                self._carry_correction(old, ev.event_id, rec)
            self._recompute_valid_to(fixed.clause_id)
        elif kind == "RelationAdded":
            Relation.objects.filter(event_id=ev.event_id, known_to__isnull=True).update(known_to=now)
            self._on_RelationAdded(_Corrected(rec, ev.event_id), fixed, record)
        elif kind == "ReferenceAdded":
            Reference.objects.filter(event_id=ev.event_id, known_to__isnull=True).update(known_to=now)
            self._on_ReferenceAdded(_Corrected(rec, ev.event_id), fixed, record)
        elif kind == "ObligationCoded":
            ObligationRow.objects.filter(event_id=ev.event_id, known_to__isnull=True).update(known_to=now)
            self._on_ObligationCoded(_Corrected(rec, ev.event_id), fixed, record)
        elif kind == "CitationAttached":
            Citation.objects.filter(event_id=ev.event_id, known_to__isnull=True).update(known_to=now)
            self._on_CitationAttached(_Corrected(rec, ev.event_id), fixed, record)
        elif kind in ("RegistrationRecorded", "DepositaryNamed"):
            model = Registration if kind == "RegistrationRecorded" else Depositary
            model.objects.filter(event_id=ev.event_id, known_to__isnull=True).update(known_to=now)
            getattr(self, f"_on_{kind}")(_Corrected(rec, ev.event_id), fixed, record)


    CARRIED = ("text", "text_kind", "heading", "language")  # what a renumbering or repeal copies unchanged

    def _carry_correction(self, old: ClauseVersion, event_id, rec):
        """A renumbering or a repeal copied the clause's text (and kind, heading, language) from the version
        before it: when the event that set them is corrected, the later versions that still hold the copy
        get the corrected values too (closed and re-inserted in record time), up to the next amendment."""
        new = ClauseVersion.objects.filter(event_id=event_id, known_to__isnull=True).first()
        if new is None:
            return
        later = (self._current_rows(new.clause_id).filter(valid_from__gt=new.valid_from)
                 .order_by("valid_from", "position"))
        for row in later:
            if row.change in ("added", "amended"):
                break
            changed = {name: getattr(new, name) for name in self.CARRIED
                       if getattr(row, name) == getattr(old, name) != getattr(new, name)}
            if not changed:
                continue
            ClauseVersion.objects.filter(pk=row.pk).update(known_to=rec.recorded_at)
            for name, value in changed.items():
                setattr(row, name, value)
            row.search_text = rows.clause_search_text(row.heading, row.text)  # as a rebuild would fold it
            row.known_from, row.known_to, row.position = rec.recorded_at, None, rec.position
            row.pk = None
            row.save()


class _Corrected:
    """The correcting event's record time and position, carrying the original event's id."""

    def __init__(self, rec, original_event_id):
        self.recorded_at = rec.recorded_at
        self.position = rec.position
        self.event_id = original_event_id
