"""Parties: reference data edited directly, with history, who changed what and revert (simple-history)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext, gettext_lazy

from agreements.domain.vocabulary import PARTY_CODE_RE

from ..models import Party, PartyName
from .history import ReferenceHistoryAdmin, clean_edtf


class PartyNameForm(forms.ModelForm):
    class Meta:
        model = PartyName
        fields = ("name", "language", "valid_from", "valid_to")
        help_texts = {"valid_from": gettext_lazy("as precise as known: 1918, 1991-08-30 (EDTF)"),
                      "valid_to": gettext_lazy("as precise as known (EDTF); empty while current")}

    def clean_valid_from(self):
        return clean_edtf(self.cleaned_data.get("valid_from"))

    def clean_valid_to(self):
        return clean_edtf(self.cleaned_data.get("valid_to"))


class PartyNameInline(admin.TabularInline):
    model = PartyName
    form = PartyNameForm
    extra = 1
    verbose_name = gettext_lazy("name over time")
    verbose_name_plural = gettext_lazy("names over time (dates as precise as known: 1918, 1991-08-30; an empty "
                                       "end: still current)")


class PartyForm(forms.ModelForm):
    class Meta:
        model = Party
        fields = "__all__"

    def clean_code(self):
        code = (self.cleaned_data.get("code") or "").strip()
        if not PARTY_CODE_RE.match(code):
            raise forms.ValidationError(gettext("Use capitals, digits and hyphens: TUR, AZE, AZE-MOD."))
        if self.instance.pk and code != self.instance.code and self.instance.code:
            raise forms.ValidationError(gettext("A party's code is permanent: agreements refer to it."))
        return code


@admin.register(Party)
class PartyAdmin(ReferenceHistoryAdmin):
    form = PartyForm
    list_display = ("code", "name", "kind", "iso3166", "wikidata", "predecessor", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "name", "names__name", "wikidata")
    autocomplete_fields = ("predecessor", "parent")
    readonly_fields = ("successor_list",)
    inlines = [PartyNameInline]
    fieldsets = [
        (None, {"fields": ("code", "name", "kind", "note")}),
        (gettext_lazy("Identifiers"), {"fields": ("iso3166", "wikidata")}),
        (gettext_lazy("Succession and structure"), {"fields": ("predecessor", "successor_list", "parent")}),
    ]
    history_list_display = ("name", "kind", "predecessor")

    @admin.display(description=gettext_lazy("successors"))
    def successor_list(self, party):
        if party is None or party.pk is None:
            return "–"
        return ", ".join(str(s) for s in party.successors.all()) or "–"
