"""Throttling for anonymous callers; the rate comes from settings (env PACTA_API_ANON_RATE), read per request."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    scope = "anon"

    def get_rate(self):
        return getattr(settings, "PACTA_API_ANON_RATE", None) or None
