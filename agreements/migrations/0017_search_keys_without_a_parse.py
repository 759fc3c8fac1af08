"""The search documents (PostgreSQL) take the folded keys as they are, without a second parse, and a clause version
holds a document only where the search reads it.

What a document is made of (migration 0010): each text stemmed in its own language (a parse by the text search
parser, then a dictionary per word), and the folded keys of `search_text` under `simple`. The keys are already
words, [a-z0-9]+ separated by single spaces (agreements.domain.folding), so parsing them again only found the
same words at a parser's cost: a third of a clause version's document (30 of 75 us per 150-character clause,
measured over 24,000 rows of bench.bulk), and the generated document about two thirds of what a clause version's
row costs to COPY. Now the keys go in as lexemes by `array_to_tsvector`, the same words (6 us). What they no
longer carry is their positions: a key matched is ranked once at weight D (what `setweight(..., 'D')` gave a key
found once; a key repeated no longer adds the small 1/n² terms of its later occurrences), and the words of the
query's own languages keep their positions and weights, so phrases and ranking by the stemmed words are as they
were. Every search test matches as before, on both databases.

A clause version's document is NULL where no search reads it: a version known to be superseded (`known_to` set)
or a repeal (`repealed`). The search reads only each clause's current version (agreements.queries.search
`current_clauses`), and the GIN index holds only those rows (its predicate is the same), so these documents were
computed and stored for nothing; a version corrected later has its document recomputed to NULL by the UPDATE
that sets `known_to`. A version superseded in valid time only (a later amendment) keeps its document: whether it
is in force depends on today's date, which a stored column cannot read.
"""

from django.db import migrations

CONFIG_OF_LANGUAGE = (
    "CASE split_part(lower(coalesce(language, 'en')), '-', 1) WHEN 'tr' THEN 'turkish'::regconfig "
    "WHEN 'ru' THEN 'russian'::regconfig WHEN 'az' THEN 'pacta_az'::regconfig ELSE 'english'::regconfig END")
# The folded keys as lexemes: split on the single spaces between them (the first key has one before it).
KEYS = "array_to_tsvector(array_remove(string_to_array(coalesce(search_text, ''), ' '), ''))"
KEYS_PARSED = "setweight(to_tsvector('simple'::regconfig, coalesce(search_text, '')), 'D')"


def clause_document(keys: str, searched_only: bool) -> str:
    document = (f"setweight(to_tsvector({CONFIG_OF_LANGUAGE}, coalesce(heading, '')), 'A') "
                f"|| setweight(to_tsvector({CONFIG_OF_LANGUAGE}, coalesce(text, '')), 'B') || {keys}")
    return f"CASE WHEN known_to IS NULL AND NOT repealed THEN {document} END" if searched_only else document


def agreement_document(keys: str) -> str:
    return ("setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') "
            "|| setweight(jsonb_to_tsvector('english'::regconfig, coalesce(titles, '{}'::jsonb), '[\"string\"]'), 'A') "
            "|| setweight(to_tsvector('turkish'::regconfig, coalesce(titles->>'tr', '')), 'A') "
            "|| setweight(to_tsvector('russian'::regconfig, coalesce(titles->>'ru', '')), 'A') "
            "|| setweight(to_tsvector('pacta_az'::regconfig, coalesce(titles->>'az', '')), 'A') "
            "|| setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B') "
            f"|| {keys}")


def documents(clause: str, agreement: str) -> str:
    """Both columns rebuilt with these expressions, and their GIN indexes as migrations 0010 and 0012 left them."""
    return f"""
ALTER TABLE pacta_clause_version DROP COLUMN IF EXISTS search_document;
ALTER TABLE pacta_clause_version ADD COLUMN search_document tsvector GENERATED ALWAYS AS ({clause}) STORED;
CREATE INDEX clause_version_document_idx ON pacta_clause_version USING gin (search_document)
    WITH (fastupdate = off) WHERE known_to IS NULL AND NOT repealed;
ALTER TABLE pacta_agreement DROP COLUMN IF EXISTS search_document;
ALTER TABLE pacta_agreement ADD COLUMN search_document tsvector GENERATED ALWAYS AS ({agreement}) STORED;
CREATE INDEX agreement_document_idx ON pacta_agreement USING gin (search_document) WITH (fastupdate = off);
"""


FORWARD = documents(clause_document(KEYS, searched_only=True), agreement_document(KEYS))
BACKWARD = documents(clause_document(KEYS_PARSED, searched_only=False), agreement_document(KEYS_PARSED))


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):

    dependencies = [
        ('agreements', '0016_party_rows_in_slug_order'),
    ]

    operations = [
        migrations.RunPython(forward, backward, elidable=False),
    ]
