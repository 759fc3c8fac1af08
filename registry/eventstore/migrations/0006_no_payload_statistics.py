"""PostgreSQL keeps no planner statistics on the events' payloads.

No query filters or sorts on a payload (reads go by position, stream, type and record time), yet ANALYZE of the
events table spent half its time sampling and detoasting the payloads: a bulk load refreshes the statistics of
what it loaded (registry.statistics), so that half was paid by every large load, and by autovacuum. SET STATISTICS
0 leaves the column out of ANALYZE; every other column keeps its statistics. SQLite has no such setting (and its
loads refresh nothing). A migration states one change at one point of the schema's history, so it names the
database it applies to itself rather than asking code that may change later.
"""

from django.db import migrations


def without_payload_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE pacta_event ALTER COLUMN payload SET STATISTICS 0")


def with_payload_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE pacta_event ALTER COLUMN payload SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("eventstore", "0005_transparency_log")]

    operations = [migrations.RunPython(without_payload_statistics, with_payload_statistics)]
