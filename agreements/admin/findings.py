"""Validation findings (written by the validation workers): read-only here, a changelist and a detail page."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from agreements.findings.models import Finding

from .filters import OpenFilter
from .subjects import subject_labels


class FindingAdmin(admin.ModelAdmin):
    list_display = ("severity", "code", "agreement_link", "subject_type", "subject_label", "message", "last_seen",
                    "resolved_at")
    list_filter = (OpenFilter, "severity", "subject_type", "code")
    search_fields = ("code", "message", "subject", "agreement__slug", "agreement__title")
    list_select_related = ("agreement", "source")
    date_hierarchy = "last_seen"
    readonly_fields = [f.name for f in Finding._meta.fields]

    def has_add_permission(self, request):
        return False  # the checks write findings; people read them

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("agreement"), ordering="agreement__slug")
    def agreement_link(self, finding):
        if finding.agreement_id is None:
            return "–"
        url = reverse("admin:agreements_agreementrecord_change", args=[finding.agreement_id])
        return format_html('<a href="{}">{}</a>', url, finding.agreement.slug)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        self._labels = subject_labels(changelist.result_list)  # one query for the page, not one a row
        return changelist

    @admin.display(description=gettext_lazy("subject"), ordering="subject")
    def subject_label(self, finding):
        labels = getattr(self, "_labels", {})
        return labels.get(finding.pk) or subject_labels([finding])[finding.pk]
