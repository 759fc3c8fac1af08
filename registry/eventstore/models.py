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


class HeldPlaceholder(models.Model):
    """On a copy that cannot see every event of the log it follows (follow with no token): a position hidden
    from it, held by its chain links and its Merkle leaf hash, never its content (store.py). Not an event: the
    events table never holds it, so nothing that reads events sees it. Filled (the row deleted, the event
    inserted, in one transaction) only with the event whose leaf hash and link it holds."""

    position = models.BigIntegerField(primary_key=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    leaf_hash = models.BinaryField(max_length=32)

    class Meta:
        db_table = "pacta_event_placeholder"


class LogHash(models.Model):
    """One stored hash of the RFC 6962 tree over the events (merkle.py's layout: every complete subtree once,
    in the order appending leaves completes them). Written in the append transaction, with the events."""

    id = models.BigIntegerField(primary_key=True)  # merkle.stored_index(level, n)
    hash = models.BinaryField(max_length=32)

    class Meta:
        db_table = "pacta_log_hash"


class LogCheckpoint(models.Model):
    """A signed checkpoint this log issued (C2SP tlog-checkpoint as a signed note, checkpoints.py)."""

    size = models.BigIntegerField(primary_key=True)
    root = models.BinaryField(max_length=32)
    note = models.TextField()  # exactly as served: the body, a blank line, the log's signature line
    signed_at = models.DateTimeField()

    class Meta:
        db_table = "pacta_log_checkpoint"


class LogCosignature(models.Model):
    """A trusted witness's cosignature (C2SP tlog-cosignature) of one of this log's checkpoints."""

    checkpoint = models.ForeignKey(LogCheckpoint, on_delete=models.PROTECT, related_name="cosignatures",
                                   db_column="size")
    witness = models.CharField(max_length=300)  # the witness's verifier key line (name+id+key)
    timestamp = models.BigIntegerField()  # the cosignature's own time (POSIX seconds)
    line = models.TextField()  # the signature line, as published under the checkpoint
    received_at = models.DateTimeField()

    class Meta:
        db_table = "pacta_log_cosignature"
        constraints = [models.UniqueConstraint(fields=["checkpoint", "witness"], name="cosignature_once_per_witness")]


class WitnessedLog(models.Model):
    """On a copy that witnesses another log: the latest checkpoint of it this copy verified and cosigned."""

    origin = models.CharField(max_length=300, primary_key=True)
    size = models.BigIntegerField()
    root = models.BinaryField(max_length=32)
    note = models.TextField()
    cosigned_at = models.DateTimeField()

    class Meta:
        db_table = "pacta_witnessed_log"


def stored_rows(after_position: int = 0, batch: int = 5000):
    """Every stored event after `after_position` as it is stored (no upcasting), in position order, read in
    batches by position: what the chain covers."""
    while True:
        rows = list(StoredEvent.objects.filter(position__gt=after_position).order_by("position")[:batch])
        yield from rows
        if len(rows) < batch:
            return
        after_position = rows[-1].position
