"""Refuse TRUNCATE on the events table (a statement-level trigger; the row triggers never see a TRUNCATE)."""

from django.db import migrations

from registry.eventstore import triggers


def install(apps, schema_editor):
    triggers.install(schema_editor.connection)  # idempotent: drops and re-creates every trigger of triggers.py


def remove_truncate_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS pacta_event_no_truncate ON pacta_event;")


class Migration(migrations.Migration):
    dependencies = [("eventstore", "0002_immutability_triggers")]

    operations = [migrations.RunPython(install, remove_truncate_trigger)]
