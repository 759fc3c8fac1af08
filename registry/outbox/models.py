import uuid

from django.db import models


class OutboxJob(models.Model):
    """A job for a Celery task, stored in the same transaction as the events that caused it.

    The relay marks it sent once the broker has taken it; unsent jobs are retried, so nothing is lost
    while the broker is down and a write never waits for it.
    """

    job_id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    task = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    # The X-Request-ID of the request that enqueued the job (registry/ops/request_id.py): sent as the task's
    # `request_id` header, so the worker's log lines carry it too.
    request_id = models.CharField(max_length=128, blank=True, default="")

    class Meta:
        db_table = "pacta_outbox"
        ordering = ["created_at"]
        indexes = [models.Index(fields=["sent_at", "created_at"], name="outbox_unsent_idx")]

    def __str__(self):
        return f"{self.task} {self.job_id}"
