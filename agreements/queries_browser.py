"""Reads for the public clause browser: listings, the timeline, party profiles, search, recent changes.

Like `queries.py`, every function here reads the projections and returns plain data, and each one is a
fixed number of queries whatever the size of the corpus. Only published agreements are ever returned.
Single-agreement and single-clause reads (with `as_of` / `known_at`) stay in `queries.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q

from agreements.domain.dates import InvalidDate, parse_date
from registry.eventstore.models import StoredEvent
from sources.models import Citation

from .models import Party, PartyName
from .projections.models import AgreementParty, AgreementRecord, ClauseVersion, LifecycleFact, Reference

PUBLISHED = "published"
# Search configuration: the GIN index of migration 0005 is built on exactly this document.
SEARCH_CONFIG = "english"
SEARCH_FIELDS = ("heading", "text")
# Private-use characters mark highlighted hits in PostgreSQL's headline; the text is split on them and
# every piece escaped when rendered, so no markup from the database ever reaches the page.
HIT_START, HIT_STOP = "\ue000", "\ue001"


def published_records():
    return AgreementRecord.objects.filter(publication=PUBLISHED).order_by("earliest_date", "slug")


def published_record(slug: str) -> AgreementRecord | None:
    return published_records().filter(slug=slug).first()


def records_by_slug(slugs) -> dict[str, AgreementRecord]:
    """The published agreements among `slugs` (one query); unpublished targets are left out."""
    slugs = {s for s in slugs if s}
    if not slugs:
        return {}
    return {r.slug: r for r in published_records().filter(slug__in=slugs)}


# ---------------------------------------------------------------------------------------------- listings


def agreements_by_kind() -> list[tuple[str, list[AgreementRecord]]]:
    groups: dict[str, list[AgreementRecord]] = {}
    for record in published_records():
        groups.setdefault(record.kind, []).append(record)
    return sorted(groups.items())


def agreements_by_party() -> list[tuple[Party, list[tuple[AgreementRecord, str]]]]:
    """Each party to a published agreement, with those agreements and its role in each (two queries)."""
    rows = (
        AgreementParty.objects.filter(known_to__isnull=True, agreement__publication=PUBLISHED)
        .select_related("agreement")
        .order_by("agreement__earliest_date", "agreement__slug")
    )
    by_code: dict[str, list[tuple[AgreementRecord, str]]] = {}
    for row in rows:
        by_code.setdefault(row.party_code, []).append((row.agreement, row.role))
    parties = {p.code: p for p in Party.objects.filter(code__in=by_code)}
    groups = [(parties.get(code) or Party(code=code, name=code), items) for code, items in by_code.items()]
    return sorted(groups, key=lambda group: group[0].name)


def parties_in_use() -> list[Party]:
    codes = AgreementParty.objects.filter(known_to__isnull=True, agreement__publication=PUBLISHED).values(
        "party_code"
    )
    return list(Party.objects.filter(code__in=codes).order_by("name"))


def kinds_in_use() -> list[str]:
    return sorted(set(published_records().values_list("kind", flat=True)))


def party_names(codes) -> dict[str, str]:
    return dict(Party.objects.filter(code__in=set(codes)).values_list("code", "name"))


# ---------------------------------------------------------------------------------------------- timeline


@dataclass
class TimelineEntry:
    record: AgreementRecord
    date_text: str  # the EDTF the mark stands for ("2010", "1996-06", "2001-03-01")
    lower: dt.date | None
    upper: dt.date | None
    in_force_from: dt.date | None
    ended_on: dt.date | None
    status: str

    @property
    def precise(self) -> bool:
        return self.lower is not None and self.lower == self.upper


def _bounds(text: str) -> tuple[dt.date | None, dt.date | None]:
    try:
        parsed = parse_date(text)
    except InvalidDate:
        return None, None
    return parsed.lower, parsed.upper


def timeline_entries(today: dt.date | None = None) -> list[TimelineEntry]:
    """One entry per published agreement: the span of its earliest dated fact (signature, accession or
    the date of the work), its time in force, and its status today. Two queries."""
    from agreements.domain.status import status_on

    today = today or dt.date.today()
    records = list(published_records())
    facts: dict[int, list[LifecycleFact]] = {}
    for fact in LifecycleFact.objects.filter(agreement__in=records, known_to__isnull=True).order_by("date_lower"):
        facts.setdefault(fact.agreement_id, []).append(fact)
    entries = []
    for record in records:
        own = facts.get(record.pk, [])
        dated = [f for f in own if f.date_lower is not None]
        first = dated[0] if dated else None
        candidates = []
        if first is not None:
            candidates.append((first.date_lower, first.date, first.date_lower, first.date_upper))
        if record.work_date:
            lower, upper = _bounds(record.work_date)
            if lower is not None:
                candidates.append((lower, record.work_date, lower, upper))
        if candidates:
            _, text, lower, upper = min(candidates, key=lambda c: c[0])
        else:
            text, lower, upper = "", None, None
        status = status_on([(f.action, f.date_lower) for f in own], today)
        entries.append(
            TimelineEntry(
                record=record, date_text=text, lower=lower, upper=upper or lower,
                in_force_from=record.in_force_lower, ended_on=record.terminated_lower, status=status,
            )
        )
    return entries


# ---------------------------------------------------------------------------------------------- parties


@dataclass
class PartyAgreement:
    record: AgreementRecord
    role: str
    facts: list[LifecycleFact] = field(default_factory=list)


@dataclass
class PartyProfile:
    party: Party
    names: list[PartyName]
    successors: list[Party]
    parts: list[Party]
    agreements: list[PartyAgreement]


class PartyNotFound(Exception):
    pass


def party_profile(code: str) -> PartyProfile:
    """A party with its names over time, predecessor, successors, and the published agreements it is a
    party to, each with that party's lifecycle facts (six queries)."""
    party = Party.objects.select_related("predecessor", "parent").filter(code=code).first()
    if party is None:
        raise PartyNotFound(code)
    names = list(party.names.order_by("valid_from_lower", "name"))
    successors = list(party.successors.order_by("code"))
    parts = list(party.parts.order_by("code"))
    rows = (
        AgreementParty.objects.filter(party_code=code, known_to__isnull=True, agreement__publication=PUBLISHED)
        .select_related("agreement")
        .order_by("agreement__earliest_date", "agreement__slug")
    )
    agreements = {row.agreement_id: PartyAgreement(row.agreement, row.role) for row in rows}
    for fact in LifecycleFact.objects.filter(
        agreement_id__in=list(agreements), party_code=code, known_to__isnull=True
    ).order_by("date_lower", "action"):
        agreements[fact.agreement_id].facts.append(fact)
    return PartyProfile(party, names, successors, parts, list(agreements.values()))


