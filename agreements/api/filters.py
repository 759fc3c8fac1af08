"""Filters of the agreement list: party, kind, status, in_force_on, signed_from/signed_to, q."""

from __future__ import annotations

import django_filters
from django import forms

from agreements.queries.agreements import with_party
from agreements.queries.search import matching
from agreements.queries.status import with_status_on
from agreements.queries.time import FIRST, LAST, BadTime, parse_day
from agreements.domain import vocabulary as v
from agreements.projections.models import AgreementRecord


class EdtfDayField(forms.CharField):
    def __init__(self, *args, day=LAST, **kwargs):
        self.day = day
        super().__init__(*args, max_length=100, **kwargs)

    def clean(self, value):
        try:
            return parse_day(super().clean(value), self.day)
        except BadTime as exc:
            raise forms.ValidationError(str(exc)) from None


class EdtfDayFilter(django_filters.Filter):
    """A date in EDTF (`2010`, `2010-06`, `2010-06-01`): a lower end reads as its first day, else its last."""

    field_class = EdtfDayField

    def __init__(self, *args, day=LAST, **kwargs):
        super().__init__(*args, day=day, **kwargs)


class AgreementFilter(django_filters.FilterSet):
    party = django_filters.CharFilter(method="filter_party", max_length=v.MAX_PARTY_CODE,
                                      help_text="A party code (TUR, AZE...): agreements it is a party to.")
    kind = django_filters.ChoiceFilter(choices=[(k, k) for k in v.KINDS])
    status = django_filters.ChoiceFilter(choices=[(s, s) for s in (*v.STATUSES, *v.LEGACY_STATUSES)],
                                         method="filter_status",
                                         help_text="Status today (`draft`, the old name of `no_dated_fact`, still "
                                                   "accepted).")
    in_force_on = EdtfDayFilter(method="filter_in_force_on",
                                help_text="Agreements in force on this date (EDTF: 2015, 2015-06 or 2015-06-01; "
                                          "a year or month means its last day).")
    signed_from = EdtfDayFilter(field_name="signed_lower", lookup_expr="gte", day=FIRST,
                                help_text="First signature on or after this date (EDTF; a year or month means "
                                          "its first day: signed_from=2010 is from 2010-01-01).")
    signed_to = EdtfDayFilter(field_name="signed_lower", lookup_expr="lte",
                              help_text="First signature on or before this date (EDTF; a year or month means "
                                        "its last day: signed_to=2010 is up to 2010-12-31).")
    q = django_filters.CharFilter(method="filter_text", max_length=200,
                                  help_text="Words in the title, other titles, summary or clause texts (found as "
                                            "/api/v1/search/ finds them), or part of the slug.")

    class Meta:
        model = AgreementRecord
        fields = ["party", "kind", "status", "in_force_on", "signed_from", "signed_to", "q"]

    def filter_party(self, qs, name, value):
        return with_party(qs, value.upper())

    def filter_status(self, qs, name, value):
        return with_status_on(qs, v.LEGACY_STATUSES.get(value, value))

    def filter_in_force_on(self, qs, name, value):
        return with_status_on(qs, "in_force", value)

    def filter_text(self, qs, name, value):
        return matching(qs, value)
