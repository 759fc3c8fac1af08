"""Clause full-text search (PostgreSQL text search; a simpler match on SQLite)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from agreements.queries.search import search_clause_texts

from ..serializers import ErrorSerializer, SearchHitSerializer
from .base import ApiView


class SearchParams(serializers.Serializer):
    q = serializers.CharField(max_length=500, help_text="Words to find in clause headings and texts.")
    limit = serializers.IntegerField(required=False, default=20, min_value=1, max_value=100)
    offset = serializers.IntegerField(required=False, default=0, min_value=0, max_value=100_000)


class SearchPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SearchHitSerializer(many=True)


class SearchView(ApiView):
    @extend_schema(operation_id="search_clauses", parameters=[SearchParams],
                   responses={200: SearchPageSerializer, 400: ErrorSerializer})
    def get(self, request):
        """Clauses in force today whose heading or text match `q`, best first."""
        ser = SearchParams(data=request.query_params)
        ser.is_valid(raise_exception=True)
        q, limit, offset = ser.validated_data["q"], ser.validated_data["limit"], ser.validated_data["offset"]
        hits = search_clause_texts(q, self.include_unpublished, limit=limit + 1, offset=offset)
        url = request.build_absolute_uri()
        next_url = replace_query_param(url, "offset", offset + limit) if len(hits) > limit else None
        previous = None
        if offset:
            previous = replace_query_param(url, "offset", max(0, offset - limit)) if offset > limit else \
                remove_query_param(url, "offset")
        data = {"next": next_url, "previous": previous, "results": hits[:limit]}
        return Response(SearchPageSerializer(data, context={"request": request}).data)
