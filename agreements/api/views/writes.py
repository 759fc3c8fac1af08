"""The write side of the API: If-Match, Idempotency-Key and the command endpoint.

The domain decides; this module only translates HTTP into `services.handle(command, expected_version=...)`
and the outcome back into HTTP (errors.py maps the refusals).
"""

from __future__ import annotations

import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from agreements import services
from agreements.queries.agreements import agreement_version
from agreements.queries.events import FeedEntry, current_version
from agreements.domain.commands import parse_command
from agreements.domain.errors import InvalidCommand
from registry.eventstore.store import ConcurrencyConflict

from ..commands_schema import AnyCommand
from ..examples import SLUG
from ..errors import PreconditionFailed, PreconditionRequired
from ..permissions import CanEditAgreements
from ..serializers import CommandResultSerializer, ErrorSerializer
from .base import ApiView

IF_MATCH = re.compile(r'^\s*(?:W/)?"?(\d{1,12})"?\s*$')


def command_id(request) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > 200:
        raise ValidationError({"Idempotency-Key": ["Give a key of 1 to 200 characters."]})
    return key


def expected_version(request) -> int:
    header = request.headers.get("If-Match")
    if header is None:
        raise PreconditionRequired()
    match = IF_MATCH.match(header)
    if not match:
        raise ValidationError({"If-Match": ['Give the version the change is based on, e.g. If-Match: "7".']})
    return int(match.group(1))


def result_body(result: services.Result) -> dict:
    events = [FeedEntry(
        ev.position, ev.stream_id, ev.stream_version, str(ev.event_id), ev.type, ev.schema_version, ev.payload,
        ev.effective, ev.recorded_at) for ev in result.events]
    # A replayed command answers as it did the first time: the version right after its own events.
    version = events[-1].stream_version if events else result.version
    return CommandResultSerializer({"slug": result.slug, "version": version, "replayed": result.replayed,
                                    "events": events}).data


class CommandView(ApiView):
    permission_classes = [CanEditAgreements]

    @extend_schema(
        operation_id="agreements_commands_create",
        request=AnyCommand,
        parameters=[
            SLUG,
            OpenApiParameter("If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
                             description='The version the command is based on, e.g. "7" (412 if stale).'),
            OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER,
                             description="A retried POST with the same key appends nothing twice."),
        ],
        responses={201: CommandResultSerializer, **{code: ErrorSerializer for code in
                                                    (400, 401, 403, 404, 409, 412, 413, 415, 428)}},
    )
    def post(self, request, slug):
        """Send any command of the vocabulary (`{"type": "AmendClause", ...}`) to one agreement."""
        agreement_version(slug, self.include_unpublished)  # 404 before anything else
        version = expected_version(request)
        data = request.data
        if not isinstance(data, dict):
            raise ValidationError({"non_field_errors": ["Expected a JSON object."]})
        kind = data.get("type")
        if not isinstance(kind, str) or not kind:
            raise ValidationError({"type": ["Give the command type, e.g. \"AmendClause\"."]})
        if kind == "DraftAgreement":
            raise ValidationError({"type": ["Draft a new agreement with POST /api/v1/agreements/."]})
        fields = {k: val for k, val in data.items() if k not in ("type", "command_id")}
        try:
            command = parse_command(kind, {**fields, "command_id": command_id(request)})
        except InvalidCommand as exc:
            if "command_id" in exc.errors:
                exc.errors["Idempotency-Key"] = exc.errors.pop("command_id")
            raise
        try:
            result = services.handle(command, slug=slug, user=request.user, expected_version=version)
        except ConcurrencyConflict as exc:
            raise PreconditionFailed(version, exc.actual if exc.actual is not None
                                     else current_version(slug)) from None
        response = Response(result_body(result), status=status.HTTP_201_CREATED)
        response["ETag"] = f'"{response.data["version"]}"'
        if result.replayed:
            response["Idempotent-Replayed"] = "true"
        return response
