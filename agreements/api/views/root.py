"""The API root: what /api/v1/ offers, with links (as DRF's API root does), so a client can start from one URL."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from .base import ApiView

# name in the index -> URL name, and what a client finds there.
ENDPOINTS = {
    "agreements": ("api:agreement-list", "Agreements: list (cursor pages, CSV) and POST to draft one."),
    "events": ("api:event-feed", "The global event feed, in position order, for downstream copies."),
    "parties": ("api:party-list", "Parties (reference data)."),
    "sources": ("api:source-list", "Sources (reference data)."),
    "findings": ("api:finding-list", "Validation findings (staff only)."),
    "obligations": ("api:obligation-list", "Coded obligations (ATOP's scheme), one per agreement, party and obligation."),
    "search": ("api:search", "Search of titles, summaries and clause texts (?q=), with \"did you mean\"."),
    "schema": ("api:schema", "This API's OpenAPI 3 schema."),
    "docs": ("api:docs", "Interactive documentation (Swagger UI)."),
}
TEMPLATES = {
    "agreement": "/api/v1/agreements/{slug}/",
    "clause": "/api/v1/agreements/{slug}/clauses/{eid}/",
    "agreement_events": "/api/v1/agreements/{slug}/events/",
    "agreement_participants": "/api/v1/agreements/{slug}/participants/",
    "commands": "/api/v1/agreements/{slug}/commands/",
    "party": "/api/v1/parties/{code}/",
    "source": "/api/v1/sources/{key}/",
}


class EndpointSerializer(serializers.Serializer):
    url = serializers.URLField()
    description = serializers.CharField()


class ApiRootSerializer(serializers.Serializer):
    version = serializers.CharField(help_text="The API version: v1.")
    endpoints = serializers.DictField(child=EndpointSerializer(), help_text="Name -> absolute URL and purpose.")
    templates = serializers.DictField(child=serializers.CharField(),
                                      help_text="URI templates (RFC 6570) of the item endpoints.")


class ApiRootView(ApiView):
    @extend_schema(operation_id="api_root", responses={200: ApiRootSerializer})
    def get(self, request):
        """The endpoints of the API, with links."""
        endpoints = {name: {"url": request.build_absolute_uri(reverse(url_name)), "description": text}
                     for name, (url_name, text) in ENDPOINTS.items()}
        templates = {name: request.build_absolute_uri("/")[:-1] + path for name, path in TEMPLATES.items()}
        return Response(ApiRootSerializer({"version": "v1", "endpoints": endpoints, "templates": templates}).data)
