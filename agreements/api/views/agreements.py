"""Agreements: the list (JSON or CSV), drafting, the detail (JSON or Akoma Ntoso) and one clause."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from agreements import services
from agreements.queries.agreements import agreement_detail, agreement_list, agreement_version
from agreements.queries.clauses import clause_detail, clauses_inline
from agreements.queries.events import log_head
from agreements.queries.participation import participants_inline
from agreements.domain.commands import parse_command
from registry.revalidation import remember_validator

from .. import params
from ..examples import EID, SLUG
from ..caching import agreement_etag, cached_json, if_none_match
from ..commands_schema import DraftAgreementBody
from ..filters import AgreementFilter
from ..pagination import MAX_PAGE_SIZE, AgreementCursorPagination, CsvCursorPagination
from ..permissions import CanEditAgreements
from ..renderers import AkomaNtosoRenderer, CSVRenderer
from ..serializers import (
    AgreementDetailSerializer,
    AgreementListSerializer,
    ClauseDetailSerializer,
    ClausePageSerializer,
    ClauseSerializer,
    CommandResultSerializer,
    clauses_page_url,
    ErrorSerializer,
    ParticipantPageSerializer,
    ParticipantSerializer,
    participants_page_url,
)
from .base import ApiListView, ApiView
from ..idempotent import idempotent
from .writes import result_body

ERRORS = {400: ErrorSerializer, 404: ErrorSerializer}
# The text representations, as the schema describes them (agreements/api/schema.py puts them in place).
TEXT_BODIES = {
    ("agreements_list", "200"): {"text/csv": {
        "schema": {"type": "string", "example": ",".join(CSVRenderer.columns) + "\r\n" + (
            "tr-az-strategic-partnership-2010,Agreement on Strategic Partnership and Mutual Assistance,agreement,"
            "signed,published,2010-08-16,2010-08-16,2010-08-16,2010-08-16,,,,TUR AZE,31,"
            "/akn/int/treaty/2010/tr-az-strategic-partnership-2010,"
            "https://pacta.example/api/v1/agreements/tr-az-strategic-partnership-2010/\r\n")},
        "description": "text/csv (`?format=csv` or `Accept: text/csv`): the matching agreements, one row each "
                       "(anonymous callers: a page of them, the next in the `Link` header), "
                       "UTF-8, a header row first. Columns: " + ", ".join(CSVRenderer.columns) + "; as in the JSON "
                       "list, `parties` space-separated; a cell a spreadsheet would run as a formula starts with '.",
    }},
    ("agreements_retrieve", "200"): {"application/akn+xml": {
        "schema": {"type": "string", "example": "<?xml version='1.0' encoding='utf-8'?>\n<akomaNtoso xmlns="
                   '"http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><act name="agreement">...</act></akomaNtoso>'},
        "description": "application/akn+xml (`?format=akn`): Akoma Ntoso 3.0 (OASIS schema). The expression URI is "
                       "dated by the version shown; meta/proprietary holds the first signature and entry into force "
                       "as recorded (EDTF) with their earliest and latest days.",
    }},
}


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

    def get_renderers(self):
        renderers = super().get_renderers()
        if getattr(self, "request", None) is not None and self.request.method != "GET":
            return [r for r in renderers if not isinstance(r, CSVRenderer)]  # a command's result is never CSV
        return renderers

    def _csv(self) -> bool:
        return getattr(self.request, "accepted_renderer", None) is not None and self.request.accepted_renderer.format == "csv"

    @property
    def paginator(self):
        if self._csv():
            # Logged-in callers export the whole filtered list; anonymous ones get it in cursor pages of at most
            # MAX_PAGE_SIZE rows (the next page in a `Link` header), so one anonymous answer costs the same
            # whatever the corpus.
            if self.request.user.is_authenticated:
                return None
            if not hasattr(self, "_csv_paginator"):
                self._csv_paginator = CsvCursorPagination()
            return self._csv_paginator
        return super().paginator

    @extend_schema(
        operation_id="agreements_list",
        parameters=[OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"],
                                     description="csv: the matching agreements as CSV. Anonymous callers get cursor "
                                                 f"pages of up to {MAX_PAGE_SIZE} rows (default {MAX_PAGE_SIZE}), the "
                                                 "next page in a `Link: <...>; rel=\"next\"` header; logged-in "
                                                 "callers get every match at once.")],
        responses={
            (200, "application/json"): AgreementListSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
            (400, "application/json"): ErrorSerializer,
        },
    )
    def get(self, request):
        if request.accepted_renderer.format == "json":
            # A page is named by the log's head (any write moves it), today's date (statuses are as of today)
            # and the query: kept under that name like a detail under its ETag.
            name = f"list|{log_head().position}|{timezone.localdate().isoformat()}|{request.get_full_path()}"
            return cached_json(request, name, "staff" if self.include_unpublished else "public", self._page, {})
        qs = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(qs)
        if page is not None and self._csv():
            response = Response({"results": self.get_serializer(page, many=True).data})
            response["Content-Disposition"] = 'attachment; filename="agreements.csv"'
            if next_link := self.paginator.get_next_link():
                response["Link"] = f'<{next_link}>; rel="next"'
            return response
        if page is not None:
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        paging = self.pagination_class()  # the CSV is not paged, but its paging parameters are checked alike
        paging.get_page_size(request)
        paging.decode_cursor(request)
        response = Response({"results": self.get_serializer(qs.order_by("slug"), many=True).data})
        response["Content-Disposition"] = 'attachment; filename="agreements.csv"'
        return response

    def _page(self) -> dict:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data).data

    @extend_schema(
        operation_id="agreements_draft",
        request=DraftAgreementBody,
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER,
                                     description="A retried POST with the same key appends nothing twice and answers the "
                                                 "first response again; the same key with another body is a 422.")],
        responses={201: CommandResultSerializer, 400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer,
                   409: ErrorSerializer, 413: ErrorSerializer, 415: ErrorSerializer, 422: ErrorSerializer},
    )
    def post(self, request):
        """Draft a new agreement (an archivist's token): the DraftAgreement command."""
        command = parse_command("DraftAgreement", _object(request.data))
        return idempotent(request, lambda: self._draft(request, command))

    @staticmethod
    def _draft(request, command) -> Response:
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
            params.LANGUAGE_PARAMETER,
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
        language = params.language(request)
        version = agreement_version(slug, self.include_unpublished)
        etag = agreement_etag(slug, version, raw, f"{request.accepted_renderer.format}|{language or ''}")
        if if_none_match(request, etag):
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
        elif request.accepted_renderer.format == "akn":  # the document itself: every clause
            response = Response(agreement_detail(slug, at, self.include_unpublished, language, clause_limit=None))
        else:
            # JSON holds the first clauses (the rest are paged, `clauses_url`); Akoma Ntoso is the whole document.
            # JSON is answered with the bytes kept under the ETag; the browsable API renders the same data.
            def build():
                return AgreementDetailSerializer(agreement_detail(slug, at, self.include_unpublished, language,
                                                                  clause_limit=clauses_inline(),
                                                                  participant_limit=participants_inline()),
                                                 context={"request": request}).data

            audience = "staff" if self.include_unpublished else "public"
            response = (cached_json(request, etag, audience, build, raw) if request.accepted_renderer.format == "json"
                        else Response(build()))
        response["ETag"] = etag
        return remember_validator(response, self.throttle_classes)


class AgreementClausesView(ApiView):
    """An agreement's clauses, a page at a time in document order (the detail inlines them up to a bound)."""

    @extend_schema(
        operation_id="agreements_clauses_list",
        parameters=[SLUG, *params.TIME_PARAMETERS, params.LANGUAGE_PARAMETER,
                    params.page_parameter("PACTA_CLAUSES_INLINE (1000 by default) clauses a page.")],
        responses={200: ClausePageSerializer, **ERRORS},
    )
    def get(self, request, slug):
        at, _ = params.time_point(request)
        language = params.language(request)
        number = params.page_number(request)
        view = agreement_detail(slug, at, self.include_unpublished, language, clause_limit=clauses_inline(),
                                clause_offset=(number - 1) * clauses_inline())
        page = view.clause_page
        return Response({
            "count": page.count,
            "next": clauses_page_url(request, slug, number + 1, at) if page.offset + page.limit < page.count else None,
            "previous": clauses_page_url(request, slug, number - 1, at) if number > 1 else None,
            "results": ClauseSerializer(view.clauses, many=True, context={"request": request, "slug": slug}).data,
        })


class AgreementParticipantsView(ApiView):
    """An agreement's participants, a page at a time (the detail inlines the first page): each with its actions,
    status on `as_of` as known at `known_at`, entry into force and statements; cached under an ETag like the
    detail."""

    @extend_schema(
        operation_id="agreements_participants_list",
        parameters=[SLUG, *params.TIME_PARAMETERS, params.LANGUAGE_PARAMETER,
                    params.page_parameter("PACTA_PARTICIPANTS_INLINE (25 by default) participants a page, in the "
                                          "order the agreement names them.")],
        responses={200: ParticipantPageSerializer,
                   304: OpenApiResponse(description="Not modified (If-None-Match matched the ETag)."), **ERRORS},
    )
    def get(self, request, slug):
        at, raw = params.time_point(request)
        language = params.language(request)
        number = params.page_number(request)
        version = agreement_version(slug, self.include_unpublished)
        etag = agreement_etag(slug, version, raw, f"participants|{number}|{language or ''}")
        if if_none_match(request, etag):
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
            response["ETag"] = etag
            return response
        size = participants_inline()

        def build():
            view = agreement_detail(slug, at, self.include_unpublished, language, clause_limit=1,
                                    participant_limit=size, participant_offset=(number - 1) * size)
            count = view.participation.count
            return {
                "count": count,
                "next": participants_page_url(request, slug, number + 1, at) if number * size < count else None,
                "previous": participants_page_url(request, slug, number - 1, at) if number > 1 else None,
                "results": ParticipantSerializer(view.participation.participants, many=True).data,
            }

        audience = "staff" if self.include_unpublished else "public"
        response = (cached_json(request, etag, audience, build, raw) if request.accepted_renderer.format == "json"
                    else Response(build()))
        response["ETag"] = etag
        return response


class ClauseDetailView(ApiView):
    """One clause: its text as of the requested time, every version, references both ways, open findings."""

    @extend_schema(
        operation_id="agreements_clauses_retrieve",
        parameters=[SLUG, EID, *params.TIME_PARAMETERS, params.LANGUAGE_PARAMETER],
        responses={200: ClauseDetailSerializer, **ERRORS},
    )
    def get(self, request, slug, eid):
        at, _ = params.time_point(request)
        view = clause_detail(slug, eid, at, self.include_unpublished, params.language(request))
        return Response(ClauseDetailSerializer(view, context={"request": request}).data)
