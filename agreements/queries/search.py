"""The one text search: titles, other titles, summaries and clause texts, ranked, with "did you mean".

Used by the browser's `/search/`, the API's `/api/v1/search/` and the API list's `q`. It reads what the
public may see (published agreements) unless the caller may see everything, and only current knowledge:
each clause's version in force today, as currently known, not repealed.

- PostgreSQL: full-text search (English stemming) on the stored `search_document` columns and their GIN
  indexes (migration 0006), so a query computes no `tsvector` per row and stays flat as the corpus grows;
  ranked by `ts_rank`, highlighted by `ts_headline` on the page of hits only. A search ranks at most
  `CANDIDATES` matching agreements and as many matching clauses, the first the index yields: a rare word
  is ranked over all its matches; a word found in half the registry ("logistics") costs the same at a
  thousand agreements as at a hundred thousand, its hits being the best of the first matches read, and its
  pages end after them. A word that matches
  nothing is corrected from the registry's own words (`pg_trgm` similarity over `pacta_search_word`,
  nearest by edit distance): "trainig" finds the Military Training agreement and says it searched for
  "training".
- Elsewhere (SQLite, the embedded default): every word must occur (case-insensitive); corrections come
  from the words of the visible titles and summaries.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Exists, FloatField, OuterRef, Q, QuerySet
from django.db.models.expressions import Expression
from django.utils import timezone

from agreements.projections.models import AgreementParty, AgreementRecord, ClauseVersion

from .status import with_status, with_status_on
from .visibility import visible_agreements

SEARCH_CONFIG = "english"
# Private-use characters mark highlighted hits in PostgreSQL's headline; the text is split on them and
# every piece escaped when rendered, so no markup from the database ever reaches the page.
HIT_START, HIT_STOP = "\ue000", "\ue001"
MAX_TERMS = 20
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
    hits = _hits(" ".join(terms), filters, include_unpublished, limit, offset)
    if hits or offset:
        return SearchResult(hits, " ".join(terms))
    corrected = suggest(filters.q)
    if corrected:
        hits = _hits(corrected, filters, include_unpublished, limit, offset)
        if hits:  # a correction that finds nothing visible is not offered (it may come from a draft)
            return SearchResult(hits, corrected, corrected)
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
    clauses = _current_clauses().filter(agreement=OuterRef("pk"))
    if _postgres():
        words = " ".join(terms)
        few = _few_matching(words, text.strip())
        if few is not None:
            return qs.filter(pk__in=few)
        found = _matches(AgreementRecord, words) | Exists(clauses.filter(_matches(ClauseVersion, words)))
    else:
        found = _every_term(terms, AGREEMENT_FIELDS) | Exists(clauses.filter(_every_term(terms, CLAUSE_FIELDS)))
    return qs.filter(found | Q(slug__icontains=text.strip()))


def _few_matching(words: str, text: str) -> list[int] | None:
    """The ids of every agreement `matching` finds for `words` (or whose slug contains `text`), when they
    are at most `FEW`; None when there are more (or `text` is too short for the slug's trigram index).

    One query of three capped reads through indexes (the agreements' and current clauses' GIN indexes, the
    slug's trigram index), each stopping after `FEW` + 1 rows: a rare word ("zebra") is then filtered as
    its few agreements, ranked in slug order by the page, instead of walking every agreement in slug order
    to prove that no other matches; a common word stops each read early and keeps the walk, which finds a
    page of matches after a few rows."""
    if len(text) < 3:  # no trigram to look up: the slug's index would be read whole
        return None
    # Read one after the other until FEW + 1 rows in all: the clauses first, where a common word shows soonest
    # (a scan of the table that stops early), so that the agreements' GIN index, whose bitmap holds every
    # match before the first row comes out, is not read for a word in half the clauses.
    reads = [
        _current_clauses().filter(_matches(ClauseVersion, words)).order_by().values_list("agreement_id")[:FEW + 1],
        AgreementRecord.objects.filter(slug__icontains=text).order_by().values_list("pk")[:FEW + 1],
        AgreementRecord.objects.filter(_matches(AgreementRecord, words)).order_by().values_list("pk")[:FEW + 1],
    ]
    ids = [pk for (pk,) in reads[0].union(*reads[1:], all=True)[:FEW + 1]]
    return sorted(set(ids)) if len(ids) <= FEW else None


def suggest(q: str) -> str | None:
    """The query with each word the registry does not know replaced by the nearest word it knows, or None
    when there is nothing to correct."""
    terms = [t.lower() for t in search_terms(q)]
    corrected = [_nearest_word(t) or t for t in terms]
    return " ".join(corrected) if corrected != terms else None


def search_terms(q: str) -> list[str]:
    return re.findall(r"\w+", q or "")[:MAX_TERMS]


# ---------------------------------------------------------------------------------------------- the reads


AGREEMENT_FIELDS = ("title", "titles", "summary")
CLAUSE_FIELDS = ("heading", "text")


def _postgres() -> bool:
    return connection.vendor == "postgresql"


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


def _current_clauses() -> QuerySet:
    """Each clause's version in force today as currently known, not repealed (what the partial index covers)."""
    today = timezone.localdate()
    return ClauseVersion.objects.filter(known_to__isnull=True, repealed=False, valid_from__lte=today).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=today)
    )


def _hits(words: str, filters: SearchFilters, include_unpublished: bool, limit: int, offset: int):
    agreements = _agreements(filters, include_unpublished)
    clauses = _current_clauses().filter(agreement__in=agreements).select_related("agreement")
    n = offset + limit
    if _postgres():
        found = _ranked_agreements(agreements, words, n) + _ranked_clauses(clauses, words, n)
    else:
        terms = search_terms(words)
        found = _plain_agreements(agreements, terms, n) + _plain_clauses(clauses, terms, n)
    found.sort(key=lambda hit: -hit.rank)  # stable: agreements before clauses of the same rank
    return found[offset:n]


