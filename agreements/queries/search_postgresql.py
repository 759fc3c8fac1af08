"""The search on PostgreSQL: full-text search on the stored `search_document` columns and their GIN indexes
(migrations 0006 and 0015), never a `tsvector` computed per row.

Why a backend of its own: PostgreSQL can stem each text in its own language (`english`, `turkish`,
`russian`, and `pacta_az`, the registry's Azerbaijani configuration: `simple` with `unaccent`, migration
0010), rank by `ts_rank`, read matches from an index instead of every row, and correct a misspelling by
trigram similarity (`pg_trgm`); none of that exists on SQLite, and none of it can be written as portable
SQL. Keeping it in one module keeps the interface (agreements.queries.search) free of any test of the
database it runs on.

Each document holds the row's words stemmed in the language they are written in (a clause's `language`;
an agreement's title in English and its titles per language) and the folded keys of `search_text`
(config `simple`). A query word matches through any of them: its stem in each language the registry
indexes (`LANGUAGE_CONFIGS`), or its folded key as a prefix of a folded word; every word must match.
A search ranks at most `candidates` matching agreements and as many matching clauses, so a word found in
half the registry costs about what it costs at a thousand agreements. A word that matches nothing is
corrected from the registry's own words (`pacta_search_word`, nearest by edit distance).

It answers the same functions as `search_plain` (agreements.queries.search.SearchBackend);
`agreements.queries.search` chooses one of the two once.
"""

from __future__ import annotations

import re

from django.db import OperationalError, connections, router, transaction
from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import Expression

from agreements.domain.folding import fold_word
from agreements.projections.models import AgreementRecord, ClauseVersion
from registry.statement_timeout import is_timeout

from .search_words import PREFIX_MIN, nearest, term_keys

# The text search configuration of each language the registry stems (migration 0010 creates pacta_az).
LANGUAGE_CONFIGS = {"en": "english", "tr": "turkish", "ru": "russian", "az": "pacta_az"}


def tsquery(terms) -> tuple[str, list]:
    """SQL for the query (and its parameters): for each term, its stem in any indexed language, or its
    folded keys as word prefixes; all terms."""
    parts, params = [], []
    for term, keys in zip(terms, term_keys(terms)):
        alternatives = [f"websearch_to_tsquery('{config}'::regconfig, %s)" for config in LANGUAGE_CONFIGS.values()]
        params += [term] * len(LANGUAGE_CONFIGS)
        if keys:  # keys are [a-z0-9]+ only (folding), safe inside a tsquery
            alternatives.append("to_tsquery('simple'::regconfig, %s)")
            params.append(" & ".join(f"{k}:*" if len(k) >= PREFIX_MIN else k for k in keys))
        parts.append("(" + " || ".join(alternatives) + ")")
    return " && ".join(parts) or "''::tsquery", params


class _Document(Expression):
    """`search_document @@ query` or `ts_rank(search_document, query)` on the query's own table, whatever
    alias it has (a subquery renames it), with the words as parameters."""

    template = {"matches": "{column} @@ ({query})", "rank": "ts_rank({column}, {query})"}

    def __init__(self, what: str, terms):
        super().__init__(output_field=BooleanField() if what == "matches" else FloatField())
        self.what, self.terms = what, list(terms)

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        query, params = tsquery(self.terms)
        return self.template[self.what].format(column=f'{alias}."search_document"', query=query), params


def matches(model, terms) -> Expression:
    return _Document("matches", terms)


def _rank(terms) -> Expression:
    return _Document("rank", terms)


