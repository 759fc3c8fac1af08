from django.db import models
from django.utils.translation import gettext_lazy

SEVERITIES = [("error", gettext_lazy("Error")), ("warning", gettext_lazy("Warning")), ("info", gettext_lazy("Info"))]
SUBJECT_TYPES = [
    ("agreement", gettext_lazy("Agreement")),
    ("clause", gettext_lazy("Clause")),
    ("reference", gettext_lazy("Cross-reference")),
    ("relation", gettext_lazy("Relation")),
    ("lifecycle", gettext_lazy("Lifecycle fact")),
    ("citation", gettext_lazy("Citation")),
    ("source", gettext_lazy("Source")),
]


class Finding(models.Model):
    """A problem a check found. Re-running a check updates its row (by `key`); a fixed problem is resolved."""

    key = models.CharField(gettext_lazy("key"), max_length=500, unique=True,
                           help_text=gettext_lazy("code + subject: one row per problem"))
    scope = models.CharField(
        gettext_lazy("scope"), max_length=300, blank=True, default="", db_index=True,
        help_text=gettext_lazy("What one run of a check covers (e.g. one clause's references): a run resolves the "
                               "open findings of its scope that it no longer finds."),
    )
    code = models.CharField(gettext_lazy("code"), max_length=100, db_index=True)
    severity = models.CharField(gettext_lazy("severity"), max_length=10, choices=SEVERITIES)
    subject_type = models.CharField(gettext_lazy("subject type"), max_length=20, choices=SUBJECT_TYPES)
    agreement = models.ForeignKey(
        "agreements.AgreementRecord", null=True, blank=True, on_delete=models.CASCADE, related_name="findings",
        verbose_name=gettext_lazy("agreement"),
    )
    source = models.ForeignKey("sources.Source", null=True, blank=True, on_delete=models.CASCADE, related_name="findings",
                               verbose_name=gettext_lazy("source"))
    subject = models.CharField(gettext_lazy("subject"), max_length=500, blank=True, default="",
                               help_text=gettext_lazy("eid, citation id, relation..."))
    message = models.TextField(gettext_lazy("message"))
    first_seen = models.DateTimeField(gettext_lazy("first seen"))
    last_seen = models.DateTimeField(gettext_lazy("last seen"))
    resolved_at = models.DateTimeField(gettext_lazy("resolved at"), null=True, blank=True)

    class Meta:
        db_table = "pacta_finding"
        ordering = ["-last_seen"]
        verbose_name = gettext_lazy("finding")
        verbose_name_plural = gettext_lazy("findings")
        indexes = [models.Index(fields=["agreement", "resolved_at"], name="finding_open_idx")]

    def __str__(self):
        return f"[{self.severity}] {self.code}: {self.message}"

    @property
    def is_open(self):
        return self.resolved_at is None


class ValidationRun(models.Model):
    """One validation job as a worker ran it: the ledger that makes a job idempotent.

    A job is identified by its outbox job id (or the Celery task id for beat's sweeps). A delivery of a
    job that has already finished is skipped and counted in `duplicates`; `executions` counts the times a
    worker started it (more than one only when a worker died or a retry ran it again).
    """

    job_id = models.UUIDField(unique=True)
    task = models.CharField(max_length=200)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    executions = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "pacta_validation_run"
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["task", "finished_at"], name="validation_run_task_idx")]

    def __str__(self):
        return f"{self.task} {self.job_id}"
