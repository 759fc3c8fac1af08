"""Refuse TRUNCATE on the events table (a statement-level trigger; the row triggers never see a TRUNCATE)."""

from django.db import migrations

from registry.eventstore import triggers


def install(apps, schema_editor):
    triggers.install(schema_editor.connection)  # idempotent: drops and re-creates every trigger of triggers.py


def remove_truncate_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS pacta_event_no_truncate ON pacta_event;")


class Migration(migrations.Migration):
    # Renumbered into one line of history after the hash chain (written side by side, independent of each
    # other); a database that applied the old names counts this one as applied.
    replaces = [("eventstore", "0003_harden_no_truncate"), ("eventstore", "0004_merge_truncate_and_chain")]
    dependencies = [("eventstore", "0003_store_hash_chain")]

    operations = [migrations.RunPython(install, remove_truncate_trigger)]
