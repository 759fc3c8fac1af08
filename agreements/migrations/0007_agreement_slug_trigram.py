"""A trigram index on the upper-cased slug (PostgreSQL; `pg_trgm`, migration 0006): the API list's `q` also
finds agreements whose slug contains the text (`slug__icontains`, `UPPER(slug) LIKE UPPER('%text%')`), and
`queries.search` counts those matches through this index before it chooses how to filter (a rare word: by
the few ids found; without it, by reading every slug)."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS agreement_slug_trgm_idx ON pacta_agreement "
            "USING gin ((UPPER(slug::text)) gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS agreement_slug_trgm_idx")


class Migration(migrations.Migration):
    # Renumbered into one line of history; a database that applied the old name counts this one as applied.
    replaces = [('agreements', '0014_agreement_slug_trigram')]

    dependencies = [
        ('agreements', '0006_agreement_status_from'),
    ]

    operations = [migrations.RunPython(create, drop)]
