"""The search on databases without full-text search (SQLite, the embedded default): every key searched must
start a word of the stored folded text (`search_text`, a space before every word), and ranks are equal
(agreements in date order, clauses in document order). Corrections come from the keys of every agreement's
title, other titles and summary. The same functions as search_postgresql; agreements.queries.search picks
one of them."""

from __future__ import annotations

import difflib

from django.db.models import Q, QuerySet

from agreements.projections.models import AgreementRecord

from .search import PREFIX_MIN, edit_distance, term_keys


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


def ranked_agreements(agreements: QuerySet, terms, n: int):
    rows = agreements.filter(matches(AgreementRecord, terms)).order_by("earliest_date", "slug")[:n]
    return [(row, 1.0) for row in rows]


def ranked_clauses(clauses: QuerySet, terms, n: int):
    rows = clauses.filter(matches(clauses.model, terms)).order_by(
        "agreement__earliest_date", "agreement__slug", "sort_key")[:n]
    return [(row, 1.0) for row in rows]


def few_matching(terms, text: str, few: int):
    """None: this backend always filters by the condition itself."""
    return None


def nearest_key(key: str) -> str | None:
    """The known key nearest to `key` (None: `key` is known, or nothing is near)."""
    known = _vocabulary()
    if key in known:
        return None
    candidates = [(w, difflib.SequenceMatcher(None, key, w).ratio())
                  for w in difflib.get_close_matches(key, known, n=10, cutoff=0.75)]
    if not candidates:
        return None
    return min(candidates, key=lambda c: (edit_distance(key, c[0]), -c[1], c[0]))[0]


def _vocabulary() -> list[str]:
    keys = set()
    for text in AgreementRecord.objects.values_list("search_text", flat=True):
        keys.update(k for k in text.split() if len(k) >= 3)
    return sorted(keys)
