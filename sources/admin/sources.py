"""Sources: reference data with history and revert (simple-history), an optional stored text snapshot."""

from django import forms
from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from ..models import Source
from .history import ReferenceHistoryAdmin, clean_edtf


class SourceForm(forms.ModelForm):
    # Declared here for its scheme, so it names itself as the model's field does.
    url = forms.URLField(required=False, max_length=2000, assume_scheme="https",
                         label=capfirst(Source._meta.get_field("url").verbose_name))

    class Meta:
        model = Source
        fields = "__all__"
        help_texts = {"published": gettext_lazy("as precise as known: 2023-05-02, 2023-05 or 2023 (EDTF)")}

    def clean_published(self):
        return clean_edtf(self.cleaned_data.get("published"))

    def clean_accessed(self):
        return clean_edtf(self.cleaned_data.get("accessed"))


@admin.register(Source)
class SourceAdmin(ReferenceHistoryAdmin):
    form = SourceForm
    list_display = ("key", "title", "publisher", "kind", "published", "language", "has_snapshot")
    list_filter = ("kind", "language")
    search_fields = ("key", "title", "publisher", "author", "url")  # also serves the citation autocomplete
    readonly_fields = ("snapshot_sha256", "snapshot_taken_at")
    fieldsets = [
        (None, {"fields": ("key", "title", "publisher", "author", "published", "language", "kind", "url", "accessed")}),
        (gettext_lazy("Perspective"), {"fields": ("perspective",)}),
        (gettext_lazy("Stored text"), {
            "fields": ("snapshot_text", "snapshot_sha256", "snapshot_taken_at"),
            "description": gettext_lazy("The source's text as stored for quote checking; its hash changes when the "
                                        "text does."),
        }),
    ]
    history_list_display = ("title", "url")

    @admin.display(description=gettext_lazy("text stored"), boolean=True)
    def has_snapshot(self, source):
        return bool(source.snapshot_sha256)
