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

from ..commands_schema import AnyCommand
from ..idempotent import idempotent
from ..examples import SLUG
from ..errors import PreconditionFailed, PreconditionRequired
from ..permissions import CanEditAgreements
from ..serializers import CommandResultSerializer, ErrorSerializer
from .base import ApiView

# The version a write is based on: `"7"`, or the ETag a GET of the agreement handed out (`"7-4a64d3051f03bc1d"`),
# compared strongly on its version part (RFC 9110 If-Match: a weak tag never matches). A bare 7 is accepted too,
# with HTTP's optional whitespace (spaces and tabs) around it; the schema declares this very pattern.
IF_MATCH = re.compile(r'^[ \t]*(?:"([0-9]{1,12})(?:-[0-9a-f]{16})?"|([0-9]{1,12}))[ \t]*$')


def expected_version(request) -> int:
    header = request.headers.get("If-Match")
    if header is None:
        raise PreconditionRequired()
    match = IF_MATCH.match(header)
    if not match:
        raise ValidationError({"If-Match": [
            'Give the version the change is based on, e.g. If-Match: "7", or the strong ETag of the agreement '
            'as a GET returned it (one tag, without W/).']})
    return int(match.group(1) or match.group(2))


def result_body(result: services.Result) -> dict:
    events = [FeedEntry(
        ev.position, ev.stream_id, ev.stream_version, str(ev.event_id), ev.type, ev.schema_version, ev.payload,
        ev.effective, ev.recorded_at, ev.prev_hash, ev.hash) for ev in result.events]
    # A replayed command answers as it did the first time: the version right after its own events.
    version = events[-1].stream_version if events else result.version
    body = {"slug": result.slug, "version": version, "replayed": result.replayed, "events": events}
    statement = next((ev.payload["statement_id"] for ev in result.events
                      if ev.type in ("StatementMade", "StatementWithdrawn")), None)
    if statement:  # MakeStatement answers the id to cite, object to or withdraw it by
        body["statement_id"] = statement
    return CommandResultSerializer(body).data


class CommandView(ApiView):
    permission_classes = [CanEditAgreements]

    @extend_schema(
        operation_id="agreements_commands_create",
        request=AnyCommand,
        parameters=[
            SLUG,
            OpenApiParameter("If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
                             description='The version the command is based on, e.g. "7", or the ETag of a GET of the '
                                         'agreement, e.g. "7-4a64d3051f03bc1d" (412 if stale).'),
            OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER,
                             description="A retried POST with the same key appends nothing twice and answers the "
                                         "first response again; the same key with another body is a 422. Keys "
                                         "are per user and agreement, kept 24 hours."),
        ],
        responses={201: CommandResultSerializer, **{code: ErrorSerializer for code in
                                                    (400, 401, 403, 404, 409, 412, 413, 415, 422, 428)}},
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
        command = parse_command(kind, fields)
        return idempotent(request, lambda: self._handle(command, slug, request.user, version))

    @staticmethod
    def _handle(command, slug, user, version) -> Response:
        try:
            result = services.handle(command, slug=slug, user=user, expected_version=version)
        except services.ConcurrencyConflict as exc:
            raise PreconditionFailed(version, exc.actual if exc.actual is not None
                                     else current_version(slug)) from None
        response = Response(result_body(result), status=status.HTTP_201_CREATED)
        response["ETag"] = f'"{response.data["version"]}"'
        return response