def few_matching(clauses: QuerySet, terms, text: str, few: int) -> list[int] | None:
    """The ids of every agreement the search finds for `terms` (or whose slug contains `text`), when they
    are at most `few`; None when there are more (or `text` is too short for the slug's trigram index).

    One query of three capped reads through indexes (the agreements' and current clauses' GIN indexes, the
    slug's trigram index), each stopping after `few` + 1 rows: a rare word ("zebra") is then filtered as
    its few agreements, ranked in slug order by the page, instead of walking every agreement in slug order
    to prove that no other matches; a common word stops each read early and keeps the walk, which finds a
    page of matches after a few rows. `clauses`: the current clauses (agreements.queries.search).

    The planner reads the clauses by a scan that stops after few + 1 matches, rare word or common: for a word
    in few texts or none, that scan reads the whole table (22.6 s at a million agreements, a 503 for anonymous
    callers from 100,000 on, measured). So a word in no text of the registry (`found_nowhere`, from the registry's
    words) is read from the indexes' bitmaps at once (3.8 ms in the index at a million), and for any other the
    scan gets `SCAN_MS`, after which a word it has not found often enough is read from the bitmaps too."""
    if len(text) < 3:  # no trigram to look up: the slug's index would be read whole
        return None
    # Read one after the other until few + 1 rows in all: the clauses first, where a common word shows soonest
    # (a scan of the table that stops early), so that the agreements' GIN index, whose bitmap holds every
    # match before the first row comes out, is not read for a word in half the clauses.
    reads = [
        clauses.filter(matches(ClauseVersion, terms)).order_by().values_list("agreement_id")[:few + 1],
        AgreementRecord.objects.filter(slug__icontains=text).order_by().values_list("pk")[:few + 1],
        AgreementRecord.objects.filter(matches(AgreementRecord, terms)).order_by().values_list("pk")[:few + 1],
    ]
    probe = reads[0].union(*reads[1:], all=True)[:few + 1]
    if found_nowhere(terms, probe.db):  # a word in no text: its (empty) posting lists, not a scan of every clause
        return _settled(_read(probe, BITMAPS), few)
    try:
        ids = _read(probe, {"statement_timeout": f"{SCAN_MS}ms"})
    except OperationalError as exc:
        if not is_timeout(exc):
            raise
        # The scan ran out of its time: the word is rare (or found nowhere), and its few matches are read from
        # the indexes' bitmaps, which hold them all at once (a word in no text: 3.8 ms at 1,000,000 agreements,
        # where the scan read all 13.5M clause versions, 22.6 s).
        ids = _read(probe, BITMAPS)
    return _settled(ids, few)


def _settled(ids: list[int], few: int) -> list[int] | None:
    return sorted(set(ids)) if len(ids) <= few else None


BITMAPS = {"enable_seqscan": "off", "enable_indexscan": "off"}  # a probe read from the GIN indexes' bitmaps only
LEXEME = re.compile(r"'((?:[^']|'')*)'")  # a lexeme in a tsquery's text


def found_nowhere(terms, db: str) -> bool:
    """Whether some term can match no text of the registry, judged from the registry's words (`pacta_search_word`:
    every folded word of every text, kept by triggers): none of the term's forms begins any of them. A form is a
    folded key of the term, or one of its stems in a language the registry stems, folded and cut by a letter (a
    stemmer may change a word's last letter: "happy" -> "happi"). Short reads through the words' indexes, where
    a scan for a word in no text reads every current clause (a million agreements: 13.5M rows, 22.6 s).

    One read asks for the terms' own keys and their stems at once; a second looks the stems up only for a term
    whose own keys begin no word (a common word costs one round trip, a word in no text two).

    A misjudgment costs time, never a result: a term judged found is read as any other word is (the scan, then
    the bitmaps), and the bitmaps of a term judged nowhere are exact. It leans to "found": a form too short to
    look up (under PREFIX_MIN letters) counts as found."""
    if not terms:
        return False
    own = [[_form(key, cut=False) for key in keys] for keys in term_keys(terms)]
    own_forms = sorted({form for forms in own for form in forms if form})
    stem_sql = [f"websearch_to_tsquery('{config}'::regconfig, %s)::text" for _ in terms
                for config in LANGUAGE_CONFIGS.values()]
    with connections[db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join([_BEGINS_A_WORD] * len(own_forms) + stem_sql),
                       [f"{form}%" for form in own_forms] + [term for term in terms for _ in LANGUAGE_CONFIGS])
        row = cursor.fetchone()
        found = dict(zip(own_forms, row[:len(own_forms)]))
        found[None] = True  # a form too short to look up
        stems = row[len(own_forms):]
        per_term = []
        for index, forms in enumerate(own):
            if all(found[form] for form in forms):
                continue  # its own keys begin words: found, whatever its stems
            texts = stems[index * len(LANGUAGE_CONFIGS):(index + 1) * len(LANGUAGE_CONFIGS)]
            alternatives = [[_form(fold_word(lexeme.replace("''", "'")), cut=True) for lexeme in LEXEME.findall(text)]
                            for text in texts]
            per_term.append([stemmed for stemmed in alternatives if stemmed])
        looked_up = sorted({form for alternatives in per_term for forms in alternatives for form in forms
                            if form not in found})
        if looked_up:
            cursor.execute("SELECT " + ", ".join([_BEGINS_A_WORD] * len(looked_up)), [f"{form}%" for form in looked_up])
            found.update(zip(looked_up, cursor.fetchone()))
    return any(all(not all(found[form] for form in forms) for forms in alternatives) for alternatives in per_term)


