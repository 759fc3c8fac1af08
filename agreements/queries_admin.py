"""Reads the archivists' admin needs beyond queries.py: the editable state, history, changelist status.

Reads only (projections and the event store through queries.events_of); the admin writes through services.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from agreements.domain.status import status_on

from . import queries
from .projections.models import AgreementParty, AgreementRecord, ClauseVersion, Reference, Relation

# "As of the end of time": the latest version of every clause, whatever its effective date.
END_OF_TIME = dt.date(9999, 12, 31)


@dataclasses.dataclass
class EditableState:
    """The agreement as an archivist edits it: every clause's latest version, including repealed ones."""

    view: queries.AgreementView
    clauses: list[queries.ClauseEntry]
    references: list[Reference]

    @property
    def version(self):
        return self.view.version


def editable_state(slug: str) -> EditableState:
    at = queries.TimePoint.of(as_of=END_OF_TIME)
    view = queries.agreement_at(slug, at, include_unpublished=True)
    clauses = queries.clauses_at(view.record, at, include_repealed=True)
    references = list(
        Reference.objects.filter(agreement=view.record).filter(at.known()).order_by("eid", "target_slug", "target_eid")
    )
    return EditableState(view=view, clauses=clauses, references=references)


def events_after(slug: str, version: int) -> list["HistoryEntry"]:
    """The events appended after `version` (what someone else saved meanwhile), with their text diffs."""
    return [entry for entry in history(slug) if entry.event.stream_version > version]


@dataclasses.dataclass
class HistoryEntry:
    event: object  # StoredEvent
    payload: dict  # as currently corrected
    previous_text: str | None  # the clause's text before this event (amendments and corrections of text)
    corrected_by: list  # StoredEvent rows of EventCorrected that changed this event

    @property
    def event_id(self):
        return str(self.event.event_id)


def history(slug: str) -> list[HistoryEntry]:
    """Every event of the agreement in stream order, with each payload as currently corrected and, for clause
    text changes, the text it replaced (so the page can show a word-level diff)."""
    rows = list(queries.events_of(slug, include_unpublished=True))
    entries: dict[str, HistoryEntry] = {}
    texts: dict[str, str] = {}  # clause_id -> latest text in stream order
    ordered = []
    for row in rows:
        payload = dict(row.payload)
        previous = None
        if row.type == "ClauseAdded":
            texts[payload["clause_id"]] = payload.get("text", "")
        elif row.type == "ClauseAmended":
            previous = texts.get(payload["clause_id"], "")
            texts[payload["clause_id"]] = payload.get("text", "")
        elif row.type == "EventCorrected":
            original = entries.get(payload.get("event_id"))
            if original is not None:
                corrections = payload.get("corrections", {})
                if "text" in corrections:
                    previous = original.payload.get("text", "")
                    clause_id = original.payload.get("clause_id")
                    if texts.get(clause_id) == previous:  # it corrected the clause's latest text
                        texts[clause_id] = corrections["text"]
                original.payload = {**original.payload, **corrections}
                original.corrected_by.append(row)
        entry = HistoryEntry(event=row, payload=payload, previous_text=previous, corrected_by=[])
        entries[str(row.event_id)] = entry
        ordered.append(entry)
    return ordered


def event_as_corrected(slug: str, event_id: str) -> HistoryEntry | None:
    for entry in history(slug):
        if entry.event_id == str(event_id):
            return entry
    return None


# ---------------------------------------------------------------- changelist: status and filters


def superseded_slugs() -> set[str]:
    return set(
        Relation.objects.filter(relation="supersedes", known_to__isnull=True).values_list("target_slug", flat=True)
    )


def with_superseded(qs: QuerySet) -> QuerySet:
    """Annotate `is_superseded` (another agreement currently supersedes it) for the changelist's status column."""
    return qs.annotate(is_superseded=Exists(
        Relation.objects.filter(relation="supersedes", target_slug=OuterRef("slug"), known_to__isnull=True)
    ))


