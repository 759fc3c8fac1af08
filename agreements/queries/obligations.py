"""Reads of coded obligations: one row per agreement, party and obligation, with the dates that place it in
valid time (the coding's own and the party's lifecycle) and the sources that support it.

The API lists these rows page by page and the dataset export (CSV, Parquet) writes all of them: both build
each row with `obligation_entries`, so the two give the same rows. Bounded queries whatever the page size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from agreements.projections.models import Citation

from agreements.domain import obligations
from agreements.projections.models import LifecycleFact, ObligationRow

from .time import TimePoint
from .visibility import visible_agreements

WITHDRAWAL_ACTIONS = ("withdrawal", "denunciation")
CONSENT_ACTIONS = ("ratification", "approval", "accession")


@dataclass
class ObligationEntry:
    obligation_id: str
    agreement: str
    agreement_title: str
    work_uri: str
    eid: str
    party: str
    obligation: str
    modality: str
    conditions: list[str]
    towards: list[str]
    adversary: str
    effective: str
    until: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    signature: str
    consent: str
    entry_into_force: str
    withdrawal: str
    termination: str
    note: str
    sources: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)


def obligation_rows(
    include_unpublished: bool = False,
    at: TimePoint | None = None,
    valid_on: dt.date | None = None,
    agreement: str | None = None,
    party: str | None = None,
    obligation: str | None = None,
    modality: str | None = None,
):
    """The rows as recorded at `at.known_at` (default now); with `valid_on`, only those in effect that day."""
    at = at or TimePoint.of()
    qs = ObligationRow.objects.filter(agreement__in=visible_agreements(include_unpublished)).filter(at.known())
    if valid_on is not None:
        qs = qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=valid_on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=valid_on)
        )
    filters = {"agreement__slug": agreement, "party_code": party, "obligation": obligation, "modality": modality}
    return qs.filter(**{k: v for k, v in filters.items() if v}).select_related("agreement").order_by("key", "id")


def _first(facts, actions, party):
    """The party's own fact of these kinds, else the agreement-wide one (as UNTC reads a table)."""
    for who in (party, None):
        dates = [f.date for f in facts if f.action in actions and f.party_code == who]
        if dates:
            return dates[0]
    return ""


def obligation_entries(rows, at: TimePoint | None = None) -> list[ObligationEntry]:
    """Rows with their lifecycle dates and citations: two more queries, whatever the number of rows."""
    at = at or TimePoint.of()
    rows = list(rows)
    agreement_ids = {r.agreement_id for r in rows}
    facts: dict[int, list[LifecycleFact]] = {}
    for fact in LifecycleFact.objects.filter(agreement_id__in=agreement_ids).filter(at.known()).order_by("date_lower", "id"):
        facts.setdefault(fact.agreement_id, []).append(fact)
    cited: dict[str, list[Citation]] = {}
    subjects = {f"obligation:{r.obligation_id}" for r in rows}
    for citation in (
        Citation.objects.filter(agreement_id__in=agreement_ids, supports__in=subjects).filter(at.known())
        .select_related("source").order_by("id")
    ):
        cited.setdefault(citation.supports, []).append(citation)
    entries = []
    for r in rows:
        own = facts.get(r.agreement_id, [])
        citations = cited.get(f"obligation:{r.obligation_id}", [])
        entries.append(ObligationEntry(
            obligation_id=str(r.obligation_id), agreement=r.agreement.slug, agreement_title=r.agreement.title,
            work_uri=r.agreement.work_uri, eid=r.eid, party=r.party_code, obligation=r.obligation,
            modality=r.modality, conditions=list(r.conditions), towards=list(r.towards), adversary=r.adversary,
            effective=r.effective, until=r.until, valid_from=r.valid_from, valid_to=r.valid_to,
            signature=_first(own, ("signature",), r.party_code), consent=_first(own, CONSENT_ACTIONS, r.party_code),
            entry_into_force=_first(own, ("entry_into_force",), r.party_code),
            withdrawal=_first(own, WITHDRAWAL_ACTIONS, r.party_code), termination=_first(own, ("termination",), None),
            note=r.note, sources=sorted({c.source.key for c in citations}), citations=citations,
        ))
    return entries


def obligations_of(record, at: TimePoint) -> dict[str, list[ObligationRow]]:
    """An agreement's codings by eId as recorded at `at.known_at`, one entry per coding (parties merged)."""
    by_eid: dict[str, list] = {}
    seen = {}
    for row in ObligationRow.objects.filter(agreement=record).filter(at.known()).order_by("key", "id"):
        if row.obligation_id in seen:
            seen[row.obligation_id].parties.append(row.party_code)
            continue
        row.parties = [row.party_code]
        row.obligation_label = obligations.label(row.obligation)
        row.conditions_label = ", ".join(obligations.label(c).lower() for c in row.conditions)
        seen[row.obligation_id] = row
        by_eid.setdefault(row.eid, []).append(row)
    return by_eid


def current_codings(record) -> list[ObligationRow]:
    """The agreement's codings as now recorded, one per coding (its parties merged), in clause order."""
    return [row for rows in obligations_of(record, TimePoint.of()).values() for row in rows]
