"""Agreements: the list (JSON or CSV), drafting, the detail (JSON or Akoma Ntoso) and one clause."""

from __future__ import annotations

from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from agreements import services
from agreements.queries.agreements import agreement_detail, agreement_list, agreement_version
from agreements.queries.clauses import clause_detail
from agreements.domain.commands import parse_command

from .. import params
from ..examples import EID, SLUG
from ..caching import agreement_etag, if_none_match
from ..commands_schema import DraftAgreementBody
from ..filters import AgreementFilter
from ..pagination import AgreementCursorPagination
from ..permissions import CanEditAgreements
from ..renderers import AkomaNtosoRenderer, CSVRenderer
from ..serializers import (
    AgreementDetailSerializer,
    AgreementListSerializer,
    ClauseDetailSerializer,
    CommandResultSerializer,
    ErrorSerializer,
)
from .base import ApiListView, ApiView
from .writes import command_id, result_body

ERRORS = {400: ErrorSerializer, 404: ErrorSerializer}


class AgreementListView(ApiListView):
    """Agreements visible to the caller, filtered, in cursor pages; `?format=csv` gives every match as CSV."""

    permission_classes = [CanEditAgreements]
    renderer_classes = [JSONRenderer, CSVRenderer, BrowsableAPIRenderer]
    filter_backends = [DjangoFilterBackend]
    filterset_class = AgreementFilter
    pagination_class = AgreementCursorPagination
    serializer_class = AgreementListSerializer

    def get_queryset(self):
        return agreement_list(self.include_unpublished)

    @property
    def paginator(self):
        if getattr(self.request, "accepted_renderer", None) is not None and self.request.accepted_renderer.format == "csv":
            return None  # the CSV export is the whole filtered list
        return super().paginator

    @extend_schema(
        operation_id="agreements_list",
        parameters=[OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"],
                                     description="csv: every matching agreement as CSV (not paginated).")],
        responses={
            (200, "application/json"): AgreementListSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
            (400, "application/json"): ErrorSerializer,
        },
    )
    def get(self, request):
        qs = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(qs)
        if page is not None:
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        response = Response({"results": self.get_serializer(qs.order_by("slug"), many=True).data})
        response["Content-Disposition"] = 'attachment; filename="agreements.csv"'
        return response

    @extend_schema(
        operation_id="agreements_draft",
        request=DraftAgreementBody,
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER,
                                     description="A retried POST with the same key appends nothing twice.")],
        responses={201: CommandResultSerializer, 400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer,
                   409: ErrorSerializer, 413: ErrorSerializer, 415: ErrorSerializer},
    )
    def post(self, request):
        """Draft a new agreement (an archivist's token): the DraftAgreement command."""
        data = _object(request.data)
        command = parse_command("DraftAgreement", {**data, "command_id": command_id(request)})
        result = services.handle(command, user=request.user)
        response = Response(result_body(result), status=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(reverse("api:agreement-detail", args=[result.slug]))
        return response


def _object(data) -> dict:
    from rest_framework.exceptions import ValidationError

    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": ["Expected a JSON object."]})
    return data


class AgreementDetailView(ApiView):
    """One agreement as of `as_of` (valid time) and `known_at` (record time); JSON or Akoma Ntoso XML."""

    renderer_classes = [JSONRenderer, AkomaNtosoRenderer, BrowsableAPIRenderer]

    @extend_schema(
        operation_id="agreements_retrieve",
        parameters=[
            SLUG,
            *params.TIME_PARAMETERS,
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "akn"],
                             description="akn: Akoma Ntoso 3.0 XML (also Accept: application/akn+xml)."),
        ],
        responses={
            (200, "application/json"): AgreementDetailSerializer,
            (200, "application/akn+xml"): OpenApiTypes.STR,
            304: OpenApiResponse(description="Not modified (If-None-Match matched the ETag)."),
            (400, "application/json"): ErrorSerializer,
            (404, "application/json"): ErrorSerializer,
        },
    )
    def get(self, request, slug):
        at, raw = params.time_point(request)
        version = agreement_version(slug, self.include_unpublished)
        etag = agreement_etag(slug, version, raw, request.accepted_renderer.format)
        if if_none_match(request, etag):
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
        else:
            view = agreement_detail(slug, at, self.include_unpublished)
            if request.accepted_renderer.format == "akn":
                response = Response(view)
            else:
                response = Response(AgreementDetailSerializer(view, context={"request": request}).data)
        response["ETag"] = etag
        return response


class ClauseDetailView(ApiView):
    """One clause: its text as of the requested time, every version, references both ways, open findings."""

    @extend_schema(
        operation_id="agreements_clauses_retrieve",
        parameters=[SLUG, EID, *params.TIME_PARAMETERS],
        responses={200: ClauseDetailSerializer, **ERRORS},
    )
    def get(self, request, slug, eid):
        at, _ = params.time_point(request)
        view = clause_detail(slug, eid, at, self.include_unpublished)
        return Response(ClauseDetailSerializer(view, context={"request": request}).data)
