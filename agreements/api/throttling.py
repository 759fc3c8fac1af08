"""Throttling for anonymous callers; the rate comes from settings (env PACTA_API_ANON_RATE), read per request.

The counts live in Django's default cache: Redis whenever a Redis URL is configured (settings.py), so all
workers share one count. If that Redis does not answer, the request is let through (and logged): reads
never depend on Redis being up.
"""

import logging

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

from registry.outage import outage

log = logging.getLogger(__name__)


class AnonymousThrottle(AnonRateThrottle):
    scope = "anon"

    def get_rate(self):
        return getattr(settings, "PACTA_API_ANON_RATE", None) or None

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception as exc:
            if outage(exc) is None:
                raise
            log.warning("throttle cache unavailable, request let through: %s", exc)
            return True
