"""What every API view shares: JSON errors, bounded JSON bodies, anonymous throttling, cache headers."""

from __future__ import annotations

from rest_framework import generics
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.views import APIView

from ..caching import set_cache_headers
from ..errors import api_exception_handler
from ..negotiation import FormatParamNegotiation
from ..parsers import LimitedJSONParser
from ..permissions import sees_unpublished
from ..throttling import AnonymousThrottle


class ApiMixin:
    parser_classes = [LimitedJSONParser]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]
    throttle_classes = [AnonymousThrottle]
    content_negotiation_class = FormatParamNegotiation

    def get_exception_handler(self):
        return api_exception_handler

    @property
    def include_unpublished(self) -> bool:
        return sees_unpublished(self.request.user)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        refuse_unclear_query_parameters(request)
        # A path value the database cannot even compare (NUL) names nothing that exists.
        if any("\x00" in str(value) for value in kwargs.values()):
            from rest_framework.exceptions import NotFound

            raise NotFound()

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        # Errors are JSON whatever representation was asked for (CSV, Akoma Ntoso, the browsable API).
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return set_cache_headers(request, response)


def refuse_unclear_query_parameters(request):
    """A query parameter names one value, or it is refused with a 400 naming it: `?q=` names none (the schema
    gives every query parameter a minimum length, and so does the server), and `?party=TUR&party=AZE` names two
    where every parameter of the API takes one (Django's QueryDict would silently keep the last: the caller
    would read AZE's agreements as the answer to both)."""
    from rest_framework.exceptions import ValidationError

    unclear = {}
    for name, values in request.query_params.lists():
        if any(value == "" for value in values):
            unclear[name] = ["Give a value, or leave the parameter out."]
        elif len(values) > 1:
            unclear[name] = [f"Give one value: the parameter was given {len(values)} times."]
    if unclear:
        raise ValidationError(unclear)


class ApiView(ApiMixin, APIView):
    pass


class ApiListView(ApiMixin, generics.GenericAPIView):
    pass


class NotFoundView(ApiView):
    """Any other path under /api/v1/: a JSON 404 rather than Django's HTML page."""

    schema = None  # not an endpoint of the contract

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        refuse_unclear_query_parameters(request)
        from rest_framework.exceptions import NotFound

        raise NotFound("No such endpoint.")
