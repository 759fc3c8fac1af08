from django.db import migrations

from registry.eventstore import triggers


def install(apps, schema_editor):
    triggers.install(schema_editor.connection)


def remove(apps, schema_editor):
    triggers.remove(schema_editor.connection)


def create_counter(apps, schema_editor):
    apps.get_model("eventstore", "PositionCounter").objects.get_or_create(id=1, defaults={"position": 0})


class Migration(migrations.Migration):
    dependencies = [("eventstore", "0001_initial")]

    operations = [
        migrations.RunPython(install, remove),
        migrations.RunPython(create_counter, migrations.RunPython.noop),
    ]
