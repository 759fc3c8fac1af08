"""Idempotency-Key on the write endpoints: a retried POST is answered with the first response, never run twice.

The rules (scope, fingerprint, waiting twins, retention) are agreements/idempotency/keys.py's; this module
only reads the header and turns the outcome into HTTP: a replay (header `Idempotent-Replayed: true`) or a
422 naming `Idempotency-Key` when the key was used for a different request.
"""

from __future__ import annotations

import json
import re

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from agreements.idempotency import keys

KEPT_HEADERS = ("ETag", "Location")


class IdempotencyKeyReused(ValidationError):
    status_code = 422
    default_code = "idempotency_key_reused"


# A key: 1 to MAX_KEY_LENGTH printable ASCII characters, neither starting nor ending with a space or a double quote;
# sent bare or, as the IETF draft writes it, as a structured-field string ("8e03978e-..."): the same key either
# way. One grammar, which the OpenAPI schema declares as it is (agreements/api/schema.py): a value the schema
# refuses is refused here, and the other way round.
BARE_KEY = rf"[\x21\x23-\x7e](?:[\x20-\x7e]{{0,{keys.MAX_KEY_LENGTH - 2}}}[\x21\x23-\x7e])?"
KEY_RE = re.compile(rf'(?:"(?P<quoted>{BARE_KEY})"|(?P<bare>{BARE_KEY}))\Z')


def idempotency_key(request) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    match = KEY_RE.match(key)
    if match is None:
        raise ValidationError({"Idempotency-Key": [
            f"Give a key of 1 to {keys.MAX_KEY_LENGTH} printable ASCII characters, e.g. a UUID (bare or in double "
            "quotes, neither starting nor ending with a space)."]})
    return match["quoted"] or match["bare"]


def idempotent(request, write) -> Response:
    """Run `write()` (which answers a Response) at most once per user, endpoint and key."""
    key = idempotency_key(request)
    if key is None:
        return write()
    print_ = keys.fingerprint(request.method, request.path, request.data)
    with transaction.atomic():
        try:
            claimed = keys.claim(request.user.pk, request.path, key, print_)
        except keys.IdempotencyKeyReused:
            raise IdempotencyKeyReused({"Idempotency-Key": [
                "This key was used for a different request (another body or endpoint): "
                "use a new key for a new request."]}) from None
        if isinstance(claimed, keys.Replay):
            return _replayed(claimed)
        response = write()
        body = json.loads(json.dumps(response.data, cls=DjangoJSONEncoder))
        keys.remember(claimed, response.status_code, body,
                      {name: response[name] for name in KEPT_HEADERS if response.has_header(name)})
    return response


def _replayed(replay: keys.Replay) -> Response:
    body = {**replay.body, "replayed": True} if isinstance(replay.body, dict) and "replayed" in replay.body \
        else replay.body
    response = Response(body, status=replay.status_code)
    for name, value in replay.headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response
