"""The search: agreements (titles, other titles, summaries) and clauses, ranked together (agreements.queries.search)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from agreements.queries.search import SearchFilters, search

from ..pagination import SearchPaging, openapi_parameter
from ..serializers import ErrorSerializer, SearchHitSerializer
from .base import ApiView


class SearchParams(serializers.Serializer):
    q = serializers.CharField(max_length=500, help_text="Words to find in titles, summaries, clause headings and texts.")


class SearchPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    searched_for = serializers.CharField(allow_blank=True, help_text="The words searched.")
    suggestion = serializers.CharField(allow_null=True, help_text="Set when `q` found nothing and its nearest "
                                       "known words (this) were searched instead: \"did you mean\".")
    results = SearchHitSerializer(many=True)


class SearchView(ApiView):
    @extend_schema(operation_id="search_clauses",
                   parameters=[SearchParams, *(openapi_parameter(p) for p in SearchPaging.parameters())],
                   responses={200: SearchPageSerializer, 400: ErrorSerializer})
    def get(self, request):
        """Agreements whose titles or summary, and clauses in force today whose heading or text, match `q`,
        best first, in pages (`cursor`, `page_size`); a misspelt `q` that finds nothing is corrected (`suggestion`)."""
        ser = SearchParams(data=request.query_params)
        ser.is_valid(raise_exception=True)
        paging = SearchPaging(request)
        result = search(SearchFilters(q=ser.validated_data["q"]), self.include_unpublished,
                        limit=paging.page_size + 1, offset=paging.offset)
        data = {**paging.page(result.hits), "searched_for": result.searched_for, "suggestion": result.suggestion}
        return Response(SearchPageSerializer(data, context={"request": request}).data)
