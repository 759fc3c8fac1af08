"""The plain search, for databases without full-text search (SQLite, the embedded default).

Why a backend of its own: SQLite has no stemming, no text-search index and no trigram similarity, and the
registry must search there too (`make demo` runs on it). What it can do is compare the folded keys that the
projections store beside every text (`search_text`, a space before every word): every key searched must
start a word of it (agreements.queries.search_words.key_matches, written as `LIKE`). Ranks are equal
(agreements in date order, clauses in document order); "did you mean" compares the query's key with the
keys of every agreement's title, other titles and summary.

It answers the same functions as `search_postgresql` (agreements.queries.search.SearchBackend);
`agreements.queries.search` chooses one of the two once.
"""

from __future__ import annotations

import difflib

from django.db.models import Q, QuerySet

from agreements.projections.models import AgreementRecord

from .search_words import PREFIX_MIN, nearest, term_keys


def matches(model, terms) -> Q:
    """Every key of every term starts a word of the row's folded text."""
    condition = Q()
    for keys in term_keys(terms):
        for key in keys:
            if len(key) >= PREFIX_MIN:
                condition &= Q(search_text__contains=f" {key}")
            else:
                condition &= Q(search_text__contains=f" {key} ") | Q(search_text__endswith=f" {key}")
    return condition


def ranked_agreements(agreements: QuerySet, terms, n: int, candidates: int):
    """The first `n` matching agreements in date order, each ranked 1 (`candidates`: unused, every match is
    ranked alike)."""
    rows = agreements.filter(matches(AgreementRecord, terms)).order_by("earliest_date", "slug")[:n]
    return [(row, 1.0) for row in rows]


def ranked_clauses(clauses: QuerySet, terms, n: int, candidates: int):
    """The first `n` matching clauses in document order, each ranked 1."""
    rows = clauses.filter(matches(clauses.model, terms)).order_by(
        "agreement__earliest_date", "agreement__slug", "sort_key")[:n]
    return [(row, 1.0) for row in rows]


def few_matching(clauses: QuerySet, terms, text: str, few: int):
    """None: this backend always filters by the condition itself (it has no index to count matches by)."""
    return None


def nearest_key(key: str) -> str | None:
    """The known key nearest to `key` (None: `key` is known, or nothing is near)."""
    known = _vocabulary()
    if key in known:
        return None
    return nearest(key, [(word, difflib.SequenceMatcher(None, key, word).ratio())
                         for word in difflib.get_close_matches(key, known, n=10, cutoff=0.75)])


def _vocabulary() -> list[str]:
    keys = set()
    for text in AgreementRecord.objects.values_list("search_text", flat=True):
        keys.update(k for k in text.split() if len(k) >= 3)
    return sorted(keys)
