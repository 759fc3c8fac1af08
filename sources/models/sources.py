"""Sources: reference data with history (simple-history), and an optional stored text for quote checking."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from agreements.domain.dates import lower_bound
from agreements.domain.vocabulary import is_database_id

SOURCE_KINDS = [
    ("official_text", gettext_lazy("Official text")),
    ("treaty_database", gettext_lazy("Treaty database")),
    ("news", gettext_lazy("News")),
    ("analysis", gettext_lazy("Analysis")),
]


def _not_an_id(value):
    if is_database_id(value):
        raise ValidationError(gettext_lazy("A key of digits only would read as a database id: add a word (e.g. "
                                           "'un-1945')."))


class Source(models.Model):
    key = models.SlugField(
        gettext_lazy("key"), max_length=100, unique=True, validators=[_not_an_id],
        help_text=gettext_lazy("A stable key that citations use (not only digits: that reads as an id)."))
    title = models.CharField(gettext_lazy("title"), max_length=1000)
    publisher = models.CharField(gettext_lazy("publisher"), max_length=500)
    author = models.CharField(gettext_lazy("author"), max_length=500, blank=True, default="")
    published = models.CharField(gettext_lazy("published"), max_length=100, blank=True, default="",
                                 help_text=gettext_lazy("EDTF date"))
    published_lower = models.DateField(null=True, blank=True, editable=False)
    url = models.URLField(gettext_lazy("address (URL)"), max_length=2000, blank=True, default="")
    accessed = models.CharField(
        gettext_lazy("accessed"), max_length=100, blank=True, default="",
        help_text=gettext_lazy("EDTF date on which the archivist read the source at its address (and took the "
                               "stored text)."))
    language = models.CharField(gettext_lazy("language"), max_length=12, default="en")
    kind = models.CharField(gettext_lazy("kind"), max_length=20, choices=SOURCE_KINDS)
    perspective = models.TextField(gettext_lazy("perspective"), blank=True, default="",
                                   help_text=gettext_lazy("A note on the source's viewpoint."))
    snapshot_text = models.TextField(gettext_lazy("stored text"), blank=True, default="",
                                     help_text=gettext_lazy("Stored text, for quote checking."))
    snapshot_sha256 = models.CharField(gettext_lazy("SHA-256 of the stored text"), max_length=64, blank=True,
                                       default="", editable=False)
    snapshot_taken_at = models.DateTimeField(gettext_lazy("text stored at"), null=True, blank=True, editable=False)
    text_sha256 = models.CharField(
        gettext_lazy("SHA-256 of the checked text"), max_length=64, blank=True, default="",
        help_text=gettext_lazy("SHA-256 of the text the citations were checked against, kept even where that "
                               "text is not stored here: a text supplied later is verified against it, and until "
                               "then the citations are 'not checked' rather than findings."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]
        verbose_name = gettext_lazy("source")
        verbose_name_plural = gettext_lazy("sources")

    def save(self, *args, **kwargs):
        self.published_lower = lower_bound(self.published) if self.published else None
        digest = hashlib.sha256(self.snapshot_text.encode()).hexdigest() if self.snapshot_text else ""
        if digest != self.snapshot_sha256:
            self.snapshot_sha256 = digest
            self.snapshot_taken_at = timezone.now() if digest else None
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.publisher}: {self.title}"


def resolve_source(source) -> "Source | None":
    """A citation names its source by key. Never by id: an id read from an event may be another instance's
    (events that named one are read with their key, see `legacy`)."""
    text = str(source)
    if is_database_id(text):
        return None
    return Source.objects.filter(key=text).first()
