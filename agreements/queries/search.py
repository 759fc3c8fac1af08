"""The one text search: titles (in every language), summaries and clause texts, ranked, with "did you mean".

Used by the browser's `/search/`, the API's `/api/v1/search/` and the API list's `q`. It reads what the
public may see (published agreements) unless the caller may see everything, and only current knowledge:
each clause's version in force today, as currently known, not repealed.

Words are compared by their folded keys (agreements.queries.search_words), which the projections store
beside every text (`search_text`), so that "Şuşa", "Shusha", "Susa" and "Шуша" find the same agreement on
every database. Each query word matches a text when a word of the text starts with the word's key.

One interface, two backends. This module holds everything that is the same on every database: the filters,
the visible agreements and current clauses, merging and paging agreement and clause hits, the parties'
names, the correction of a query that finds nothing, the highlighting. What a database does differently
(how a row is matched and ranked, how a misspelling is corrected) is a `SearchBackend`, one module each:

- `search_postgresql`: full-text search on stored documents and their GIN indexes, each text stemmed in
  its own language, ranked by `ts_rank`, corrected by trigram similarity;
- `search_plain` (SQLite, the embedded default): the folded keys compared with `LIKE`, ranks equal,
  corrected with `difflib` over the titles' and summaries' keys.

The backend is chosen once, by `backend()`, from the database Django is configured with (which does not
change while the process runs), and kept: no function here or in the backends asks which database it runs
on. A correction is shown as the registry writes it ("şuşa" for a key "susa"), taken from the hits it finds.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
from dataclasses import dataclass, field
from typing import Protocol

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from agreements.domain.folding import fold_word, lower, words
from agreements.projections.models import AgreementParty, AgreementRecord, ClauseVersion

from .search_words import (  # noqa: F401  (the browser and the tests read the text helpers from here)
    HIT_START,
    HIT_STOP,
    MAX_TERMS,
    PREFIX_MIN,
    Pieces,
    edit_distance,
    excerpt,
    highlight_terms,
    key_matches,
    search_terms,
    split_marked,
    term_keys,
)
from .status import with_status, with_status_on
from .visibility import visible_agreements

# Matching agreements, and matching clauses, ranked per search (PostgreSQL): the first the index yields, so that a
# word found in one agreement of a hundred costs at 100,000 agreements about what it costs at 1,000 (each candidate
# is ranked and placed: about 40 µs, bench/languages.py); a search shows at most this many hits of each kind.
CANDIDATES = 200
FEW = 200  # matches (agreements, clauses, slugs) up to which the API list's `q` filters by their ids (PostgreSQL)


@dataclass
class SearchFilters:
    q: str = ""
    party: str = ""
    kind: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    status: str = ""  # the status today (queries.status), as the agreement pages show it


@dataclass
class SearchHit:
    """A hit on an agreement itself (`eid` is "": its title, other titles or summary) or on one clause."""

    record: AgreementRecord
    eid: str
    number: str
    heading: str
    heading_marked: Pieces
    text_marked: Pieces
    text_kind: str
    language: str
    rank: float

    @property
    def slug(self) -> str:
        return self.record.slug

    @property
    def title(self) -> str:
        return self.record.title

    @property
    def match(self) -> str:
        return "clause" if self.eid else "agreement"

    @property
    def snippet(self) -> str:
        """Plain text, each hit wrapped in « »."""
        return "".join(f"«{piece}»" if hit else piece for piece, hit in self.text_marked)


@dataclass
class SearchResult:
    hits: list[SearchHit] = field(default_factory=list)
    searched_for: str = ""  # the words searched: the query, or its correction when the query found nothing
    suggestion: str | None = None  # set when the words searched are a correction of the query

    @property
    def agreements(self) -> list[SearchHit]:
        return [hit for hit in self.hits if not hit.eid]

    @property
    def clauses(self) -> list[SearchHit]:
        return [hit for hit in self.hits if hit.eid]


def search(filters: SearchFilters, include_unpublished: bool = False, limit: int = 50,
           offset: int = 0) -> SearchResult:
    """The best `limit` hits after `offset`, agreements and clauses ranked together. When the words find
    nothing, the nearest words the registry knows are searched instead and named in `suggestion`."""
    terms = search_terms(filters.q)
    if not terms:
        return SearchResult()
    hits = _hits(terms, filters, include_unpublished, limit, offset)
    if hits or offset:
        return SearchResult(hits, " ".join(terms))
    corrected = _corrected_keys(terms)
    if corrected:
        hits = _hits(corrected, filters, include_unpublished, limit, offset)
        if hits:  # a correction that finds nothing visible is not offered (it may come from a draft)
            shown = " ".join(_as_written(key, hits) for key in corrected)
            return SearchResult(hits, shown, shown)
    return SearchResult([], " ".join(terms))


def has_filters(filters: SearchFilters) -> bool:
    return bool(filters.party or filters.kind or filters.status or filters.date_from or filters.date_to)


def browse(filters: SearchFilters, include_unpublished: bool = False, limit: int = 50) -> SearchResult:
    """No words, only filters (a date range, a party...): the agreements they select, oldest first, as hits
    on the agreements themselves (their title, their summary's opening), so that a reader who asks for
    "agreements of 1990-2000" gets them rather than the help page."""
    if not has_filters(filters):
        return SearchResult()
    rows = _agreements(filters, include_unpublished).order_by("earliest_date", "slug")[:limit]
    return SearchResult([
        SearchHit(row, "", "", row.title, [(row.title, False)], excerpt([(row.summary, False)]) if row.summary else [],
                  "", "", 0.0)
        for row in rows
    ])


@dataclass(frozen=True)
class AgreementLine:
    """What a result says about its agreement: its date (EDTF), its parties' names, its status today."""

    date: str
    parties: list[str]
    status: str


def agreement_lines(records) -> dict[int, AgreementLine]:
    """The date, parties and status of each agreement of `records` (a page of hits): two queries."""
    from sources.models import Party

    ids = {r.pk for r in records}
    if not ids:
        return {}
    statuses = dict(with_status(AgreementRecord.objects.filter(pk__in=ids)).values_list("pk", "status"))
    codes: dict[int, list[str]] = {}
    for agreement_id, code in (AgreementParty.objects.filter(agreement_id__in=ids, known_to__isnull=True)
                               .order_by("pk").values_list("agreement_id", "party_code")):
        codes.setdefault(agreement_id, []).append(code)
    names = dict(Party.objects.filter(code__in={c for cs in codes.values() for c in cs}).values_list("code", "name"))
    return {
        r.pk: AgreementLine(r.work_date or (r.earliest_date.isoformat() if r.earliest_date else ""),
                            [names.get(code, code) for code in codes.get(r.pk, [])], statuses.get(r.pk, ""))
        for r in records
    }


def matching(qs: QuerySet, text: str) -> QuerySet:
    """The agreements of `qs` that the search finds for `text` (their own words or a clause's), or whose
    slug contains it: the API list's `q`."""
    terms = search_terms(text)
    if not terms:
        return qs.filter(slug__icontains=text.strip()) if text.strip() else qs
    engine = backend()
    codes = _parties_named(terms)
    few = None if codes else engine.few_matching(current_clauses(), terms, text.strip(), FEW)
    if few is not None:
        return qs.filter(pk__in=few)
    clauses = current_clauses().filter(agreement=OuterRef("pk"))
    found = engine.matches(AgreementRecord, terms) | Exists(clauses.filter(engine.matches(ClauseVersion, terms)))
    if codes:  # agreements of a party one of whose names holds every word
        found |= Exists(AgreementParty.objects.filter(agreement=OuterRef("pk"), party_code__in=codes,
                                                      known_to__isnull=True))
    return qs.filter(found | Q(slug__icontains=text.strip()))


def _parties_named(terms) -> list[str]:
    """The codes of the parties one of whose names, in any language or script, holds every word."""
    from .parties import codes_named

    return codes_named(" ".join(terms))


def suggest(q: str) -> str | None:
    """The query's keys with each key the registry does not know replaced by the nearest key it knows, or
    None when there is nothing to correct."""
    corrected = _corrected_keys(search_terms(q))
    return " ".join(corrected) if corrected else None


def _corrected_keys(terms) -> list[str] | None:
    keys = [fold_word(t) for t in terms]
    corrected = [backend().nearest_key(k) or k if len(k) >= 3 else k for k in keys]
    return corrected if corrected != keys else None


# ---------------------------------------------------------------------------------------------- the reads


class SearchBackend(Protocol):
    """What a database's search answers (a module: search_postgresql, search_plain)."""

    def matches(self, model, terms):
        """The condition "this row of `model` (agreements or clause versions) holds every term"."""

    def ranked_agreements(self, agreements: QuerySet, terms, n: int, candidates: int) -> list[tuple]:
        """(agreement, rank) of the best `n` matching agreements of `agreements`, ranking at most
        `candidates` of them."""

    def ranked_clauses(self, clauses: QuerySet, terms, n: int, candidates: int) -> list[tuple]:
        """(clause version, rank) of the best `n` matching clauses of `clauses`, ranking at most `candidates`."""

    def few_matching(self, clauses: QuerySet, terms, text: str, few: int) -> list[int] | None:
        """The ids of the agreements the terms find (or whose slug holds `text`) when they are at most `few`;
        None when there are more or the backend cannot count them cheaply."""

    def nearest_key(self, key: str) -> str | None:
        """The registry's folded key nearest to `key`; None when `key` is known or nothing is near."""


# The backend of each database that has one of its own; every other database gets the plain search.
BACKENDS = {"postgresql": "agreements.queries.search_postgresql"}
PLAIN = "agreements.queries.search_plain"


@functools.cache
def backend() -> SearchBackend:
    """The search backend of the configured database, chosen at the first search and kept."""
    return importlib.import_module(BACKENDS.get(connection.vendor, PLAIN))


def _agreements(filters: SearchFilters, include_unpublished: bool) -> QuerySet:
    rows = visible_agreements(include_unpublished)
    if filters.party:
        rows = rows.filter(Exists(AgreementParty.objects.filter(
            agreement=OuterRef("pk"), party_code=filters.party, known_to__isnull=True)))
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.date_from:
        rows = rows.filter(earliest_date__gte=filters.date_from)
    if filters.date_to:
        rows = rows.filter(earliest_date__lte=filters.date_to)
    if filters.status:
        rows = with_status_on(rows, filters.status)
    return rows


def current_clauses() -> QuerySet:
    """Each clause's version in force today as currently known, not repealed (what the partial index covers)."""
    today = timezone.localdate()
    return ClauseVersion.objects.filter(known_to__isnull=True, repealed=False, valid_from__lte=today).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=today)
    )


