"""Rows the operators' tools keep: how far a read-only copy has followed its primary."""

from django.db import models


class CopyStatus(models.Model):
    """One row on an instance that follows another (`manage.py follow`): when it last caught up.

    Its lag behind the primary is the time since the last pass that reached the end of the primary's feed;
    readiness and the `pacta_copy_lag_seconds` metric read it. An instance that follows nothing has no row.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    caught_up_at = models.DateTimeField(null=True, blank=True, help_text="end of the last pass that read the whole feed")
    head_position = models.BigIntegerField(default=0, help_text="this copy's head then")
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        db_table = "pacta_copy_status"
        verbose_name_plural = "copy status"

    def __str__(self):
        return f"copy at {self.head_position}, caught up {self.caught_up_at}"


def record_copy_pass(head_position: int | None = None, error: str = "") -> None:
    """`manage.py follow` after each pass: caught up (with its head) or not (with the error's kind)."""
    from django.utils import timezone

    now = timezone.now()
    values = {"last_attempt_at": now, "last_error": error[:500]}
    if not error:
        values.update(caught_up_at=now, head_position=head_position or 0)
    CopyStatus.objects.update_or_create(pk=1, defaults=values)