# PostgreSQL: the stored document columns of migration 0006, never a tsvector computed per row.


class _Document(Expression):
    """`search_document @@ query` or `ts_rank(search_document, query)` on the query's own table, whatever
    alias it has (a subquery renames it), with the words as a parameter."""

    template = {"matches": "{column} @@ websearch_to_tsquery(%s::regconfig, %s)",
                "rank": "ts_rank({column}, websearch_to_tsquery(%s::regconfig, %s))"}

    def __init__(self, what: str, words: str):
        super().__init__(output_field=BooleanField() if what == "matches" else FloatField())
        self.what, self.words = what, words

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return self.template[self.what].format(column=f'{alias}."search_document"'), [SEARCH_CONFIG, self.words]


def _matches(model, words: str) -> Expression:
    return _Document("matches", words)


def _rank(model, words: str) -> Expression:
    return _Document("rank", words)


def _headline(field_name: str, words: str):
    from django.contrib.postgres.search import SearchHeadline, SearchQuery

    # HighlightAll keeps the whole text as stored (fragment mode would drop what looks like markup);
    # long texts are cut to passages around the hits in Python (excerpt()).
    query = SearchQuery(words, config=SEARCH_CONFIG, search_type="websearch")
    return SearchHeadline(field_name, query, config=SEARCH_CONFIG, start_sel=HIT_START, stop_sel=HIT_STOP,
                          highlight_all=True)


def _candidates(rows: QuerySet, words: str) -> QuerySet:
    """The first `CANDIDATES` rows of `rows` that match `words`, in the order the plan reads them, never
    sorted: what is ranked. A rare word is read from the GIN index; for a word in half the clauses PostgreSQL
    may prefer to read the table until it has found `CANDIDATES` (about twice as many rows), which stops
    as early at any corpus size."""
    model = rows.model
    return model.objects.filter(pk__in=rows.filter(_matches(model, words)).order_by().values("pk")[:CANDIDATES])


def _ranked_agreements(agreements: QuerySet, words: str, n: int) -> list[SearchHit]:
    rows = (
        _candidates(agreements, words)
        .annotate(rank=_rank(AgreementRecord, words), title_marked=_headline("title", words),
                  summary_marked=_headline("summary", words))
        .order_by("-rank", "earliest_date", "slug")[:n]
    )
    return [
        SearchHit(row, "", "", row.title, split_marked(row.title_marked or ""),
                  excerpt(split_marked(row.summary_marked or "")), "", "", float(row.rank))
        for row in rows
    ]


def _ranked_clauses(clauses: QuerySet, words: str, n: int) -> list[SearchHit]:
    rows = (
        _candidates(clauses, words).select_related("agreement")
        .annotate(rank=_rank(ClauseVersion, words), heading_marked=_headline("heading", words),
                  text_marked=_headline("text", words))
        .order_by("-rank", "agreement__earliest_date", "agreement__slug", "sort_key")[:n]
    )
    return [
        SearchHit(row.agreement, row.eid, row.number, row.heading, split_marked(row.heading_marked or ""),
                  excerpt(split_marked(row.text_marked or "")), row.text_kind, row.language, float(row.rank))
        for row in rows
    ]


def _nearest_word(term: str) -> str | None:
    """The registry's word nearest to `term` (None: `term` is known, too short, or nothing is near)."""
    if len(term) < 3:
        return None
    if _postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pacta_search_word WHERE word = %s", [term])
            if cursor.fetchone():
                return None
            cursor.execute(
                "SELECT word, similarity(word, %s) FROM pacta_search_word WHERE word %% %s "
                "ORDER BY similarity(word, %s) DESC, word LIMIT 10", [term, term, term])
            candidates = cursor.fetchall()
    else:
        words = _plain_vocabulary()
        if term in words:
            return None
        candidates = [(w, difflib.SequenceMatcher(None, term, w).ratio())
                      for w in difflib.get_close_matches(term, words, n=10, cutoff=0.75)]
    if not candidates:
        return None
    return min(candidates, key=lambda c: (edit_distance(term, c[0]), -c[1], c[0]))[0]


# Elsewhere: every word must occur, case-insensitive.


def _every_term(terms, fields) -> Q:
    condition = Q()
    for term in terms:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": term})
        condition &= any_field
    return condition


def _plain_agreements(agreements: QuerySet, terms, n: int) -> list[SearchHit]:
    rows = agreements.filter(_every_term(terms, AGREEMENT_FIELDS)).order_by("earliest_date", "slug")[:n]
    return [
        SearchHit(row, "", "", row.title, highlight_terms(row.title, terms),
                  excerpt(highlight_terms(row.summary, terms)), "", "", 1.0)
        for row in rows
    ]


def _plain_clauses(clauses: QuerySet, terms, n: int) -> list[SearchHit]:
    rows = clauses.filter(_every_term(terms, CLAUSE_FIELDS)).order_by(
        "agreement__earliest_date", "agreement__slug", "sort_key")[:n]
    return [
        SearchHit(row.agreement, row.eid, row.number, row.heading, highlight_terms(row.heading, terms),
                  excerpt(highlight_terms(row.text, terms)), row.text_kind, row.language, 1.0)
        for row in rows
    ]


def _plain_vocabulary() -> list[str]:
    words = set()
    for title, summary in AgreementRecord.objects.values_list("title", "summary"):
        words.update(w.lower() for w in re.findall(r"\w{3,}", f"{title} {summary}"))
    return sorted(words)


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
