from django.conf import settings
from django.db import models


class IdempotencyKey(models.Model):
    """One key a user sent on one endpoint, the fingerprint of that request and the response it got.

    The row is inserted in the same transaction as the write it guards, so it exists exactly when the write
    does: a refused request (4xx) leaves no key behind, and a retry is decided afresh.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=300, help_text="The endpoint: an agreement's commands, or drafting.")
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the method, path and JSON body.")
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "pacta_idempotency_key"
        constraints = [models.UniqueConstraint(fields=["user", "scope", "key"], name="idempotency_key_unique")]

    def __str__(self):
        return f"{self.key} ({self.scope})"
