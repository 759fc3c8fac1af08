"""Reads the REST API needs beyond agreements.queries: list filters, feeds, reference data, findings, search.

Every function takes `include_unpublished`: the public (and anonymous API callers) see published agreements
only, and nothing that would reveal a draft (incoming relations or references from a draft are dropped).
Each read is a bounded number of queries whatever the size of the page or of the agreement.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db import connection
from django.db.models import Case, CharField, Exists, OuterRef, Prefetch, Q, Value, When

from agreements.domain.aggregate import stream_id
from registry.eventstore import upcasting
from registry.eventstore.models import StoredEvent
from sources.models import Source

from . import queries
from .parties.models import Party, PartyName
from .projections.models import AgreementParty, AgreementRecord, ClauseVersion, LifecycleFact, Relation
from .validation.models import Finding

CONSENT = ("signature", "accession", "approval", "ratification")


# ---------------------------------------------------------------------------------------------- agreements


def _happened(actions, on: dt.date):
    return Exists(
        LifecycleFact.objects.filter(
            agreement=OuterRef("pk"), known_to__isnull=True, action__in=actions, date_lower__lte=on
        )
    )


def status_expression(on: dt.date):
    """The agreement's status on `on`, as SQL: the same precedence as domain.status.status_on."""
    superseded = Exists(
        Relation.objects.filter(target_slug=OuterRef("slug"), relation="supersedes", known_to__isnull=True)
    )
    return Case(
        When(_happened(["termination"], on), then=Value("terminated")),
        When(superseded, then=Value("superseded")),
        When(_happened(["suspension"], on), then=Value("suspended")),
        When(_happened(["entry_into_force"], on), then=Value("in_force")),
        When(_happened(CONSENT, on), then=Value("signed")),
        default=Value("draft"),
        output_field=CharField(),
    )


def agreement_list(include_unpublished: bool = False, on: dt.date | None = None):
    """Agreements with their status on `on` (default today) and their current parties: two queries a page."""
    from django.utils import timezone

    on = on or timezone.localdate()
    return (
        queries.visible_agreements(include_unpublished)
        .annotate(status=status_expression(on))
        .prefetch_related(
            Prefetch(
                "party_rows",
                queryset=AgreementParty.objects.filter(known_to__isnull=True).order_by("id"),
                to_attr="current_parties",
            )
        )
    )


def with_party(qs, code: str):
    return qs.filter(
        Exists(AgreementParty.objects.filter(agreement=OuterRef("pk"), party_code=code, known_to__isnull=True))
    )


def with_status_on(qs, status: str, on: dt.date):
    return qs.alias(status_then=status_expression(on)).filter(status_then=status)


def matching_text(qs, text: str):
    return qs.filter(Q(title__icontains=text) | Q(summary__icontains=text) | Q(slug__icontains=text))


def agreement_version(slug: str, include_unpublished: bool = False) -> int:
    """The agreement's current stream version (one query): what an ETag is made of."""
    try:
        return queries.visible_agreements(include_unpublished).values_list("version", flat=True).get(slug=slug)
    except AgreementRecord.DoesNotExist:
        raise queries.NotFound(f"No agreement '{slug}'.") from None


def current_version(slug: str) -> int:
    return (
        StoredEvent.objects.filter(stream_id=stream_id(slug))
        .order_by("-stream_version")
        .values_list("stream_version", flat=True)
        .first()
        or 0
    )


def agreement_detail(slug: str, at: queries.TimePoint, include_unpublished: bool = False) -> queries.AgreementView:
    view = queries.agreement_at(slug, at, include_unpublished)
    if not include_unpublished:
        view.relations_in = [r for r in view.relations_in if r.agreement.publication == "published"]
    return view


def clause_detail(slug: str, eid: str, at: queries.TimePoint, include_unpublished: bool = False):
    view = queries.clause_at(slug, eid, at, include_unpublished)
    if not include_unpublished:
        view.references_in = [r for r in view.references_in if r.agreement.publication == "published"]
    eids = {v.eid for v in view.versions} or {eid}
    view.findings = list(
        Finding.objects.filter(agreement__slug=slug, subject__in=eids, resolved_at__isnull=True)
        .select_related("agreement", "source")
        .order_by("severity", "code")
    )
    return view


# ---------------------------------------------------------------------------------------------- events


@dataclasses.dataclass(frozen=True)
class FeedEntry:
    position: int
    stream_id: str
    stream_version: int
    event_id: str
    type: str
    schema_version: int
    payload: dict
    effective: str
    recorded_at: dt.datetime
    prev_hash: str
    hash: str


@dataclasses.dataclass(frozen=True)
class HiddenEntry:
    """An event the caller may not see (an unpublished agreement's): only its place in the hash chain."""

    position: int
    prev_hash: str
    hash: str


def _entries(rows, upcast: bool = True) -> list[FeedEntry]:
    entries = []
    for row in rows:
        if not getattr(row, "visible", True):
            entries.append(HiddenEntry(row.position, row.prev_hash, row.hash))
            continue
        version, payload = row.schema_version, row.payload
        if upcast:
            version, payload = upcasting.upcast(row.type, row.schema_version, row.payload)
        entries.append(
            FeedEntry(row.position, row.stream_id, row.stream_version, str(row.event_id), row.type, version, payload,
                      row.effective, row.recorded_at, row.prev_hash, row.hash)
        )
    return entries


