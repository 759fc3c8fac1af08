"""The reads validation needs, in batches: the registry as currently known (record time: now).

Checks judge the current state of knowledge, so every read here takes the rows not withdrawn or corrected
(`known_to IS NULL`) and works in valid time only. Each function is a bounded number of queries for a
whole batch of clauses or agreements, so a sweep of the corpus costs a few queries per few hundred clauses.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Min, Q

from agreements.domain.dates import InvalidDate, parse_date
from sources.models import Citation, Source

from .projections.models import AgreementRecord, ClauseVersion, LifecycleFact, Reference, Relation
from .validation.models import Finding

CHUNK = 500


def _chunks(items, size=CHUNK):
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i : i + size]


def bounds(text: str | None) -> tuple[dt.date | None, dt.date | None]:
    """The lower and upper day bounds of an EDTF string (None, None when empty or unreadable)."""
    if not text:
        return None, None
    try:
        parsed = parse_date(text)
    except InvalidDate:
        return None, None
    return parsed.lower, parsed.upper


@dataclass(frozen=True)
class AgreementFacts:
    """When an agreement is known to exist: `earliest` is the earliest lower bound of its dated facts
    (AgreementRecord.earliest_date); `latest_start` the smallest upper bound, so the agreement certainly
    existed by then. Both None when the agreement carries no date at all."""

    id: int
    slug: str
    earliest: dt.date | None
    latest_start: dt.date | None
    label: str


def agreement_facts(slugs) -> dict[str, AgreementFacts]:
    slugs = set(slugs)
    facts = {}
    for chunk in _chunks(slugs):
        records = list(
            AgreementRecord.objects.filter(slug__in=chunk).values("id", "slug", "work_date", "earliest_date")
        )
        uppers = dict(
            LifecycleFact.objects.filter(agreement__slug__in=chunk, known_to__isnull=True, date_upper__isnull=False)
            .values("agreement__slug").annotate(m=Min("date_upper")).values_list("agreement__slug", "m")
        )
        for r in records:
            work_lower, work_upper = bounds(r["work_date"])
            candidates = [d for d in (work_upper, uppers.get(r["slug"])) if d]
            latest = min(candidates) if candidates else None
            label = r["work_date"] or (r["earliest_date"].isoformat() if r["earliest_date"] else "undated")
            facts[r["slug"]] = AgreementFacts(r["id"], r["slug"], r["earliest_date"], latest, label)
    return facts


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
    for chunk in _chunks(clause_ids):
        histories.update(_clause_rows(ClauseVersion.objects.filter(clause_id__in=chunk)))
    return histories


def clause_histories_by_eid(pairs) -> dict[tuple[str, str], list[list[ClauseRow]]]:
    """For each (agreement slug, eid): the histories of the clauses that carry or carried that eid."""
    by_slug = defaultdict(set)
    for slug, eid in pairs:
        by_slug[slug].add(eid)
    found = defaultdict(set)  # (slug, eid) -> clause ids
    for slug, eids in by_slug.items():
        for chunk in _chunks(eids):
            for clause_id, eid in (
                ClauseVersion.objects.filter(agreement__slug=slug, eid__in=chunk, known_to__isnull=True)
                .values_list("clause_id", "eid").distinct()
            ):
                found[(slug, eid)].add(str(clause_id))
    histories = clause_histories({cid for ids in found.values() for cid in ids})
    return {pair: [histories[cid] for cid in sorted(ids) if cid in histories] for pair, ids in found.items()}


@dataclass(frozen=True)
class ReferenceRow:
    clause_id: str
    agreement_id: int
    slug: str
    eid: str
    target_slug: str
    target_eid: str


def references_from(clause_ids) -> list[ReferenceRow]:
    """The current outgoing references of these clauses."""
    rows = []
    for chunk in _chunks(clause_ids):
        rows += [
            ReferenceRow(str(r[0]), *r[1:])
            for r in Reference.objects.filter(clause_id__in=chunk, known_to__isnull=True)
            .values_list("clause_id", "agreement_id", "agreement__slug", "eid", "target_slug", "target_eid")
            .order_by("id")
        ]
    return rows


def referring_clause_ids(target_slug: str, eids=None) -> set[str]:
    """The reverse index: clauses whose current references point at the agreement (at these eIds, if given)."""
    qs = Reference.objects.filter(target_slug=target_slug, known_to__isnull=True)
    if eids is not None:
        qs = qs.filter(target_eid__in=list(eids))
    return {str(cid) for cid in qs.values_list("clause_id", flat=True).distinct() if cid}


def clause_ids_of(slug: str, eids=None) -> set[str]:
    """The clauses of an agreement (those that carry or carried these eIds, if given)."""
    qs = ClauseVersion.objects.filter(agreement__slug=slug, known_to__isnull=True)
    if eids is not None:
        qs = qs.filter(eid__in=list(eids))
    return {str(cid) for cid in qs.values_list("clause_id", flat=True).distinct()}


def clause_ids_with_references(slug: str) -> set[str]:
    """The clauses of an agreement that have current outgoing references."""
    return {
        str(cid) for cid in Reference.objects.filter(agreement__slug=slug, known_to__isnull=True)
        .values_list("clause_id", flat=True).distinct() if cid
    }


def eids_of_clauses(clause_ids) -> set[str]:
    """Every eId these clauses have carried (a renumbered clause answers to its old and new eIds)."""
    eids = set()
    for chunk in _chunks(clause_ids):
        eids |= set(ClauseVersion.objects.filter(clause_id__in=chunk).values_list("eid", flat=True).distinct())
    return eids


def referring_clause_ids_everywhere() -> list[str]:
    """Every clause with at least one current outgoing reference (what a sweep checks), in a stable order."""
    return sorted(
        {str(cid) for cid in Reference.objects.filter(known_to__isnull=True).values_list("clause_id", flat=True) if cid}
    )


def agreement_slugs() -> list[str]:
    return list(AgreementRecord.objects.order_by("slug").values_list("slug", flat=True))


def agreements_changed_since(moment) -> list[str]:
    qs = AgreementRecord.objects.all()
    if moment is not None:
        qs = qs.filter(updated_at__gt=moment)
    return list(qs.order_by("slug").values_list("slug", flat=True))


@dataclass(frozen=True)
class RelationRow:
    slug: str
    agreement_id: int
    relation: str
    target_slug: str


def relations_from(slugs=None) -> list[RelationRow]:
    """Current relations (all of them when `slugs` is None)."""
    qs = Relation.objects.filter(known_to__isnull=True)
    if slugs is not None:
        qs = qs.filter(agreement__slug__in=list(slugs))
    return [
        RelationRow(*r)
        for r in qs.values_list("agreement__slug", "agreement_id", "relation", "target_slug").order_by("id")
    ]


def agreements_relating_to(slug: str) -> set[str]:
    return set(
        Relation.objects.filter(target_slug=slug, known_to__isnull=True).values_list("agreement__slug", flat=True)
    )


@dataclass(frozen=True)
class LifecycleRow:
    event_id: str
    slug: str
    agreement_id: int
    action: str
    party: str | None
    date: str
    lower: dt.date | None
    upper: dt.date | None


def lifecycle_of(slugs) -> dict[str, list[LifecycleRow]]:
    facts = defaultdict(list)
    for chunk in _chunks(set(slugs)):
        for r in (
            LifecycleFact.objects.filter(agreement__slug__in=chunk, known_to__isnull=True)
            .values_list("event_id", "agreement__slug", "agreement_id", "action", "party_code", "date",
                         "date_lower", "date_upper")
            .order_by("date_lower", "id")
        ):
            facts[r[1]].append(LifecycleRow(str(r[0]), *r[1:]))
    return facts


def agreement_ids(slugs) -> dict[str, int]:
    ids = {}
    for chunk in _chunks(set(slugs)):
        ids.update(dict(AgreementRecord.objects.filter(slug__in=chunk).values_list("slug", "id")))
    return ids


def current_citations(slugs=None, source_id=None) -> list[Citation]:
    """Current citations with their sources (`source.snapshot_text` included), by agreement or by source."""
    qs = Citation.objects.filter(known_to__isnull=True).select_related("source", "agreement")
    if source_id is not None:
        qs = qs.filter(source_id=source_id)
    if slugs is None:
        return list(qs.order_by("id"))
    result = []
    for chunk in _chunks(set(slugs)):
        result += list(qs.filter(agreement__slug__in=chunk).order_by("id"))
    return result


def sources(source_ids=None) -> list[Source]:
    qs = Source.objects.all().order_by("id")
    if source_ids is not None:
        qs = qs.filter(id__in=list(source_ids))
    return list(qs)


def open_finding_scopes(prefix: str, agreement_slugs=None) -> set[str]:
    """Scopes of a family (by prefix) that still have open findings: a run re-covers them so that a
    finding whose subject has gone (a removed reference, a detached citation) gets resolved."""
    qs = Finding.objects.filter(resolved_at__isnull=True, scope__startswith=prefix)
    if agreement_slugs is not None:
        qs = qs.filter(Q(agreement__slug__in=list(agreement_slugs)))
    return set(qs.values_list("scope", flat=True).distinct())


def open_findings_in(scopes) -> list[tuple[int, str, str]]:
    """(id, key, scope) of the open findings in these scopes."""
    rows = []
    for chunk in _chunks(set(scopes)):
        rows += list(
            Finding.objects.filter(scope__in=chunk, resolved_at__isnull=True).values_list("id", "key", "scope")
        )
    return rows


def last_sweep_started():
    from .validation.models import ValidationRun

    return (
        ValidationRun.objects.filter(task="pacta.validation.sweep", finished_at__isnull=False)
        .order_by("-started_at").values_list("started_at", flat=True).first()
    )
