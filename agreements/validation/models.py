from django.db import models

SEVERITIES = [("error", "Error"), ("warning", "Warning"), ("info", "Info")]
SUBJECT_TYPES = [
    ("agreement", "Agreement"),
    ("clause", "Clause"),
    ("reference", "Cross-reference"),
    ("relation", "Relation"),
    ("lifecycle", "Lifecycle fact"),
    ("citation", "Citation"),
    ("source", "Source"),
]


class Finding(models.Model):
    """A problem a check found. Re-running a check updates its row (by `key`); a fixed problem is resolved."""

    key = models.CharField(max_length=500, unique=True, help_text="code + subject: one row per problem")
    code = models.CharField(max_length=100, db_index=True)
    severity = models.CharField(max_length=10, choices=SEVERITIES)
    subject_type = models.CharField(max_length=20, choices=SUBJECT_TYPES)
    agreement = models.ForeignKey(
        "agreements.AgreementRecord", null=True, blank=True, on_delete=models.CASCADE, related_name="findings"
    )
    source = models.ForeignKey("sources.Source", null=True, blank=True, on_delete=models.CASCADE, related_name="findings")
    subject = models.CharField(max_length=500, blank=True, default="", help_text="eid, citation id, relation...")
    message = models.TextField()
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "pacta_finding"
        ordering = ["-last_seen"]
        indexes = [models.Index(fields=["agreement", "resolved_at"], name="finding_open_idx")]

    def __str__(self):
        return f"[{self.severity}] {self.code}: {self.message}"

    @property
    def is_open(self):
        return self.resolved_at is None
