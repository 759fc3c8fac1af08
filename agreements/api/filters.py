"""Filters of the agreement list: party, kind, status, in_force_on, signed_from/signed_to, q."""

from __future__ import annotations

import django_filters

from agreements.queries.agreements import with_party
from agreements.queries.search import matching_text
from agreements.queries.status import with_status_on
from agreements.domain import vocabulary as v
from agreements.projections.models import AgreementRecord


class AgreementFilter(django_filters.FilterSet):
    party = django_filters.CharFilter(method="filter_party", max_length=32,
                                      help_text="A party code (TUR, AZE...): agreements it is a party to.")
    kind = django_filters.ChoiceFilter(choices=[(k, k) for k in v.KINDS])
    status = django_filters.ChoiceFilter(choices=[(s, s) for s in v.STATUSES], method="filter_status",
                                         help_text="Status today.")
    in_force_on = django_filters.DateFilter(method="filter_in_force_on",
                                            help_text="Agreements in force on this date (YYYY-MM-DD).")
    signed_from = django_filters.DateFilter(field_name="signed_lower", lookup_expr="gte",
                                            help_text="First signature on or after this date.")
    signed_to = django_filters.DateFilter(field_name="signed_lower", lookup_expr="lte",
                                          help_text="First signature on or before this date.")
    q = django_filters.CharFilter(method="filter_text", max_length=200, help_text="Text in title, summary or slug.")

    class Meta:
        model = AgreementRecord
        fields = ["party", "kind", "status", "in_force_on", "signed_from", "signed_to", "q"]

    def filter_party(self, qs, name, value):
        return with_party(qs, value.upper())

    def filter_status(self, qs, name, value):
        return qs.filter(status=value)

    def filter_in_force_on(self, qs, name, value):
        return with_status_on(qs, "in_force", value)

    def filter_text(self, qs, name, value):
        return matching_text(qs, value)
