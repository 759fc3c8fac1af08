"""Changelist filters of the agreement admin: status today, party, has open findings."""

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext, gettext_lazy

from agreements.queries.agreements import with_party
from agreements.queries.parties import party_choices
from agreements.queries.status import with_status_on
from agreements.queries.wording import choices
from agreements.domain.vocabulary import STATUSES
from agreements.findings.models import Finding


class StatusFilter(admin.SimpleListFilter):
    title = gettext_lazy("status (today)")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return choices(STATUSES)

    def queryset(self, request, queryset):
        if self.value() in STATUSES:
            return with_status_on(queryset, self.value())
        return queryset


class PartyFilter(admin.SimpleListFilter):
    title = gettext_lazy("party")
    parameter_name = "party"

    def lookups(self, request, model_admin):
        return party_choices()

    def queryset(self, request, queryset):
        if self.value():
            return with_party(queryset, self.value())
        return queryset


def _open_findings():
    return Finding.objects.filter(agreement=OuterRef("pk"), resolved_at__isnull=True)


class HasOpenFindingsFilter(admin.SimpleListFilter):
    title = gettext_lazy("has open findings")
    parameter_name = "has_open_findings"

    def lookups(self, request, model_admin):
        return [("yes", gettext("Yes")), ("no", gettext("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(Exists(_open_findings()))
        if self.value() == "no":
            return queryset.exclude(Exists(_open_findings()))
        return queryset


class OpenFilter(admin.SimpleListFilter):
    """Findings: open (not resolved) or resolved."""

    title = gettext_lazy("open")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("yes", gettext("Open")), ("no", gettext("Resolved"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(resolved_at__isnull=False)
        return queryset
