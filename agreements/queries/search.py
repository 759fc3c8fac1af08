"""The one text search: titles (in every language), summaries and clause texts, ranked, with "did you mean".

Used by the browser's `/search/`, the API's `/api/v1/search/` and the API list's `q`. It reads what the
public may see (published agreements) unless the caller may see everything, and only current knowledge:
each clause's version in force today, as currently known, not repealed.

Words are compared by their folded keys (agreements.domain.folding: scripts, diacritics, Turkish case and
the spellings of the four languages' sounds folded), which the projections store beside every text
(`search_text`), so that "Şuşa", "Shusha", "Susa" and "Шуша" find the same agreement on every database.
Each query word matches a text when a word of the text starts with the word's key. What differs between
databases lives in one module per backend, chosen once (`_backend`):

- `search_postgresql`: full-text search on stored `search_document` columns and their GIN indexes: each
  clause's words stemmed in its own language (`english`, `turkish`, `russian`, and `pacta_az`, the
  registry's own Azerbaijani configuration: `simple` with `unaccent`), plus the folded keys; ranked by
  `ts_rank`. A search ranks at most `CANDIDATES` matching agreements and as many matching clauses, the
  first the index yields, so a word found in half the registry costs the same at a thousand agreements as
  at a hundred thousand. A word that matches nothing is corrected from the registry's own words
  (`pg_trgm` similarity over the folded keys in `pacta_search_word`, nearest by edit distance).
- `search_generic` (SQLite, the embedded default): every word's key must start a word of the folded text;
  corrections come from the keys of the titles and summaries.

A correction is shown as the registry writes it ("şuşa" for a key "susa"), taken from the hits it finds.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from agreements.domain.folding import fold_word, fold_words, lower, words
from agreements.projections.models import AgreementParty, AgreementRecord, ClauseVersion

from .status import with_status, with_status_on
from .visibility import visible_agreements

# Private-use characters mark highlighted hits in a marked text (split_marked); hits are (piece, is_hit) pairs,
# every piece escaped when rendered, so no markup from the data ever reaches the page.
HIT_START, HIT_STOP = "\ue000", "\ue001"
MAX_TERMS = 20
PREFIX_MIN = 3  # a key this long or longer also finds the words it starts ("turkiie" finds "Türkiye'nin")
CANDIDATES = 1_000  # matching agreements, and matching clauses, ranked per search (PostgreSQL)
FEW = 200  # matches (agreements, clauses, slugs) up to which the API list's `q` filters by their ids (PostgreSQL)


@dataclass
class SearchFilters:
    q: str = ""
    party: str = ""
    kind: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    status: str = ""  # the status today (queries.status), as the agreement pages show it


Pieces = list[tuple[str, bool]]  # (piece of text, is a hit)


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
    backend = _backend()
    codes = _parties_named(terms)
    few = None if codes else backend.few_matching(terms, text.strip(), FEW)
    if few is not None:
        return qs.filter(pk__in=few)
    clauses = current_clauses().filter(agreement=OuterRef("pk"))
    found = backend.matches(AgreementRecord, terms) | Exists(clauses.filter(backend.matches(ClauseVersion, terms)))
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
    corrected = [_backend().nearest_key(k) or k if len(k) >= 3 else k for k in keys]
    return corrected if corrected != keys else None


def key_matches(word_key: str, key: str) -> bool:
    """The search's rule for one word: its key starts with the key searched (at least PREFIX_MIN letters;
    a shorter key must be the whole word's). Both backends apply it in their own way."""
    return word_key == key or (len(key) >= PREFIX_MIN and word_key.startswith(key))


def search_terms(q: str) -> list[str]:
    """The words searched: words of any script (at most MAX_TERMS) that have a key."""
    return [w for w in words(q) if fold_word(w)][:MAX_TERMS]


def term_keys(terms) -> list[list[str]]:
    """The folded keys of each term (a term may fold to several keys: all must match)."""
    return [fold_words(t) for t in terms]


# ---------------------------------------------------------------------------------------------- the reads


def _backend():
    """The module that speaks this database's search (the same functions in each)."""
    if connection.vendor == "postgresql":
        from . import search_postgresql as backend
    else:
        from . import search_generic as backend
    return backend


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
    backend = _backend()
    keys = [k for ks in term_keys(terms) for k in ks]
    found = []
    for row, rank in backend.ranked_agreements(agreements, terms, n):
        found.append(SearchHit(row, "", "", row.title, highlight_terms(row.title, keys),
                               excerpt(highlight_terms(row.summary, keys)), "", "", rank))
    for row, rank in backend.ranked_clauses(clauses, terms, n):
        found.append(SearchHit(row.agreement, row.eid, row.number, row.heading, highlight_terms(row.heading, keys),
                               excerpt(highlight_terms(row.text, keys)), row.text_kind, row.language, rank))
    found.sort(key=lambda hit: -hit.rank)  # stable: agreements before clauses of the same rank
    if len(found) < n:
        found += _party_hits(agreements, terms, {hit.record.pk for hit in found if not hit.eid}, n - len(found))
    return found[offset:n]


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
    return _backend().matches(model, search_terms(words_))


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


# ---------------------------------------------------------------------------------------------- text


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def split_marked(marked: str) -> Pieces:
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


def highlight_terms(text: str, terms) -> Pieces:
    """(piece, is_hit) pieces of `text`, with every word marked whose key starts with a term's key: the
    words the search matched, in any script or spelling ("Şuşa" for "Shusha")."""
    keys = {k for t in terms for k in fold_words(t)}
    if not keys or not text:
        return [(text, False)] if text else []
    pieces, last = [], 0
    for match in re.finditer(r"\w+", text):
        word_keys = fold_words(match.group(0))
        if not any(key_matches(wk, k) for wk in word_keys for k in keys):
            continue
        if match.start() > last:
            pieces.append((text[last : match.start()], False))
        pieces.append((match.group(0), True))
        last = match.end()
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces


def excerpt(pieces: Pieces, context: int = 160) -> Pieces:
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
