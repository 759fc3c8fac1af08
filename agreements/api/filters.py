"""Filters of the agreement list: party, kind, status, in_force_on, signed_from/signed_to, q; participation:
in_force_for, party_status (with party, or any participant), read on as_of as known at known_at."""

from __future__ import annotations

import re

import django_filters
from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from agreements.queries.agreements import with_party
from agreements.queries.participation import in_force_for, with_party_status
from agreements.queries.search import matching
from agreements.queries.status import with_status_on
from agreements.queries.time import FIRST, LAST, BadTime, parse_date_parameter, parse_record_time
from agreements.domain import participation
from agreements.domain import vocabulary
from agreements.projections.models import AgreementRecord


class EdtfDayField(forms.CharField):
    def __init__(self, *args, day=LAST, **kwargs):
        self.day = day
        super().__init__(*args, max_length=100, strip=False, **kwargs)

    def clean(self, value):
        try:
            return parse_date_parameter(super().clean(value), self.day)
        except BadTime as exc:
            # As a parameter, never as the message: django-filter formats the message with %, and the reason
            # quotes the caller's value ("%" would be a format directive and a 500).
            raise forms.ValidationError("%(reason)s", params={"reason": str(exc)}) from None


class RecordTimeField(forms.CharField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, max_length=64, **kwargs)

    def clean(self, value):
        try:
            return parse_record_time(super().clean(value))
        except BadTime as exc:
            raise forms.ValidationError("%(reason)s", params={"reason": str(exc)}) from None


PARTY_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]{1,31}$"  # a party code, in either case (it is upper-cased)


class PartyCodeField(forms.CharField):
    """A party code (TUR, AZE, in either case), upper-cased; anything else (Şuşa, a place, not a party) is a 400
    naming the parameter rather than an empty list that reads as "no agreements"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, max_length=vocabulary.MAX_PARTY_CODE, strip=False, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return value
        if not re.fullmatch(PARTY_CODE_PATTERN, value):
            raise forms.ValidationError("Give a party code (TUR, AZE...).")
        return value.upper()


@extend_schema_field({"type": "string", "pattern": PARTY_CODE_PATTERN, "maxLength": vocabulary.MAX_PARTY_CODE})
class PartyCodeFilter(django_filters.CharFilter):
    field_class = PartyCodeField


@extend_schema_field(OpenApiTypes.DATETIME)
class RecordTimeFilter(django_filters.Filter):
    field_class = RecordTimeField


class EdtfDayFilter(django_filters.Filter):
    """A date in EDTF (`2010`, `2010-06`, `2010-06-01`): a lower end reads as its first day, else its last."""

    field_class = EdtfDayField

    def __init__(self, *args, day=LAST, **kwargs):
        super().__init__(*args, day=day, **kwargs)


class AgreementFilter(django_filters.FilterSet):
    party = PartyCodeFilter(method="filter_party", help_text="A party code (TUR, AZE...): agreements it is a party to.")
    kind = django_filters.ChoiceFilter(choices=[(k, k) for k in vocabulary.KINDS])
    status = django_filters.ChoiceFilter(choices=[(s, s) for s in (*vocabulary.STATUSES, *vocabulary.LEGACY_STATUSES)],
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
    in_force_for = PartyCodeFilter(
        method="filter_in_force_for",
        help_text="A party code: agreements in force FOR it on `as_of` (default today), as known at `known_at`: it is "
                  "bound and the agreement has entered into force for it (recorded, or derived from the "
                  "entry-into-force rule), and it has not withdrawn.")
    party_status = django_filters.ChoiceFilter(
        choices=[(s, s) for s in participation.PARTICIPANT_STATUSES], method="filter_party_status",
        help_text="Agreements in which the participant named by `party` (or any participant) has this status on "
                  "`as_of`, as known at `known_at`.")
    as_of = EdtfDayFilter(method="filter_time", help_text="The date in_force_for and party_status are read on "
                                                          "(EDTF; default today).")
    known_at = RecordTimeFilter(method="filter_time", help_text="The record time in_force_for and party_status are "
                                                                "read at (ISO 8601; default now).")
    q = django_filters.CharFilter(method="filter_text", max_length=200,
                                  help_text="Words in the title, other titles, summary or clause texts (found as "
                                            "/api/v1/search/ finds them), or part of the slug.")

    class Meta:
        model = AgreementRecord
        fields = ["party", "kind", "status", "in_force_on", "signed_from", "signed_to", "in_force_for", "party_status",
                  "as_of", "known_at", "q"]

    def filter_party(self, qs, name, value):
        return with_party(qs, value)

    def filter_status(self, qs, name, value):
        return with_status_on(qs, vocabulary.LEGACY_STATUSES.get(value, value))

    def filter_in_force_on(self, qs, name, value):
        return with_status_on(qs, "in_force", value)

    def _moment(self):
        from django.utils import timezone

        data = self.form.cleaned_data
        return data.get("as_of") or timezone.localdate(), data.get("known_at")

    def filter_time(self, qs, name, value):
        return qs  # read by the participation filters

    def filter_in_force_for(self, qs, name, value):
        on, known_at = self._moment()
        return in_force_for(qs, value, on, known_at)

    def filter_party_status(self, qs, name, value):
        on, known_at = self._moment()
        party = self.form.cleaned_data.get("party") or None
        return with_party_status(qs, value, on, party, known_at)

    def filter_text(self, qs, name, value):
        return matching(qs, value)
