"""Keep the key each stored CitationAttached event meant when it named a source by its database id.

Only events written on this instance (a non-empty actor: `follow` stores copied events with none) are mapped,
through this instance's sources table, or its history for a source deleted since; a copy receives the keys of
its primary's events with the feed. See sources/models/legacy.py.
"""

import sources.models.sources
from django.db import migrations, models


def map_ids_to_keys(apps, schema_editor):
    StoredEvent = apps.get_model("eventstore", "StoredEvent")
    Source = apps.get_model("sources", "Source")
    HistoricalSource = apps.get_model("sources", "HistoricalSource")
    LegacySourceKey = apps.get_model("sources", "LegacySourceKey")
    named = {}
    for event_id, payload in (StoredEvent.objects.filter(type="CitationAttached", schema_version=1)
                              .exclude(actor="").values_list("event_id", "payload").iterator()):
        value = str((payload or {}).get("source", ""))
        if value.isascii() and value.isdigit() and len(value) < 19:
            named[event_id] = int(value)
    if not named:
        return
    keys = dict(Source.objects.filter(pk__in=set(named.values())).values_list("pk", "key"))
    for row in HistoricalSource.objects.filter(id__in=set(named.values()) - set(keys)).order_by("history_date"):
        keys[row.id] = row.key  # the latest historical key of a source deleted since
    LegacySourceKey.objects.bulk_create([
        LegacySourceKey(event_id=event_id, source_id=source_id, key=keys[source_id])
        for event_id, source_id in named.items() if source_id in keys
    ], ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ('sources', '0003_parties_join_reference_data'),
        ('eventstore', '0004_harden_no_truncate'),
    ]

    operations = [
        migrations.CreateModel(
            name='LegacySourceKey',
            fields=[
                ('event_id', models.UUIDField(help_text='The CitationAttached event that named an id.', primary_key=True, serialize=False)),
                ('source_id', models.BigIntegerField(help_text='The database id the event names, on the instance that wrote it.')),
                ('key', models.CharField(help_text='The key of the source that id named there.', max_length=100)),
            ],
            options={
                'verbose_name': 'source key of an event that named a database id',
                'db_table': 'pacta_legacy_source_key',
            },
        ),
        migrations.AlterField(
            model_name='historicalsource',
            name='key',
            field=models.SlugField(help_text='A stable key that citations use (not only digits: that reads as an id).', max_length=100, validators=[sources.models.sources._not_an_id]),
        ),
        migrations.AlterField(
            model_name='source',
            name='key',
            field=models.SlugField(help_text='A stable key that citations use (not only digits: that reads as an id).', max_length=100, unique=True, validators=[sources.models.sources._not_an_id]),
        ),
        migrations.RunPython(map_ids_to_keys, migrations.RunPython.noop),
    ]