# ---------------------------------------------------------------------------------------------- changes


@dataclass
class Change:
    event: StoredEvent
    record: AgreementRecord


def recent_changes(limit: int = 20) -> list[Change]:
    """The latest events of published agreements, newest first (a bounded read, see queries_published_events)."""
    from .queries_published_events import published_events

    events = published_events(limit=limit, newest_first=True)
    records = {r.stream_id: r for r in AgreementRecord.objects.filter(stream_id__in={e.stream_id for e in events})}
    return [Change(event, records[event.stream_id]) for event in events if event.stream_id in records]


# ---------------------------------------------------------------------------------------------- clauses


def reference_citations(record: AgreementRecord, eid: str, known_at: dt.datetime) -> list[Citation]:
    """Citations backing the cross-references made by one clause (supports = "ref:<eid>>...")."""
    return list(
        Citation.objects.filter(agreement=record, supports__startswith=f"ref:{eid}>", known_from__lte=known_at)
        .filter(Q(known_to__isnull=True) | Q(known_to__gt=known_at))
        .select_related("source")
        .order_by("id")
    )


def references_to_agreement(slug: str, at) -> list[Reference]:
    """Cross-references from clauses of published agreements to this agreement or any of its clauses, as
    known at `at.known_at` (one query)."""
    return list(
        Reference.objects.filter(target_slug=slug, agreement__publication=PUBLISHED)
        .filter(at.known())
        .select_related("agreement")
        .order_by("agreement__earliest_date", "agreement__slug", "eid")
    )


def current_clause_addresses() -> list[tuple[AgreementRecord, str]]:
    """(agreement, eid) of every clause of a published agreement as currently known (for the sitemap)."""
    rows = (
        ClauseVersion.objects.filter(agreement__publication=PUBLISHED, known_to__isnull=True, valid_to__isnull=True)
        .select_related("agreement")
        .order_by("agreement__slug", "sort_key")
    )
    return [(row.agreement, row.eid) for row in rows]


# ---------------------------------------------------------------------------------------------- search


@dataclass
class SearchHit:
    record: AgreementRecord
    eid: str
    number: str
    heading: list[tuple[str, bool]]  # (piece, is_hit)
    text: list[tuple[str, bool]]
    text_kind: str
    language: str


