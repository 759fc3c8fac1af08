"""Every API error is JSON: `detail`, and `errors` with field-level messages where a field is at fault.

The domain's refusals map onto HTTP here, in one place: InvalidCommand -> 400, RuleViolated -> 409 naming
the rule, NotAllowed -> 403, a stale version -> 412 with the current version, NotFound -> 404.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from agreements.queries import NotFound
from agreements.domain.errors import InvalidCommand, RuleViolated
from agreements.services import NotAllowed
from registry.outage import outage


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = gettext_lazy('Send the agreement\'s current version in If-Match, e.g. If-Match: "7".')
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"

    def __init__(self, expected: int, current: int):
        self.current_version = current
        super().__init__(_("The agreement is at version %(current)s, not %(expected)s: reload it and retry.") % {
            "current": current, "expected": expected})


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"

    def __init__(self, limit: int):
        super().__init__(_("The request body is larger than %(limit)s bytes.") % {"limit": limit})


def field_errors(detail) -> dict[str, list[str]]:
    """Flatten DRF's nested error detail into {field: [messages]} (dotted paths for nested fields)."""
    if isinstance(detail, dict):
        out = {}
        for key, value in detail.items():
            for sub, messages in field_errors(value).items():
                name = str(key) if sub == "non_field_errors" else f"{key}.{sub}"
                out.setdefault(name, []).extend(messages)
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return {"non_field_errors": [str(item) for item in detail]}
        out = {}
        for index, item in enumerate(detail):
            for sub, messages in field_errors(item).items():
                out.setdefault(f"{index}" if sub == "non_field_errors" else f"{index}.{sub}", []).extend(messages)
        return out
    return {"non_field_errors": [str(detail)]}


def _body(detail: str, **extra) -> dict:
    return {"detail": detail, **{k: v for k, v in extra.items() if v is not None}}


def unavailable_response(down) -> Response:
    response = Response(_body(down.message, code=down.code), status=status.HTTP_503_SERVICE_UNAVAILABLE)
    response["Retry-After"] = str(down.retry_after)
    return response


def api_exception_handler(exc, context):
    if isinstance(exc, NotFound):
        exc = exceptions.NotFound(str(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "Not found.")
    elif isinstance(exc, RequestDataTooBig):
        from django.conf import settings

        exc = PayloadTooLarge(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    elif isinstance(exc, InvalidCommand):
        return Response(_body("The command is not valid.", errors=exc.errors), status=400)
    elif isinstance(exc, RuleViolated):
        errors = {exc.field: [exc.message]} if exc.field else None
        return Response(_body(exc.message, rule=exc.rule, field=exc.field, errors=errors), status=409)
    elif isinstance(exc, NotAllowed):
        exc = exceptions.PermissionDenied(str(exc))

    else:
        down = outage(exc)
        if down is not None:
            return unavailable_response(down)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = _body(_("Invalid input."), errors=field_errors(exc.detail))
    elif isinstance(exc, PreconditionFailed):
        response.data = _body(str(exc.detail), current_version=exc.current_version)
        response["ETag"] = f'"{exc.current_version}"'
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = _body(str(response.data["detail"]))
    else:
        response.data = _body(_("Invalid input."), errors=field_errors(response.data))
    return response
