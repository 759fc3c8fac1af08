"""Clauses and their versions: as of a moment (one index range scan per clause), and in batches of
current knowledge for validation."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber

from agreements.projections.models import AgreementRecord, ClauseVersion, Reference
from agreements.projections.models import Citation

from . import NotFound
from .batching import chunks
from .time import TimePoint
from .visibility import get_record, redact_clause


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


def _entry(row: ClauseVersion) -> ClauseEntry:
    return ClauseEntry(
        clause_id=str(row.clause_id), eid=row.eid, number=row.number, heading=row.heading, text=row.text,
        text_kind=row.text_kind, language=row.language, parent=row.parent_eid, repealed=row.repealed,
        change=row.change, effective=row.effective, valid_from=row.valid_from, valid_to=row.valid_to,
        known_from=row.known_from, amended_by=row.amended_by, event_id=str(row.event_id),
    )


def languages_in(entries: list[ClauseEntry]) -> list[str]:
    """The languages the clauses are in, the agreement's first language first (the one most clauses have)."""
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.language] = counts.get(entry.language, 0) + 1
    return sorted(counts, key=lambda lang: -counts[lang])  # stable: ties keep document order


def in_language(entries: list[ClauseEntry], language: str | None = None) -> list[ClauseEntry]:
    """One entry per clause: its text in `language` where it has one, else in the agreement's first language,
    else the one it has. A clause in several authentic languages has one version history per language."""
    languages = languages_in(entries)
    wanted = [language] if language else []
    preference = {lang: rank for rank, lang in enumerate(wanted + [lang for lang in languages if lang not in wanted])}
    chosen: dict[str, ClauseEntry] = {}
    for entry in entries:
        best = chosen.get(entry.eid)
        if best is None or preference[entry.language] < preference[best.language]:
            chosen[entry.eid] = entry
    return [entry for entry in entries if chosen.get(entry.eid) is entry]


def all_language_clauses_at(record: AgreementRecord, at: TimePoint, include_repealed: bool = False) -> list[ClauseEntry]:
    """Every clause in every language as it stood on `at.as_of`, as recorded by `at.known_at`: one query."""
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


def clauses_at(record: AgreementRecord, at: TimePoint, include_repealed: bool = False,
               language: str | None = None) -> list[ClauseEntry]:
    """Every clause of the agreement as it stood on `at.as_of`, one per eId, in `language` where it has it."""
    return in_language(all_language_clauses_at(record, at, include_repealed), language)


def clause_version_at(clause_id, at: TimePoint) -> ClauseEntry | None:
    """One clause as of a date and a record time: the first row of one index range scan."""
    row = (
        ClauseVersion.objects.filter(clause_id=clause_id, valid_from__lte=at.as_of)
        .filter(at.known())
        .order_by("-valid_from", "-known_from", "-position")
        .first()
    )
    return _entry(row) if row else None


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
    language: str = ""
    languages: list[str] = field(default_factory=list)  # the authentic languages the clause has


def _language_versions(record, eid, at) -> dict[str, str]:
    """language -> clause id of a clause's versions, the language it was first added in first."""
    rows = (ClauseVersion.objects.filter(agreement=record, eid=eid).filter(at.known())
            .order_by("position").values_list("language", "clause_id"))
    found: dict[str, str] = {}
    for language, clause_id in rows:
        if clause_id not in found.values():
            found.setdefault(language, clause_id)
    return found


def clause_at(slug: str, eid: str, at: TimePoint | None = None, include_unpublished: bool = False,
              language: str | None = None) -> ClauseView:
    at = at or TimePoint.of()
    record = get_record(slug, include_unpublished)
    by_language = _language_versions(record, eid, at)
    if not by_language:
        raise NotFound(f"'{slug}' has no clause '{eid}'.")
    chosen = language if language in by_language else next(iter(by_language))
    clause_id = by_language[chosen]
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
        Citation.objects.filter(agreement=record, supports__in=eids, source__isnull=False).filter(at.known()).select_related("source")
    )
    view = ClauseView(record, at, str(clause_id), current.eid if current else eid, current, versions,
                      references_out, references_in, citations, chosen, list(by_language))
    return redact_clause(view, include_unpublished)


