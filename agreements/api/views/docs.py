"""Redoc from the sidecar package, without the web fonts drf-spectacular's page loads from Google."""

from drf_spectacular.views import SpectacularRedocView


class RedocView(SpectacularRedocView):
    template_name = "api/redoc.html"