_BEGINS_A_WORD = "EXISTS (SELECT 1 FROM pacta_search_word WHERE word LIKE %s)"


def _form(key: str, cut: bool) -> str | None:
    """What a form of a term is looked up by: a beginning of a word (None: too short to look up)."""
    form = key[:-1] if cut and len(key) > PREFIX_MIN else key
    return form if len(form) >= PREFIX_MIN else None


# How long the probe's scan may look for a word's first few + 1 matches before the indexes are asked instead. A
# word in many clauses fills them within a few pages of the table (3 ms at 1,000,000 agreements, bench.scale);
# the planner cannot tell a rare word from a common one (it estimates every word it has no statistics for at
# 0.5% of the rows), so the scan it chooses for both is cut short here for the rare one.
SCAN_MS = 150


def _read(probe: QuerySet, settings: dict) -> list[int]:
    """The probe's ids, read under `settings` (PostgreSQL's, for this read only) on the database the probe reads
    from (a read replica for the public, when there are replicas: registry.replicas).

    The settings are set in one statement inside a savepoint that is then rolled back, whether the read ends,
    fails or is cancelled: the read wrote nothing, and the rollback takes the settings with it (a setting made
    local to a savepoint that is released would last to the end of an outer transaction)."""
    with transaction.atomic(using=probe.db), connections[probe.db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join("set_config(%s, %s, true)" for _ in settings),
                       [part for setting in settings.items() for part in setting])
        ids = [pk for (pk,) in probe]
        transaction.set_rollback(True, using=probe.db)
    return ids


def ranked_agreements(agreements: QuerySet, terms, n: int, candidates: int):
    """The best `n` of the first `candidates` matching agreements, with their ranks."""
    return _ranked(agreements, terms, n, candidates, ("earliest_date", "slug"))


def ranked_clauses(clauses: QuerySet, terms, n: int, candidates: int):
    """The best `n` of the first `candidates` matching clauses, with their ranks."""
    return _ranked(clauses, terms, n, candidates, ("agreement__earliest_date", "agreement__slug", "sort_key"),
                   related=("agreement",))


# What a hit shows of its rows (agreements.queries.search.SearchHit, and the pages and the API that show hits):
# the rest of a row (its status dates, its bookkeeping, its folded text) is not read for the hits of a page.
SHOWN = {
    AgreementRecord: ("slug", "work_uri", "title", "titles", "kind", "summary", "work_date", "earliest_date"),
    ClauseVersion: ("agreement", "eid", "number", "heading", "text", "text_kind", "language", "sort_key"),
}


def _ranked(rows: QuerySet, terms, n: int, cap: int, order: tuple, related: tuple = ()) -> list[tuple]:
    """(row, rank) of the best `n` of the first `cap` rows of `rows` that match, best rank first, then in
    `order` (PostgreSQL's: a missing date last). Two reads:

    1. the candidates: the first `cap` matches in the order the plan reads them, never sorted, each with its
       rank and the columns it is ordered by, and nothing else (`_read_candidates`);
    2. the `n` best of them by primary key, with what a hit shows of them (`SHOWN`).

    Ranking the candidates where they are read, rather than reading them again by primary key to rank and
    sort them whole, is what keeps a word found in one agreement of a hundred from costing three more index
    probes per candidate (EXPLAIN ANALYZE at 100,000 agreements: 11,000 buffers for a thousand candidates,
    against 4,000 read this way; bench/languages.py)."""
    model = rows.model
    found = rows.filter(matches(model, terms)).order_by().annotate(rank=_rank(terms))
    candidates = _read_candidates(found.values_list("pk", "rank", *order)[:cap])
    best = sorted(candidates, key=lambda row: (-row[1], *(_ascending(value) for value in row[2:])))[:n]
    shown = [*SHOWN[model], *(f"{name}__{field}" for name in related for field in SHOWN[AgreementRecord])]
    whole = model.objects.select_related(*related).only(*shown).in_bulk([row[0] for row in best])
    return [(whole[pk], float(rank)) for pk, rank, *_ in best if pk in whole]


