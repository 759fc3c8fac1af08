"""Rows the operators' tools keep: how far a read-only copy has followed its primary."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CopyStatus(models.Model):
    """One row on an instance that follows another (`manage.py follow`): when it last caught up.

    Its lag behind the primary is the time since the last pass that reached the end of the primary's feed;
    readiness and the `pacta_copy_lag_seconds` metric read it. An instance that follows nothing has no row.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    caught_up_at = models.DateTimeField(_("caught up at"), null=True, blank=True,
                                        help_text=_("end of the last pass that read the whole feed"))
    head_position = models.BigIntegerField(_("head position"), default=0, help_text=_("this copy's head then"))
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True, default="")

    class Meta:
        db_table = "pacta_copy_status"
        verbose_name = _("copy status")
        verbose_name_plural = _("copy status")

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


class DeadLetter(models.Model):
    """A Celery job that failed for good: its retries used up, another error, or killed by its time limit.

    Written by the worker (registry/ops/jobs.py) so that no job dies in silence: the admin lists them with
    their error and a "run again" action, `pacta_dead_letters` counts the open ones, and readiness fails when
    PACTA_READY_MAX_DEAD_LETTERS of them pile up. A job that dies again under the same task id counts
    another failure on the same row.
    """

    task = models.CharField(_("task"), max_length=200)
    task_id = models.CharField(_("task id"), max_length=200, unique=True)
    args = models.JSONField(_("positional arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    error = models.TextField(_("error"), help_text=_("the exception's type and message"))
    traceback = models.TextField(_("traceback"), blank=True, default="")
    failures = models.PositiveIntegerField(_("failures"), default=1, help_text=_("times the job ended here"))
    retries = models.PositiveIntegerField(_("retries"), default=0, help_text=_("retries Celery made before the last failure"))
    request_id = models.CharField(_("request id"), max_length=128, blank=True, default="",
                                  help_text=_("X-Request-ID that enqueued it"))
    first_failed_at = models.DateTimeField(_("first failed at"))
    last_failed_at = models.DateTimeField(_("last failed at"))
    requeued_at = models.DateTimeField(_("run again at"), null=True, blank=True, help_text=_("when someone ran it again"))

    class Meta:
        db_table = "pacta_dead_letter"
        ordering = ["-last_failed_at"]
        verbose_name = _("dead letter")
        verbose_name_plural = _("dead letters")
        indexes = [models.Index(fields=["requeued_at"], name="dead_letter_open_idx")]

    def __str__(self):
        return f"{self.task} {self.task_id}"
