"""Parties: reference data edited directly (not event-sourced), with history by django-simple-history."""

from django.db import models
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from agreements.domain.dates import lower_bound, upper_bound
from agreements.domain.vocabulary import PARTY_KINDS


class Party(models.Model):
    code = models.CharField(
        max_length=32,
        unique=True,
        help_text="ISO 3166-1 alpha-3 for states that have one (TUR, AZE); otherwise a stable registry code.",
    )
    name = models.CharField(max_length=300, help_text="The current (or last) name.")
    kind = models.CharField(max_length=20, choices=[(k, k.capitalize()) for k in PARTY_KINDS])
    iso3166 = models.CharField("ISO 3166 code", max_length=3, blank=True, default="")
    wikidata = models.CharField("Wikidata id", max_length=20, blank=True, default="")
    predecessor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="successors"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="parts",
        help_text="The party this one belongs to, e.g. a ministry's state.",
    )
    note = models.TextField(blank=True, default="")
    # The tables keep the names they had when parties lived in the agreements app: the move was state-only.
    history = HistoricalRecords(table_name="agreements_historicalparty")

    class Meta:
        db_table = "agreements_party"  # named when parties lived in the agreements app; the move copied nothing
        ordering = ["code"]
        verbose_name_plural = gettext_lazy("parties")

    def __str__(self):
        return f"{self.name} ({self.code})"


class PartyName(models.Model):
    """A name a party bore over a span of valid time (Turkey -> Türkiye)."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=300)
    language = models.CharField(max_length=12, default="en")
    valid_from = models.CharField(max_length=100, blank=True, default="", help_text="EDTF")
    valid_to = models.CharField(max_length=100, blank=True, default="", help_text="EDTF; empty while current")
    valid_from_lower = models.DateField(null=True, blank=True, editable=False)
    valid_to_upper = models.DateField(null=True, blank=True, editable=False)
    history = HistoricalRecords(table_name="agreements_historicalpartyname")  # as Party's tables, kept by the move

    class Meta:
        db_table = "agreements_partyname"  # named when parties lived in the agreements app; the move copied nothing
        ordering = ["party", "valid_from_lower"]

    def save(self, *args, **kwargs):
        self.valid_from_lower = lower_bound(self.valid_from) if self.valid_from else None
        self.valid_to_upper = upper_bound(self.valid_to) if self.valid_to else None
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.name} ({self.valid_from or '…'}–{self.valid_to or '…'})"
