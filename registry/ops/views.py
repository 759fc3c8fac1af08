"""/healthz and /readyz (registry/ops/health.py): JSON, never cached by a proxy, never throttled."""

from django.http import JsonResponse
from django.views.decorators.http import require_safe

from . import health


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def healthz(request):
    return _no_store(JsonResponse({"status": "ok"}))


@require_safe
def readyz(request):
    result = health.readiness()
    return _no_store(JsonResponse(result.as_json(), status=200 if result.ready else 503))