_current_clauses = current_clauses  # the name the tests and older callers use


def _hits(terms, filters: SearchFilters, include_unpublished: bool, limit: int, offset: int):
    agreements = _agreements(filters, include_unpublished)
    clauses = current_clauses().filter(agreement__in=agreements).select_related("agreement")
    n = offset + limit
    engine = backend()
    keys = [k for ks in term_keys(terms) for k in ks]
    ranked = [(rank, row, False) for row, rank in engine.ranked_agreements(agreements, terms, n, CANDIDATES)]
    ranked += [(rank, row, True) for row, rank in engine.ranked_clauses(clauses, terms, n, CANDIDATES)]
    ranked.sort(key=lambda found: -found[0])  # stable: agreements before clauses of the same rank
    # Only the hits shown are marked: a word found in one agreement of a hundred fills a page at 100,000
    # agreements, where each kind brings its best n and half of them are left out (bench/languages.py).
    hits = [_clause_hit(row, rank, keys) if clause else _agreement_hit(row, rank, keys)
            for rank, row, clause in ranked[offset:n]]
    if len(ranked) < n:
        seen = {row.pk for _, row, clause in ranked if not clause}
        hits += _party_hits(agreements, terms, seen, n - len(ranked))[max(0, offset - len(ranked)):]
    return hits


