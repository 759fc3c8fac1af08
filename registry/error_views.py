"""The site's error pages: JSON on /api/, the browser's layout everywhere else (never Django's bare page).

Django calls these for errors no view answered itself (an unknown address, a date like 2025-02-30 in a
path, an unhandled exception). An exception that means "try again later" (registry/outage.py: the
database or Redis down or busy, a rebuild under way) is a 503 with Retry-After instead of a 500.

The HTML page is drawn by the function the setting PACTA_ERROR_PAGE names (the public browser's layout): the
project's door knows nothing of the apps it serves, and every app's errors look like the browser's pages.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.http import JsonResponse
from django.utils.module_loading import import_string
from django.utils.translation import gettext, gettext_noop

from registry.outage import outage

MESSAGES = {  # in the reader's language when answered (agreements/locale)
    400: (gettext_noop("This address cannot be read"),
          gettext_noop("The request could not be understood: check the address and try again.")),
    403: (gettext_noop("Not allowed"), gettext_noop("You do not have permission to see this page.")),
    404: (gettext_noop("Not found"), gettext_noop("There is no page at this address.")),
    500: (gettext_noop("Something went wrong"),
          gettext_noop("The registry could not answer this request. The error has been logged.")),
    503: (gettext_noop("Temporarily unavailable"),
          gettext_noop("The registry cannot answer right now; try again in a moment.")),
}


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _answer(request, status: int, detail: str | None = None, retry_after: int | None = None, code: str | None = None):
    heading, message = (gettext(text) for text in MESSAGES[status])
    if _is_api(request):
        response = JsonResponse({"detail": detail or message, **({"code": code} if code else {})}, status=status)
    else:
        response = import_string(settings.PACTA_ERROR_PAGE)(request, status=status, heading=heading,
                                                           message=detail or message)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def bad_input(request, field: str, message: str):
    """A 400 naming the part of the request at fault (a query parameter, a header, the path)."""
    if _is_api(request):
        return JsonResponse({"detail": "Invalid input.", "errors": {field: [message]}}, status=400)
    return _answer(request, 400, f"{field}: {message}")


def bad_request(request, exception=None):
    return _answer(request, 400)


def permission_denied(request, exception=None):
    return _answer(request, 403)


def page_not_found(request, exception=None):
    return _answer(request, 404)


def server_error(request):
    down = outage(sys.exc_info()[1]) if sys.exc_info()[1] is not None else None
    if down is not None:
        return _answer(request, 503, down.message, down.retry_after, down.code)
    return _answer(request, 500)
