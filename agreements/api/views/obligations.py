"""Coded obligations (ATOP's scheme): one item per agreement, party and obligation, with its dates and sources."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from agreements.queries.obligations import obligation_entries, obligation_rows
from agreements.queries.time import TimePoint
from agreements.domain import obligations
from agreements.projections.models import ObligationRow

from ..pagination import AgreementCursorPagination
from ..serializers import ErrorSerializer
from ..params import DayField, RecordTimeField
from .base import ApiListView


class ObligationFilters(serializers.Serializer):
    agreement = serializers.SlugField(required=False, max_length=200, help_text="An agreement's slug.")
    party = serializers.RegexField(r"^[A-Za-z0-9][A-Za-z0-9-]{1,31}\Z", required=False,
                                   help_text="The party bound (TUR, AZE...).")
    obligation = serializers.ChoiceField(choices=obligations.OBLIGATION_CODES, required=False)
    modality = serializers.ChoiceField(choices=obligations.MODALITY_CODES, required=False)
    as_of = DayField(required=False, help_text="Valid time: only obligations in effect on this day, such as "
                                               "2015-06-01 (default: all).")
    known_at = RecordTimeField(required=False, help_text="Record time: the coding as the registry knew it then "
                                                         "(2024-06-01, 2024-06-01T12:00Z...).")


class ObligationCitationSerializer(serializers.Serializer):
    source = serializers.CharField(source="source.key")
    locator = serializers.CharField()
    quote = serializers.CharField()


class ObligationSerializer(serializers.Serializer):
    obligation_id = serializers.CharField()
    agreement = serializers.CharField(help_text="The agreement's slug.")
    agreement_title = serializers.CharField()
    work_uri = serializers.CharField()
    eid = serializers.CharField()
    party = serializers.CharField(help_text="The party bound.")
    obligation = serializers.ChoiceField(choices=obligations.OBLIGATION_CODES)
    modality = serializers.ChoiceField(choices=obligations.MODALITY_CODES)
    conditions = serializers.ListField(child=serializers.ChoiceField(choices=obligations.CONDITION_CODES))
    towards = serializers.ListField(child=serializers.CharField())
    adversary = serializers.CharField()
    effective = serializers.CharField(help_text="EDTF, empty when the coding gives none.")
    until = serializers.CharField(help_text="EDTF, empty when open.")
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)
    signature = serializers.CharField()
    consent = serializers.CharField()
    entry_into_force = serializers.CharField()
    withdrawal = serializers.CharField()
    termination = serializers.CharField()
    sources = serializers.ListField(child=serializers.CharField())
    note = serializers.CharField()
    citations = ObligationCitationSerializer(many=True)


class ObligationCursorPagination(AgreementCursorPagination):
    ordering = ("key", "id")
    position_pattern = r"[A-Za-z0-9_/-]{1,400}"  # a row's key: slug/eid/obligation/PARTY/obligation id


class ObligationListView(ApiListView):
    pagination_class = ObligationCursorPagination
    queryset = ObligationRow.objects.none()  # for the schema; the reads go through queries.obligations
    serializer_class = ObligationSerializer

    @extend_schema(operation_id="obligations_list", parameters=[ObligationFilters],
                   responses={200: ObligationSerializer(many=True), 400: ErrorSerializer})
    def get(self, request):
        """Coded obligations, one per agreement, party and obligation; the same rows as the dataset export
        (/data/obligations.csv, .parquet; codebook at /data/obligations/codebook/). Cursor pages."""
        ser = ObligationFilters(data=request.query_params)
        ser.is_valid(raise_exception=True)
        f = dict(ser.validated_data)
        at = TimePoint.of(None, f.pop("known_at", None))
        valid_on = f.pop("as_of", None)
        if f.get("party"):
            f["party"] = f["party"].upper()
        rows = obligation_rows(self.include_unpublished, at, valid_on, **f)
        page = self.paginate_queryset(rows)
        entries = obligation_entries(page, at)
        return self.get_paginated_response(self.get_serializer(entries, many=True).data)