def _ascending(value) -> tuple:
    """A sort key that puts a missing value last, as PostgreSQL's ascending order does."""
    return (value is None, value if value is not None else 0)


ROUGH = 4  # how far PostgreSQL's estimate of a word's matches may be too high (read_for)

# The two reads of a word's candidates (`read_for`), each as the planner methods it turns off for one query.
READS = {
    # the table read in its own order, stopping at the cap, each candidate's agreement found by primary key; from
    # the table's first page: a scan of a table larger than a quarter of shared_buffers otherwise starts where
    # the last one stopped (synchronized scans), so that each search read pages no search had read before it
    # (EXPLAIN ANALYZE at 100,000 agreements: 90 pages from outside shared_buffers, and other hits each time)
    "table order": ("enable_bitmapscan", "enable_hashjoin", "enable_mergejoin", "synchronize_seqscans"),
    # the GIN index's bitmap of every match, then the table's pages holding them
    "index": ("enable_seqscan", "enable_indexscan"),
}


def read_for(estimate: float, cap: int, rows: float) -> str:
    """The read of `READS` that stops soonest for a word PostgreSQL estimates in `estimate` of the table's
    `rows` rows, when `cap` candidates are read.

    A query's several stems and prefix leave PostgreSQL's estimate of its matches rough, so the choice is
    made here from that estimate, between two reads that both stop at the cap:
    - "index": a bitmap of the GIN index's matches, then the table's pages holding them: costs the word's
      whole posting list (a word in one agreement of a hundred: a thousand entries at 100,000 agreements);
    - "table order": the table read in its own order, stopping at the cap: costs cap / share rows (a word in
      a quarter of the clauses: 800 rows for 200 candidates, where its posting list holds 50,000 entries).
    The second wins when matches² > cap × rows; the estimate was found four times too high for a word in one
    agreement of a hundred, so the table is read only past `ROUGH` times that. The index walk in agreement
    order that PostgreSQL chose for a word in one agreement of a hundred (it read every clause at 100,000
    agreements, bench/languages.py) is never offered."""
    return "table order" if estimate * estimate > ROUGH * cap * rows else "index"


def _read_candidates(rows: QuerySet) -> list:
    """The rows (a capped read of matches, never sorted), read the way that stops soonest for this word
    (`read_for`), as tuples."""
    sql, params = rows.query.sql_with_params()
    table = rows.model._meta.db_table
    with transaction.atomic(using=rows.db), connections[rows.db].cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        estimate = max((node.get("Plan Rows", 0) for node in _plan_nodes(cursor.fetchone()[0][0]["Plan"])
                        if node.get("Relation Name") == table), default=0)
        cursor.execute("SELECT greatest(reltuples, 1) FROM pg_class WHERE oid = %s::regclass", [table])
        total = cursor.fetchone()[0]
        for setting in READS[read_for(estimate, rows.query.high_mark or 1, total)]:
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute(sql, params)  # the query planned above, its rows as they come (no model to build)
        found = cursor.fetchall()
        for setting in sorted({setting for settings in READS.values() for setting in settings}):
            cursor.execute(f"RESET {setting}")  # SET LOCAL outlives a savepoint: an outer transaction goes on
    return found


def _plan_nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _plan_nodes(child)


def nearest_key(key: str) -> str | None:
    """The registry's folded key nearest to `key` (None: `key` is known, or nothing is near), read where the
    registry's texts are read (a replica for the public)."""
    with connections[router.db_for_read(AgreementRecord)].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pacta_search_word WHERE word = %s", [key])
        if cursor.fetchone():
            return None
        cursor.execute(
            "SELECT word, similarity(word, %s) FROM pacta_search_word WHERE word %% %s "
            "ORDER BY similarity(word, %s) DESC, word LIMIT 10", [key, key, key])
        return nearest(key, cursor.fetchall())
