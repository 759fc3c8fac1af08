"""Reference data: parties (by code) and sources; archivists may add both."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from agreements.queries import parties as party_reads
from agreements.queries import sources as source_reads
from agreements.domain import vocabulary
from sources.models import Party
from sources.models import SOURCE_KINDS, Source

from ..examples import CODE, KEY
from ..inputs import PartyInputSerializer, SourceInputSerializer
from ..pagination import CodeCursorPagination, KeyCursorPagination
from ..permissions import CanAddParties, CanAddSources
from ..serializers import ErrorSerializer, PartySerializer, SourceSerializer
from .base import ApiListView, ApiView

WRITE_ERRORS = {code: ErrorSerializer for code in (400, 401, 403, 409, 413, 415)}


class PartyFilters(serializers.Serializer):
    kind = serializers.ChoiceField(choices=vocabulary.PARTY_KINDS, required=False)
    q = serializers.CharField(required=False, trim_whitespace=False, max_length=200, help_text="Text in the code or any name.")


class SourceFilters(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[k for k, _ in SOURCE_KINDS], required=False)
    q = serializers.CharField(required=False, trim_whitespace=False, max_length=200, help_text="Text in the key, title or publisher.")


def _filters(serializer_class, request):
    ser = serializer_class(data=request.query_params)
    ser.is_valid(raise_exception=True)
    return ser.validated_data


def _save_with_history_user(serializer, user):
    """simple-history's middleware sees no token user; name the author of the change explicitly."""
    instance = serializer.Meta.model(**serializer.validated_data)
    instance._history_user = user
    instance.save()
    return instance


class PartyListView(ApiListView):
    permission_classes = [CanAddParties]
    pagination_class = CodeCursorPagination
    queryset = Party.objects.none()  # for the schema; the reads go through agreements.queries
    serializer_class = PartySerializer

    @extend_schema(operation_id="parties_list", parameters=[PartyFilters],
                   responses={200: PartySerializer(many=True), 400: ErrorSerializer})
    def get(self, request):
        f = _filters(PartyFilters, request)
        page = self.paginate_queryset(party_reads.parties(f.get("kind"), f.get("q")))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(operation_id="parties_create", request=PartyInputSerializer,
                   responses={201: PartySerializer, **WRITE_ERRORS})
    def post(self, request):
        """Add a party (reference data; an archivist's token)."""
        ser = PartyInputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        party = _save_with_history_user(ser, request.user)
        party = party_reads.party(party.code)
        response = Response(PartySerializer(party, context={"request": request}).data, status=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(reverse("api:party-detail", args=[party.code]))
        return response


class PartyDetailView(ApiView):
    @extend_schema(operation_id="parties_retrieve", parameters=[CODE], responses={200: PartySerializer, 404: ErrorSerializer})
    def get(self, request, code):
        return Response(PartySerializer(party_reads.party(code), context={"request": request}).data)


class SourceListView(ApiListView):
    permission_classes = [CanAddSources]
    pagination_class = KeyCursorPagination
    queryset = Source.objects.none()
    serializer_class = SourceSerializer

    @extend_schema(operation_id="sources_list", parameters=[SourceFilters],
                   responses={200: SourceSerializer(many=True), 400: ErrorSerializer})
    def get(self, request):
        f = _filters(SourceFilters, request)
        page = self.paginate_queryset(source_reads.sources(f.get("kind"), f.get("q")))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(operation_id="sources_create", request=SourceInputSerializer,
                   responses={201: SourceSerializer, **WRITE_ERRORS})
    def post(self, request):
        """Add a source (reference data; an archivist's token)."""
        ser = SourceInputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        source = _save_with_history_user(ser, request.user)
        response = Response(SourceSerializer(source).data, status=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(reverse("api:source-detail", args=[source.key]))
        return response


class SourceDetailView(ApiView):
    @extend_schema(operation_id="sources_retrieve",
                   parameters=[KEY],
                   responses={200: SourceSerializer, 404: ErrorSerializer})
    def get(self, request, key):
        return Response(SourceSerializer(source_reads.source(key)).data)
