"""Content negotiation: an unknown `?format=` is bad input (400 naming it), not a 404 as DRF answers."""

from django.http import Http404
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation


class FormatParamNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except Http404:
            known = [r.format for r in renderers if r.format != "api"]
            raise ValidationError({"format": [f"Use one of: {', '.join(known)}."]}) from None
