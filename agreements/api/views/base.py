"""What every API view shares: JSON errors, bounded JSON bodies, anonymous throttling, cache headers."""

from __future__ import annotations

from rest_framework import generics
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.views import APIView

from ..caching import set_cache_headers
from ..errors import api_exception_handler
from ..parsers import LimitedJSONParser
from ..permissions import sees_unpublished
from ..throttling import AnonymousThrottle


class ApiMixin:
    parser_classes = [LimitedJSONParser]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]
    throttle_classes = [AnonymousThrottle]

    def get_exception_handler(self):
        return api_exception_handler

    @property
    def include_unpublished(self) -> bool:
        return sees_unpublished(self.request.user)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return set_cache_headers(request, response)


class ApiView(ApiMixin, APIView):
    pass


class ApiListView(ApiMixin, generics.GenericAPIView):
    pass
