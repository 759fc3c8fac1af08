"""The search's GIN indexes (PostgreSQL) take each new row at once: `fastupdate = off`, and the list of rows
waiting to enter them emptied.

With `fastupdate` on (PostgreSQL's default) a GIN index gathers new rows in a pending list, unsorted, up to
`gin_pending_list_limit` (4 MB), until a vacuum sorts them in; every search reads that whole list. Measured at
100,000 agreements (bench/languages.py, EXPLAIN ANALYZE), a word found in five agreements read 429 pending pages
of the agreements' index and 481 of the clauses' (about 20 ms, most of the search) where 18 pages of the index
itself were enough: the search grew with the corpus's recent writes and with how long ago a vacuum last ran.
The registry writes little and searches much, so each write pays its index entries instead of every search.
"""

from django.db import migrations

INDEXES = ["agreement_document_idx", "clause_version_document_idx", "search_word_trigram_idx",
           "agreement_slug_trgm_idx"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in INDEXES:
            schema_editor.execute(f"ALTER INDEX IF EXISTS {index} SET (fastupdate = off)")
            schema_editor.execute(f"SELECT gin_clean_pending_list(to_regclass('{index}')) "
                                  f"WHERE to_regclass('{index}') IS NOT NULL")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in INDEXES:
            schema_editor.execute(f"ALTER INDEX IF EXISTS {index} RESET (fastupdate)")


class Migration(migrations.Migration):

    dependencies = [
        ('agreements', '0011_translatable_agreement_names'),
    ]

    operations = [
        migrations.RunPython(forward, backward, elidable=False),
    ]
