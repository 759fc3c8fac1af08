"""Parties: reference data edited directly (not event-sourced), with history by django-simple-history."""

from django.db import models
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from agreements.domain.dates import lower_bound, upper_bound
from agreements.domain.vocabulary import PARTY_KINDS
from agreements.domain.wording import KIND_LABELS


class Party(models.Model):
    code = models.CharField(
        gettext_lazy("code"),
        max_length=32,
        unique=True,
        help_text=gettext_lazy("ISO 3166-1 alpha-3 for states that have one (TUR, AZE); otherwise a stable "
                               "registry code."),
    )
    name = models.CharField(gettext_lazy("name"), max_length=300,
                            help_text=gettext_lazy("The current (or last) name."))
    # The labels are the domain's words for the kinds (KIND_LABELS), in the reader's language.
    kind = models.CharField(gettext_lazy("kind"), max_length=20,
                            choices=[(k, gettext_lazy(KIND_LABELS[k])) for k in PARTY_KINDS])
    iso3166 = models.CharField(gettext_lazy("ISO 3166 code"), max_length=3, blank=True, default="")
    wikidata = models.CharField(gettext_lazy("Wikidata id"), max_length=20, blank=True, default="")
    predecessor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="successors",
        verbose_name=gettext_lazy("predecessor"),
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="parts",
        verbose_name=gettext_lazy("belongs to"),
        help_text=gettext_lazy("The party this one belongs to, e.g. a ministry's state."),
    )
    note = models.TextField(gettext_lazy("note"), blank=True, default="")
    # The tables keep the names they had when parties lived in the agreements app: the move was state-only.
    history = HistoricalRecords(table_name="agreements_historicalparty")

    class Meta:
        db_table = "agreements_party"  # named when parties lived in the agreements app; the move copied nothing
        ordering = ["code"]
        verbose_name = gettext_lazy("party")
        verbose_name_plural = gettext_lazy("parties")

    def __str__(self):
        return f"{self.name} ({self.code})"


class PartyName(models.Model):
    """A name a party bore over a span of valid time (Turkey -> Türkiye)."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="names",
                              verbose_name=gettext_lazy("party"))
    name = models.CharField(gettext_lazy("name"), max_length=300)
    language = models.CharField(gettext_lazy("language"), max_length=12, default="en")
    valid_from = models.CharField(gettext_lazy("valid from"), max_length=100, blank=True, default="",
                                  help_text=gettext_lazy("EDTF"))
    valid_to = models.CharField(gettext_lazy("valid to"), max_length=100, blank=True, default="",
                                help_text=gettext_lazy("EDTF; empty while current"))
    valid_from_lower = models.DateField(null=True, blank=True, editable=False)
    valid_to_upper = models.DateField(null=True, blank=True, editable=False)
    history = HistoricalRecords(table_name="agreements_historicalpartyname")  # as Party's tables, kept by the move

    class Meta:
        db_table = "agreements_partyname"  # named when parties lived in the agreements app; the move copied nothing
        ordering = ["party", "valid_from_lower"]
        verbose_name = gettext_lazy("name of a party")
        verbose_name_plural = gettext_lazy("names of parties")

    def save(self, *args, **kwargs):
        self.valid_from_lower = lower_bound(self.valid_from) if self.valid_from else None
        self.valid_to_upper = upper_bound(self.valid_to) if self.valid_to else None
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.name} ({self.valid_from or '…'}–{self.valid_to or '…'})"
