"""Parties: reference data edited directly, with history, who changed what and revert (simple-history)."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from simple_history.admin import SimpleHistoryAdmin

from agreements.domain.dates import InvalidDate, parse_date
from agreements.models import Party, PartyName


def clean_edtf(value):
    value = (value or "").strip()
    if value:
        try:
            parse_date(value)
        except InvalidDate as exc:
            raise forms.ValidationError(str(exc)) from None
    return value


class ReferenceHistoryAdmin(SimpleHistoryAdmin):
    """simple-history's pages, with an id that is not an id (`/party/abc/history/`) a 404, not a 500."""

    def _check_ids(self, object_id, version_id=None):
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404(f"No {self.model._meta.verbose_name} has the id {object_id[:40]!r}.") from None
        if version_id is not None and not str(version_id).isdigit():
            raise Http404("No such version.")

    def changelist_view(self, request, extra_context=None):
        """An action posted with ids that are not ids (a tampered form) is a 400, not a 500."""
        if request.method == "POST":
            for value in request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME):
                try:
                    self.model._meta.pk.to_python(value)
                except ValidationError:
                    return HttpResponseBadRequest(f"{admin.helpers.ACTION_CHECKBOX_NAME}: select rows by their ids.",
                                                  content_type="text/plain; charset=utf-8")
        return super().changelist_view(request, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._check_ids(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_ids(object_id, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class PartyNameForm(forms.ModelForm):
    class Meta:
        model = PartyName
        fields = ("name", "language", "valid_from", "valid_to")

    def clean_valid_from(self):
        return clean_edtf(self.cleaned_data.get("valid_from"))

    def clean_valid_to(self):
        return clean_edtf(self.cleaned_data.get("valid_to"))


class PartyNameInline(admin.TabularInline):
    model = PartyName
    form = PartyNameForm
    extra = 1
    verbose_name = "name over time"
    verbose_name_plural = "names over time (EDTF dates; an empty end: still current)"


class PartyForm(forms.ModelForm):
    class Meta:
        model = Party
        fields = "__all__"

    def clean_code(self):
        from agreements.domain.vocabulary import PARTY_CODE_RE

        code = (self.cleaned_data.get("code") or "").strip()
        if not PARTY_CODE_RE.match(code):
            raise forms.ValidationError("Use capitals, digits and hyphens: TUR, AZE, AZE-MOD.")
        if self.instance.pk and code != self.instance.code and self.instance.code:
            raise forms.ValidationError("A party's code is permanent: agreements refer to it.")
        return code


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
        ("Identifiers", {"fields": ("iso3166", "wikidata")}),
        ("Succession and structure", {"fields": ("predecessor", "successor_list", "parent")}),
    ]
    history_list_display = ("name", "kind", "predecessor")

    @admin.display(description="successors")
    def successor_list(self, party):
        if party is None or party.pk is None:
            return "–"
        return ", ".join(str(s) for s in party.successors.all()) or "–"
