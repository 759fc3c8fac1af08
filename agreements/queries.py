"""Every read of agreements, with `as_of` (valid date) and `known_at` (record time). Default: today, now.

The admin, the API and the browser read through these functions only. Each read is a bounded number of
queries whatever the number of clauses, and an as-of clause read is one index range scan per clause.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from agreements.domain.status import status_on
from registry.eventstore.models import StoredEvent
from sources.models import Citation

from .models import Party
from .projections.models import (
    AgreementDetailsVersion,
    AgreementParty,
    AgreementRecord,
    ClauseVersion,
    LifecycleFact,
    Reference,
    Relation,
)


class NotFound(Exception):
    pass


@dataclass(frozen=True)
class TimePoint:
    as_of: dt.date
    known_at: dt.datetime

    @classmethod
    def of(cls, as_of: dt.date | None = None, known_at: dt.datetime | None = None) -> "TimePoint":
        return cls(as_of or timezone.localdate(), known_at or timezone.now())

    def known(self, prefix: str = "") -> Q:
        """Rows asserted by `known_at` and not withdrawn by then."""
        return Q(**{f"{prefix}known_from__lte": self.known_at}) & (
            Q(**{f"{prefix}known_to__isnull": True}) | Q(**{f"{prefix}known_to__gt": self.known_at})
        )


@dataclass
class LifecycleEntry:
    action: str
    date: str
    party: str | None
    event_id: str


@dataclass
class PartyEntry:
    code: str
    name: str
    role: str
    lifecycle: list[LifecycleEntry] = field(default_factory=list)


@dataclass
class ClauseEntry:
    clause_id: str
    eid: str
    number: str
    heading: str
    text: str
    text_kind: str
    language: str
    parent: str
    repealed: bool
    change: str
    effective: str
    valid_from: dt.date
    valid_to: dt.date | None
    known_from: dt.datetime
    amended_by: str
    event_id: str


@dataclass
class AgreementView:
    record: AgreementRecord
    at: TimePoint
    title: str
    titles: dict
    kind: str
    summary: str
    place: str
    work_date: str
    publication: str
    version: int
    status: str
    existed: bool
    parties: list[PartyEntry]
    lifecycle: list[LifecycleEntry]
    clauses: list[ClauseEntry]
    relations_out: list[Relation]
    relations_in: list[Relation]
    citations: list[Citation]

    @property
    def slug(self):
        return self.record.slug

    @property
    def work_uri(self):
        return self.record.work_uri


def visible_agreements(include_unpublished: bool = False):
    qs = AgreementRecord.objects.all()
    return qs if include_unpublished else qs.filter(publication="published")


def get_record(slug: str, include_unpublished: bool = False) -> AgreementRecord:
    try:
        return visible_agreements(include_unpublished).get(slug=slug)
    except AgreementRecord.DoesNotExist:
        raise NotFound(f"No agreement '{slug}'.") from None


def _entry(row: ClauseVersion) -> ClauseEntry:
    return ClauseEntry(
        clause_id=str(row.clause_id), eid=row.eid, number=row.number, heading=row.heading, text=row.text,
        text_kind=row.text_kind, language=row.language, parent=row.parent_eid, repealed=row.repealed,
        change=row.change, effective=row.effective, valid_from=row.valid_from, valid_to=row.valid_to,
        known_from=row.known_from, amended_by=row.amended_by, event_id=str(row.event_id),
    )


def clauses_at(record: AgreementRecord, at: TimePoint, include_repealed: bool = False) -> list[ClauseEntry]:
    """Every clause of the agreement as it stood on `at.as_of`, as recorded by `at.known_at`: one query."""
    rows = (
        ClauseVersion.objects.filter(agreement=record, valid_from__lte=at.as_of)
        .filter(at.known())
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("clause_id")],
                order_by=[F("valid_from").desc(), F("known_from").desc(), F("position").desc()],
            )
        )
        .filter(rank=1)
        .order_by("sort_key")
    )
    return [_entry(row) for row in rows if include_repealed or not row.repealed]


def clause_version_at(clause_id, at: TimePoint) -> ClauseEntry | None:
    """One clause as of a date and a record time: the first row of one index range scan."""
    row = (
        ClauseVersion.objects.filter(clause_id=clause_id, valid_from__lte=at.as_of)
        .filter(at.known())
        .order_by("-valid_from", "-known_from", "-position")
        .first()
    )
    return _entry(row) if row else None


def _details_at(record, at: TimePoint):
    return (
        AgreementDetailsVersion.objects.filter(agreement=record)
        .filter(at.known())
        .order_by("-known_from", "-position")
        .first()
    )


def lifecycle_at(record, at: TimePoint) -> tuple[list[LifecycleEntry], list[LifecycleFact]]:
    rows = LifecycleFact.objects.filter(agreement=record).filter(at.known()).order_by("date_lower", "action")
    rows = list(rows)
    return [LifecycleEntry(r.action, r.date, r.party_code, str(r.event_id)) for r in rows], rows


def agreement_at(slug: str, at: TimePoint | None = None, include_unpublished: bool = False) -> AgreementView:
    at = at or TimePoint.of()
    record = get_record(slug, include_unpublished)
    if record.created_at > at.known_at:
        raise NotFound(f"The registry did not know '{slug}' yet at {at.known_at.isoformat()}.")
    details = _details_at(record, at)
    lifecycle, lifecycle_rows = lifecycle_at(record, at)
    party_rows = list(AgreementParty.objects.filter(agreement=record).filter(at.known()).order_by("id"))
    names = dict(Party.objects.filter(code__in=[p.party_code for p in party_rows]).values_list("code", "name"))
    parties = [
        PartyEntry(p.party_code, names.get(p.party_code, p.party_code), p.role,
                   [f for f in lifecycle if f.party == p.party_code])
        for p in party_rows
    ]
    relations_out = list(Relation.objects.filter(agreement=record).filter(at.known()).order_by("relation", "target_slug"))
    relations_in = list(
        Relation.objects.filter(target_slug=record.slug).filter(at.known()).select_related("agreement")
        .order_by("relation", "agreement__slug")
    )
    superseded = any(r.relation == "supersedes" for r in relations_in)
    status = status_on([(r.action, r.date_lower) for r in lifecycle_rows], at.as_of, superseded)
    existed = record.earliest_date is None or record.earliest_date <= at.as_of
    citations = list(
        Citation.objects.filter(agreement=record).filter(at.known()).select_related("source").order_by("id")
    )
    version = (
        StoredEvent.objects.filter(stream_id=record.stream_id, recorded_at__lte=at.known_at)
        .order_by("-stream_version").values_list("stream_version", flat=True).first()
    ) if at.known_at < record.updated_at else record.version
    return AgreementView(
        record=record, at=at, title=details.title, titles=details.titles, kind=details.kind,
        summary=details.summary, place=details.place, work_date=details.work_date,
        publication=details.publication, version=version, status=status, existed=existed,
        parties=parties, lifecycle=lifecycle, clauses=clauses_at(record, at) if existed else [],
        relations_out=relations_out, relations_in=relations_in, citations=citations,
    )


@dataclass
class ClauseView:
    agreement: AgreementRecord
    at: TimePoint
    clause_id: str
    eid: str
    current: ClauseEntry | None  # None: the clause did not exist yet on as_of
    versions: list[ClauseEntry]
    references_out: list[Reference]
    references_in: list[Reference]
    citations: list[Citation]


def clause_at(slug: str, eid: str, at: TimePoint | None = None, include_unpublished: bool = False) -> ClauseView:
    at = at or TimePoint.of()
    record = get_record(slug, include_unpublished)
    clause_id = (
        ClauseVersion.objects.filter(agreement=record, eid=eid).filter(at.known())
        .order_by("-valid_from", "-position").values_list("clause_id", flat=True).first()
    )
    if clause_id is None:
        raise NotFound(f"'{slug}' has no clause '{eid}'.")
    versions = [
        _entry(r)
        for r in ClauseVersion.objects.filter(clause_id=clause_id).filter(at.known()).order_by("valid_from", "known_from")
    ]
    current = clause_version_at(clause_id, at)
    eids = {v.eid for v in versions}
    references_out = list(
        Reference.objects.filter(agreement=record, clause_id=clause_id).filter(at.known()).order_by("target_slug", "target_eid")
    )
    references_in = list(
        Reference.objects.filter(target_slug=slug)
        .filter(Q(target_eid__in=eids))
        .filter(at.known())
        .select_related("agreement")
        .order_by("agreement__slug", "eid")
    )
    citations = list(
        Citation.objects.filter(agreement=record, supports__in=eids).filter(at.known()).select_related("source")
    )
    return ClauseView(record, at, str(clause_id), current.eid if current else eid, current, versions,
                      references_out, references_in, citations)


def events_of(slug: str, include_unpublished: bool = False):
    record = get_record(slug, include_unpublished)
    return StoredEvent.objects.filter(stream_id=record.stream_id).order_by("stream_version")


def event_feed(after: int = 0, limit: int = 100, include_unpublished: bool = False):
    if not include_unpublished:
        from .queries_published_events import published_events

        return published_events(after, limit)
    return StoredEvent.objects.filter(position__gt=after).order_by("position")[:limit]


def open_findings(slug: str | None = None, eid: str | None = None):
    from .validation.models import Finding

    qs = Finding.objects.filter(resolved_at__isnull=True).select_related("agreement", "source")
    if slug is not None:
        qs = qs.filter(agreement__slug=slug)
    if eid is not None:
        qs = qs.filter(subject=eid)
    return qs.order_by("severity", "code")
