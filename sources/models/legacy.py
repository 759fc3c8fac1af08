"""Source keys for events written, before the fix, with a source's database id instead of its key.

Until December 2026 the admin's citation form stored the source's id (`"source": "10"`) in `CitationAttached`
events, where seeds, importers and the API stored its key. Ids belong to one database: on a `follow` copy or a
restored backup, id 10 is another source or none. The command now refuses ids, and events already stored keep
their bytes (the log is append-only and hash-chained), so the key each such event meant is kept here, by the
event's id (the same on every copy):
- on the instance that wrote them, migration `sources.0004` resolves each id through the sources table as it
  was then (the history table for a source deleted since);
- a copy receives them with the feed (`legacy_source_key` beside the payload) and `follow` stores them.
The mapper (`agreements.eventmapper`) reads an event's key from here whenever it reads such an event.
"""

from django.db import models


class LegacySourceKey(models.Model):
    event_id = models.UUIDField(primary_key=True, help_text="The CitationAttached event that named an id.")
    source_id = models.BigIntegerField(help_text="The database id the event names, on the instance that wrote it.")
    key = models.CharField(max_length=100, help_text="The key of the source that id named there.")

    class Meta:
        db_table = "pacta_legacy_source_key"
        verbose_name = "source key of an event that named a database id"

    def __str__(self):
        return f"{self.event_id}: {self.source_id} -> {self.key}"


def legacy_source_keys(event_ids) -> dict[str, str]:
    """{event id: source key} for those of `event_ids` that named a database id."""
    ids = [str(event_id) for event_id in event_ids]
    if not ids:
        return {}
    return {str(row.event_id): row.key for row in LegacySourceKey.objects.filter(event_id__in=ids)}


def remember_legacy_source_keys(keys: dict[str, tuple[int, str]]) -> None:
    """Store {event id: (id, key)} as received from the instance that wrote those events (a copy's `follow`)."""
    for event_id, (source_id, key) in keys.items():
        LegacySourceKey.objects.update_or_create(event_id=event_id, defaults={"source_id": source_id, "key": key})
