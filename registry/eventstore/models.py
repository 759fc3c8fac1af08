from django.conf import settings
from django.db import models


class StoredEvent(models.Model):
    """One immutable event. Triggers reject UPDATE and DELETE (see triggers.py)."""

    position = models.BigIntegerField(primary_key=True)
    stream_id = models.CharField(max_length=200)
    stream_version = models.PositiveIntegerField()
    event_id = models.UUIDField(unique=True)
    type = models.CharField(max_length=100)
    schema_version = models.PositiveSmallIntegerField(default=1)
    payload = models.JSONField()
    effective = models.CharField(max_length=100, blank=True, default="")
    recorded_at = models.DateTimeField()
    actor = models.CharField(max_length=150, blank=True, default="")
    causation_id = models.CharField(max_length=200, blank=True, default="")
    correlation_id = models.CharField(max_length=200, blank=True, default="")
    # The hash chain (chain.py): this event's link to the one before it in position order.
    prev_hash = models.CharField(max_length=64, default="")
    hash = models.CharField(max_length=64, default="")

    class Meta:
        db_table = "pacta_event"
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["stream_id", "stream_version"], name="event_stream_version_unique"),
        ]
        indexes = [
            models.Index(fields=["causation_id"], name="event_causation_idx"),
            models.Index(fields=["recorded_at"], name="event_recorded_at_idx"),
        ]

    def __str__(self):
        return f"#{self.position} {self.stream_id} v{self.stream_version} {self.type}"


class PositionCounter(models.Model):
    """The single row whose UPDATE hands out global positions: its row lock orders commits."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    position = models.BigIntegerField(default=0)
    recorded_at = models.DateTimeField(null=True)
    head_hash = models.CharField(max_length=64, default="0" * 64)  # the hash of the event at `position`

    class Meta:
        db_table = "pacta_event_position"