@dataclass
class SearchFilters:
    q: str = ""
    party: str = ""
    kind: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def split_marked(marked: str) -> list[tuple[str, bool]]:
    """Split a headline marked with HIT_START/HIT_STOP into (piece, is_hit) pieces."""
    pieces, hit, buffer = [], False, []
    for char in marked:
        if char in (HIT_START, HIT_STOP):
            if buffer:
                pieces.append(("".join(buffer), hit))
                buffer = []
            hit = char == HIT_START
        else:
            buffer.append(char)
    if buffer:
        pieces.append(("".join(buffer), hit))
    return pieces


def highlight_terms(text: str, terms) -> list[tuple[str, bool]]:
    """(piece, is_hit) pieces of `text`, with every case-insensitive occurrence of a term marked."""
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    if not terms or not text:
        return [(text, False)] if text else []
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        if match.start() > last:
            pieces.append((text[last : match.start()], False))
        pieces.append((match.group(0), True))
        last = match.end()
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces


def excerpt(pieces: list[tuple[str, bool]], context: int = 160) -> list[tuple[str, bool]]:
    """Shorten the unmarked stretches of a long text to `context` characters around each hit ("…")."""
    if sum(len(text) for text, _ in pieces) <= 4 * context or not any(hit for _, hit in pieces):
        return pieces
    out = []
    for i, (text, hit) in enumerate(pieces):
        if hit:
            out.append((text, True))
            continue
        first, last = i == 0, i == len(pieces) - 1
        if first and len(text) > context:
            text = "…" + text[-context:]
        elif last and len(text) > context:
            text = text[:context] + "…"
        elif not first and not last and len(text) > 2 * context:
            text = text[:context] + " … " + text[-context:]
        out.append((text, False))
    return out


def search_terms(q: str) -> list[str]:
    return [t for t in re.findall(r"\w+", q or "") if t]


def _searchable(filters: SearchFilters):
    """The latest known text of every clause in force of a published agreement, narrowed by the filters."""
    rows = ClauseVersion.objects.filter(
        agreement__publication=PUBLISHED, known_to__isnull=True, valid_to__isnull=True, repealed=False
    )
    if filters.party:
        rows = rows.filter(
            agreement__in=AgreementParty.objects.filter(party_code=filters.party, known_to__isnull=True).values(
                "agreement"
            )
        )
    if filters.kind:
        rows = rows.filter(agreement__kind=filters.kind)
    if filters.date_from:
        rows = rows.filter(agreement__earliest_date__gte=filters.date_from)
    if filters.date_to:
        rows = rows.filter(agreement__earliest_date__lte=filters.date_to)
    return rows.select_related("agreement")


def search_clauses(filters: SearchFilters, limit: int = 50) -> list[SearchHit]:
    """Clause search over heading and text. PostgreSQL: full-text search (stemmed, ranked, the GIN index of
    migration 0005); elsewhere every word must occur (case-insensitive), in document order. One query."""
    terms = search_terms(filters.q)
    if not terms:
        return []
    rows = _searchable(filters)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector

        query = SearchQuery(" ".join(terms), config=SEARCH_CONFIG, search_type="plain")
        # HighlightAll keeps the whole text as stored (fragment mode would drop what looks like markup);
        # long texts are cut to passages around the hits in Python (excerpt()).
        options = dict(config=SEARCH_CONFIG, start_sel=HIT_START, stop_sel=HIT_STOP, highlight_all=True)
        rows = (
            rows.annotate(document=SearchVector(*SEARCH_FIELDS, config=SEARCH_CONFIG))
            .filter(document=query)
            .annotate(
                rank=SearchRank(SearchVector(*SEARCH_FIELDS, config=SEARCH_CONFIG), query),
                heading_marked=SearchHeadline("heading", query, **options),
                text_marked=SearchHeadline("text", query, **options),
            )
            .order_by("-rank", "agreement__earliest_date", "agreement__slug", "sort_key")[:limit]
        )
        return [
            SearchHit(row.agreement, row.eid, row.number, split_marked(row.heading_marked or ""),
                      excerpt(split_marked(row.text_marked or "")), row.text_kind, row.language)
            for row in rows
        ]
    for term in terms:
        rows = rows.filter(Q(heading__icontains=term) | Q(text__icontains=term))
    rows = rows.order_by("agreement__earliest_date", "agreement__slug", "sort_key")[:limit]
    return [
        SearchHit(row.agreement, row.eid, row.number, highlight_terms(row.heading, terms),
                  excerpt(highlight_terms(row.text, terms)), row.text_kind, row.language)
        for row in rows
    ]
