"""Clause full-text search (PostgreSQL text search; a simpler match on SQLite)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from agreements.queries.search import search_clause_texts

from ..pagination import SearchPaging, openapi_parameter
from ..serializers import ErrorSerializer, SearchHitSerializer
from .base import ApiView


class SearchParams(serializers.Serializer):
    q = serializers.CharField(max_length=500, help_text="Words to find in clause headings and texts.")


class SearchPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SearchHitSerializer(many=True)


class SearchView(ApiView):
    @extend_schema(operation_id="search_clauses",
                   parameters=[SearchParams, *(openapi_parameter(p) for p in SearchPaging.parameters())],
                   responses={200: SearchPageSerializer, 400: ErrorSerializer})
    def get(self, request):
        """Clauses in force today whose heading or text match `q`, best first, in pages (`cursor`, `page_size`)."""
        ser = SearchParams(data=request.query_params)
        ser.is_valid(raise_exception=True)
        paging = SearchPaging(request)
        hits = search_clause_texts(ser.validated_data["q"], self.include_unpublished,
                                     limit=paging.page_size + 1, offset=paging.offset)
        return Response(SearchPageSerializer(paging.page(hits), context={"request": request}).data)
