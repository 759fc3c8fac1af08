"""Text search: titles, summaries and clause texts, ranked; PostgreSQL full-text search, else icontains."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from agreements.projections.models import AgreementParty, AgreementRecord, ClauseVersion

from .visibility import PUBLISHED

# Search configuration: the GIN index of migration 0005 is built on exactly this document.
SEARCH_CONFIG = "english"
SEARCH_FIELDS = ("heading", "text")
# Private-use characters mark highlighted hits in PostgreSQL's headline; the text is split on them and
# every piece escaped when rendered, so no markup from the database ever reaches the page.
HIT_START, HIT_STOP = "\ue000", "\ue001"


def matching_text(qs, text: str):
    """Agreements of `qs` whose title, summary or slug contains `text` (the API list's `q`)."""
    return qs.filter(Q(title__icontains=text) | Q(summary__icontains=text) | Q(slug__icontains=text))


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


# ------------------------------------------------ clause texts (the API's /search/)


@dataclasses.dataclass
class ClauseTextHit:
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
    today = timezone.localdate()
    qs = ClauseVersion.objects.filter(known_to__isnull=True, repealed=False, valid_from__lte=today).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=today)
    )
    if not include_unpublished:
        qs = qs.filter(agreement__publication=PUBLISHED)
    return qs.select_related("agreement")


def search_clause_texts(text: str, include_unpublished: bool = False, limit: int = 50, offset: int = 0) -> list[ClauseTextHit]:
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


def _hit(row: ClauseVersion, snippet: str, rank: float) -> ClauseTextHit:
    return ClauseTextHit(row.agreement.slug, row.agreement.title, row.eid, row.number, row.heading, row.text,
                     row.text_kind, snippet, rank)


def _snippet(text: str, words: list[str], width: int = 120) -> str:
    """Plain text around the first hit, each hit wrapped in « » (as PostgreSQL's headline is configured)."""
    lower = text.lower()
    starts = [lower.find(w.lower()) for w in words if lower.find(w.lower()) >= 0]
    start = max(0, min(starts) - width // 2) if starts else 0
    piece = text[start : start + width * 2]
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    piece = pattern.sub(lambda m: f"«{m.group(0)}»", piece)
    return ("…" if start else "") + piece + ("…" if start + width * 2 < len(text) else "")


@dataclass
class AgreementHit:
    record: AgreementRecord
    title: list[tuple[str, bool]]
    summary: list[tuple[str, bool]]


def search_agreements(filters: SearchFilters, limit: int = 20) -> list[AgreementHit]:
    """Published agreements whose title or summary holds every word of the query, narrowed by the same filters
    as the clauses, with the words marked: one query."""
    terms = search_terms(filters.q)
    if not terms:
        return []
    qs = AgreementRecord.objects.filter(publication=PUBLISHED)
    for term in terms:
        qs = qs.filter(Q(title__icontains=term) | Q(summary__icontains=term))
    if filters.party:
        qs = qs.filter(id__in=AgreementParty.objects.filter(party_code=filters.party, known_to__isnull=True)
                       .values("agreement"))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.date_from:
        qs = qs.filter(earliest_date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(earliest_date__lte=filters.date_to)
    return [
        AgreementHit(record, highlight_terms(record.title, terms), excerpt(highlight_terms(record.summary, terms), 90))
        for record in qs.order_by("earliest_date", "slug")[:limit]
    ]
