"""Validation findings (filled by the validation workers); open ones by default; for staff only."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from agreements.queries.findings import findings
from agreements.findings.models import SEVERITIES, Finding

from ..pagination import NewestFirstPagination
from ..permissions import SeesFindings
from ..serializers import ErrorSerializer, FindingSerializer
from .base import ApiListView


class FindingFilters(serializers.Serializer):
    agreement = serializers.SlugField(required=False, max_length=200, help_text="An agreement's slug.")
    severity = serializers.ChoiceField(choices=[s for s, _ in SEVERITIES], required=False)
    code = serializers.CharField(required=False, trim_whitespace=False, max_length=100)
    subject = serializers.CharField(required=False, trim_whitespace=False, max_length=500, help_text="An eId, a citation id...")
    include_resolved = serializers.BooleanField(required=False, default=False)


class FindingListView(ApiListView):
    permission_classes = [SeesFindings]
    pagination_class = NewestFirstPagination
    queryset = Finding.objects.none()  # for the schema; the reads go through agreements.queries
    serializer_class = FindingSerializer

    @extend_schema(operation_id="findings_list", parameters=[FindingFilters],
                   responses={200: FindingSerializer(many=True), 400: ErrorSerializer, 401: ErrorSerializer,
                              403: ErrorSerializer})
    def get(self, request):
        ser = FindingFilters(data=request.query_params)
        ser.is_valid(raise_exception=True)
        page = self.paginate_queryset(findings(self.include_unpublished, **ser.validated_data))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