def record_status(record: AgreementRecord, superseded: set[str] | None = None, on: dt.date | None = None) -> str:
    """The agreement's status today from the projection's date columns (no per-row history read)."""
    on = on or timezone.localdate()
    facts = [
        ("signature", record.signed_lower),
        ("entry_into_force", record.in_force_lower),
        ("suspension", record.suspended_lower),
        ("termination", record.terminated_lower),
    ]
    if hasattr(record, "is_superseded"):
        is_superseded = record.is_superseded
    else:
        is_superseded = record.slug in (superseded_slugs() if superseded is None else superseded)
    return status_on(facts, on, is_superseded)


def filter_by_status(qs: QuerySet, status: str, on: dt.date | None = None) -> QuerySet:
    on = on or timezone.localdate()
    superseded = Q(slug__in=list(superseded_slugs()))
    terminated = Q(terminated_lower__lte=on)
    suspended = Q(suspended_lower__lte=on)
    in_force = Q(in_force_lower__lte=on)
    signed = Q(signed_lower__lte=on)
    if status == "terminated":
        return qs.filter(terminated)
    if status == "superseded":
        return qs.filter(superseded).exclude(terminated)
    if status == "suspended":
        return qs.filter(suspended).exclude(terminated | superseded)
    if status == "in_force":
        return qs.filter(in_force).exclude(terminated | superseded | suspended)
    if status == "signed":
        return qs.filter(signed).exclude(terminated | superseded | suspended | in_force)
    if status == "draft":
        return qs.exclude(terminated | superseded | suspended | in_force | signed)
    return qs


def parties_in_use() -> list[tuple[str, str]]:
    from .models import Party

    codes = sorted(set(
        AgreementParty.objects.filter(known_to__isnull=True).values_list("party_code", flat=True)
    ))
    names = dict(Party.objects.filter(code__in=codes).values_list("code", "name"))
    return [(code, f"{names.get(code, code)} ({code})") for code in codes]


def with_party(qs: QuerySet, code: str) -> QuerySet:
    ids = AgreementParty.objects.filter(party_code=code, known_to__isnull=True).values("agreement_id")
    return qs.filter(pk__in=ids)


def clause_count(record: AgreementRecord) -> int:
    return ClauseVersion.objects.filter(agreement=record, known_to__isnull=True).values("clause_id").distinct().count()


# ---------------------------------------------------------------------------------------------- autocomplete

AUTOCOMPLETE_LIMIT = 20


def party_choices(term: str) -> list[tuple[str, str]]:
    """(code, "CODE — name") of parties whose code or any name contains `term`."""
    from .parties.models import Party

    qs = Party.objects.all()
    if term:
        qs = qs.filter(Q(code__icontains=term) | Q(name__icontains=term) | Q(names__name__icontains=term))
    return [(code, f"{code} — {name}") for code, name in qs.distinct().order_by("code").values_list("code", "name")[:AUTOCOMPLETE_LIMIT]]


def agreement_choices(term: str) -> list[tuple[str, str]]:
    """(slug, "title (slug)") of agreements (drafts too: archivists relate drafts) matching `term`."""
    qs = AgreementRecord.objects.all()
    if term:
        qs = qs.filter(Q(slug__icontains=term) | Q(title__icontains=term))
    return [(slug, f"{title} ({slug})") for slug, title in qs.order_by("slug").values_list("slug", "title")[:AUTOCOMPLETE_LIMIT]]


def returned_note(slug: str) -> str:
    """The reviewer's comment when the agreement was last returned to draft, while it still is a draft."""
    from registry.eventstore.models import StoredEvent

    last = (
        StoredEvent.objects.filter(stream_id=f"agreement:{slug}",
                                   type__in=("ReturnedToDraft", "SubmittedForReview", "Published", "Unpublished"))
        .order_by("-stream_version").values_list("type", "payload").first()
    )
    return last[1].get("note", "") if last and last[0] == "ReturnedToDraft" else ""


def citations_by_id(citation_ids) -> dict:
    """Current citations by id (for naming finding subjects): one query."""
    from sources.models import Citation

    ids = [str(i) for i in citation_ids]
    rows = Citation.objects.filter(citation_id__in=ids, known_to__isnull=True).select_related("source")
    return {str(c.citation_id): c for c in rows}