def clause_detail(slug: str, eid: str, at: TimePoint, include_unpublished: bool = False, language: str | None = None):
    """The clause as this reader may see it, with its open findings for staff (none for the public)."""
    from .findings import clause_findings

    view = clause_at(slug, eid, at, include_unpublished, language)
    view.findings = clause_findings(slug, {v.eid for v in view.versions} or {eid}) if include_unpublished else []
    return view


@dataclass(frozen=True)
class ClauseRow:
    """One version of a clause in valid time (as currently known)."""

    clause_id: str
    agreement_id: int
    slug: str
    eid: str
    change: str
    repealed: bool
    effective: str
    valid_from: dt.date
    valid_to: dt.date | None
    position: int


def _clause_rows(qs) -> dict[str, list[ClauseRow]]:
    rows = defaultdict(list)
    for r in qs.filter(known_to__isnull=True).values_list(
        "clause_id", "agreement_id", "agreement__slug", "eid", "change", "repealed", "effective", "valid_from",
        "valid_to", "position",
    ).order_by("clause_id", "valid_from", "position"):
        row = ClauseRow(str(r[0]), *r[1:])
        rows[row.clause_id].append(row)
    return rows


def clause_histories(clause_ids) -> dict[str, list[ClauseRow]]:
    """Every current version of each clause, in valid-time order."""
    histories = {}
    for chunk in chunks(clause_ids):
        histories.update(_clause_rows(ClauseVersion.objects.filter(clause_id__in=chunk)))
    return histories


def clause_histories_by_eid(pairs) -> dict[tuple[str, str], list[list[ClauseRow]]]:
    """For each (agreement slug, eid): the histories of the clauses that carry or carried that eid."""
    by_slug = defaultdict(set)
    for slug, eid in pairs:
        by_slug[slug].add(eid)
    found = defaultdict(set)  # (slug, eid) -> clause ids
    for slug, eids in by_slug.items():
        for chunk in chunks(eids):
            for clause_id, eid in (
                ClauseVersion.objects.filter(agreement__slug=slug, eid__in=chunk, known_to__isnull=True)
                .values_list("clause_id", "eid").distinct()
            ):
                found[(slug, eid)].add(str(clause_id))
    histories = clause_histories({cid for ids in found.values() for cid in ids})
    return {pair: [histories[cid] for cid in sorted(ids) if cid in histories] for pair, ids in found.items()}


def clause_ids_of(slug: str, eids=None) -> set[str]:
    """The clauses of an agreement (those that carry or carried these eIds, if given)."""
    qs = ClauseVersion.objects.filter(agreement__slug=slug, known_to__isnull=True)
    if eids is not None:
        qs = qs.filter(eid__in=list(eids))
    return {str(cid) for cid in qs.values_list("clause_id", flat=True).distinct()}


def eids_of_clauses(clause_ids) -> set[str]:
    """Every eId these clauses have carried (a renumbered clause answers to its old and new eIds)."""
    eids = set()
    for chunk in chunks(clause_ids):
        eids |= set(ClauseVersion.objects.filter(clause_id__in=chunk).values_list("eid", flat=True).distinct())
    return eids


def clauses_on(slug: str, as_of: dt.date, language: str | None = None) -> dict[str, ClauseEntry]:
    """The clauses in force on a date as recorded now, by eId, in `language` where they have it (for importers
    comparing an expression)."""
    record = get_record(slug, include_unpublished=True)
    return {c.eid: c for c in clauses_at(record, TimePoint.of(as_of), language=language)}


def eids_ever_used(slug: str) -> set[str]:
    return set(ClauseVersion.objects.filter(agreement__slug=slug).values_list("eid", flat=True))