def event_feed(after: int = 0, limit: int = 100, include_unpublished: bool = False) -> list:
    """The global feed in position order; positions are gap-free in commit order, so paging never skips.

    Entries are the events as stored (not upcast: the hash chain covers the stored form, so anyone can
    recompute it); an event the caller may not see is a HiddenEntry holding only its chain link."""
    return _entries(queries.event_feed(after, limit, include_unpublished), upcast=False)


def log_head():
    return queries.log_head()


def agreement_events(slug: str, after: int = 0, limit: int = 100, include_unpublished: bool = False):
    rows = queries.events_of(slug, include_unpublished).filter(stream_version__gt=after)[:limit]
    return _entries(rows)


# ---------------------------------------------------------------------------------------------- reference data


def parties(kind: str | None = None, text: str | None = None):
    qs = Party.objects.select_related("predecessor", "parent").prefetch_related(
        Prefetch("names", queryset=PartyName.objects.order_by("valid_from_lower", "id")),
        Prefetch("successors", queryset=Party.objects.order_by("code")),
    )
    if kind:
        qs = qs.filter(kind=kind)
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(code__icontains=text) | Q(names__name__icontains=text)).distinct()
    return qs.order_by("code")


def party(code: str) -> Party:
    found = parties().filter(code=code).first()
    if found is None:
        raise queries.NotFound(f"No party '{code}'.")
    return found


def sources(kind: str | None = None, text: str | None = None):
    qs = Source.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if text:
        qs = qs.filter(Q(title__icontains=text) | Q(publisher__icontains=text) | Q(key__icontains=text))
    return qs.order_by("key")


def source(key: str) -> Source:
    found = Source.objects.filter(pk=int(key)).first() if key.isdecimal() and len(key) < 18 else None
    found = found or Source.objects.filter(key=key).first()
    if found is None:
        raise queries.NotFound(f"No source '{key}'.")
    return found


# ---------------------------------------------------------------------------------------------- findings


def findings(include_unpublished: bool = False, agreement: str | None = None, severity: str | None = None,
             code: str | None = None, subject: str | None = None, include_resolved: bool = False):
    qs = Finding.objects.select_related("agreement", "source")
    if not include_unpublished:
        qs = qs.filter(Q(agreement__isnull=True) | Q(agreement__publication="published"))
    if not include_resolved:
        qs = qs.filter(resolved_at__isnull=True)
    if agreement:
        qs = qs.filter(agreement__slug=agreement)
    if severity:
        qs = qs.filter(severity=severity)
    if code:
        qs = qs.filter(code=code)
    if subject:
        qs = qs.filter(subject=subject)
    return qs.order_by("-last_seen", "-id")


# ---------------------------------------------------------------------------------------------- search


@dataclasses.dataclass
class SearchHit:
    slug: str
    title: str
    eid: str
    number: str
    heading: str
    text: str
    text_kind: str
    snippet: str
    rank: float


def _current_clauses(include_unpublished: bool):
    """Each clause's version in force today as currently known (not repealed), in visible agreements."""
    from django.utils import timezone

    today = timezone.localdate()
    qs = ClauseVersion.objects.filter(known_to__isnull=True, repealed=False, valid_from__lte=today).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=today)
    )
    if not include_unpublished:
        qs = qs.filter(agreement__publication="published")
    return qs.select_related("agreement")


def search_clauses(text: str, include_unpublished: bool = False, limit: int = 50, offset: int = 0) -> list[SearchHit]:
    """Clause full-text search: PostgreSQL's text search (ranked, with highlighted snippets), else icontains."""
    qs = _current_clauses(include_unpublished)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector

        vector = SearchVector("heading", weight="A", config="english") + SearchVector("text", weight="B", config="english")
        query = SearchQuery(text, search_type="websearch", config="english")
        rows = (
            qs.annotate(document=vector)
            .filter(document=query)
            .annotate(
                rank=SearchRank(vector, query),
                snippet=SearchHeadline("text", query, config="english", start_sel="«", stop_sel="»",
                                       max_words=35, min_words=15),
            )
            .order_by("-rank", "agreement__slug", "sort_key")[offset : offset + limit]
        )
        return [_hit(row, row.snippet, float(row.rank)) for row in rows]
    words = text.split()
    for word in words:
        qs = qs.filter(Q(text__icontains=word) | Q(heading__icontains=word))
    rows = qs.order_by("agreement__slug", "sort_key")[offset : offset + limit] if words else []
    return [_hit(row, _snippet(row.text, words), 1.0) for row in rows]


def _hit(row: ClauseVersion, snippet: str, rank: float) -> SearchHit:
    return SearchHit(row.agreement.slug, row.agreement.title, row.eid, row.number, row.heading, row.text,
                     row.text_kind, snippet, rank)


def _snippet(text: str, words: list[str], width: int = 120) -> str:
    """Plain text around the first hit, each hit wrapped in « » (as PostgreSQL's headline is configured)."""
    import re

    lower = text.lower()
    starts = [lower.find(w.lower()) for w in words if lower.find(w.lower()) >= 0]
    start = max(0, min(starts) - width // 2) if starts else 0
    piece = text[start : start + width * 2]
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    piece = pattern.sub(lambda m: f"«{m.group(0)}»", piece)
    return ("…" if start else "") + piece + ("…" if start + width * 2 < len(text) else "")