def _agreement_hit(row: AgreementRecord, rank: float, keys) -> SearchHit:
    return SearchHit(row, "", "", row.title, highlight_terms(row.title, keys),
                     excerpt(highlight_terms(row.summary, keys)), "", "", rank)


def _clause_hit(row: ClauseVersion, rank: float, keys) -> SearchHit:
    return SearchHit(row.agreement, row.eid, row.number, row.heading, highlight_terms(row.heading, keys),
                     excerpt(highlight_terms(row.text, keys)), row.text_kind, row.language, rank)


def _party_hits(agreements: QuerySet, terms, seen: set, n: int) -> list[SearchHit]:
    """The agreements of the parties one of whose names, in any language, holds every word ("Türkiye",
    "Azərbaycan Respublikası"), after the hits on the agreements' own words (rank 0), in date order."""
    codes = _parties_named(terms)
    if not codes:
        return []
    rows = agreements.filter(Exists(AgreementParty.objects.filter(
        agreement=OuterRef("pk"), party_code__in=codes, known_to__isnull=True))).exclude(pk__in=seen)
    return [SearchHit(row, "", "", row.title, [(row.title, False)], excerpt([(row.summary, False)]), "", "", 0.0)
            for row in rows.order_by("earliest_date", "slug")[:n]]


def _matches(model, words_: str):
    """The backend's condition "this row matches `words_`" (for the tests that read its plan)."""
    return backend().matches(model, search_terms(words_))


def _as_written(key: str, hits) -> str:
    """The word of the hits' texts whose key is `key`, as the registry writes it (lower case); `key` itself
    when none is."""
    for hit in hits:
        texts = [hit.record.title, *[str(t) for t in (hit.record.titles or {}).values()], hit.record.summary,
                 hit.heading, "".join(piece for piece, _ in hit.text_marked)]
        for text in texts:
            for word in words(text):
                if fold_word(word) == key:
                    return lower(word)
    return key

