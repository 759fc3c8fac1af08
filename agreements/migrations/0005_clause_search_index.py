"""A GIN index for clause full-text search, on PostgreSQL only.

The index is built on the same document the browser's search reads (agreements.queries.search.SEARCH_FIELDS in
SEARCH_CONFIG), so PostgreSQL can use it. Other databases (SQLite) skip it and search with icontains.
The model state is not touched: the index is an implementation detail of PostgreSQL search.
"""

from django.db import migrations

INDEX_NAME = "clause_version_search_idx"


def _index():
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    return GinIndex(SearchVector("heading", "text", config="english"), name=INDEX_NAME)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_index(apps.get_model("agreements", "ClauseVersion"), _index())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("agreements", "ClauseVersion"), _index())


class Migration(migrations.Migration):
    dependencies = [("agreements", "0003_findings")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
