"""`follow --witness`: after copying, this copy witnesses the followed log (registry/eventstore/witness.py).

One round: fetch the log's latest signed checkpoint, ask it for the consistency proof from the last checkpoint
this copy cosigned, let the witness check both (signature under the configured key, the proof, the copy's own
root of the same events) and cosign, then hand the cosignature to the log (POST /api/v1/log/cosignatures).
"""

from __future__ import annotations

import base64
import binascii
import json
import urllib.error
import urllib.parse
import urllib.request

from agreements import services
from agreements.queries.log import witnessed_size

MAX_BODY = 64 * 1024


class WitnessFailed(Exception):
    """The round could not be done (the log unreachable or answering nonsense); nothing was cosigned."""


def _request(url: str, data: bytes | None = None, token: str | None = None, timeout: float = 30) -> bytes:
    headers = {"Content-Type": "application/json"} if data is not None else {}
    if token:
        headers["Authorization"] = f"Token {token}"
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read(MAX_BODY + 1)[:MAX_BODY + 1]
    except urllib.error.HTTPError as exc:
        detail = exc.read(2000).decode("utf-8", "replace")
        raise WitnessFailed(f"{url}: HTTP {exc.code} {detail}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise WitnessFailed(f"{url}: {exc}") from None


def witness_round(base_url: str, log_key: str, token: str | None) -> str:
    """Witness the log at `base_url` once; returns what happened, raises WitnessRefused or WitnessFailed."""
    base = base_url.rstrip("/")
    body = _request(f"{base}/api/v1/log/checkpoint")
    if len(body) > MAX_BODY:
        raise WitnessFailed("the checkpoint is larger than any checkpoint is")
    signed = body.decode("utf-8", "replace")
    origin, size, last = witnessed_size(signed)
    proof = []
    if 0 < last < size:
        query = urllib.parse.urlencode({"first": last, "second": size})
        try:
            answer = json.loads(_request(f"{base}/api/v1/log/consistency?{query}"))
            proof = [base64.b64decode(h, validate=True) for h in answer["hashes"]]
        except (ValueError, KeyError, TypeError, binascii.Error) as exc:
            raise WitnessFailed(f"the consistency proof is malformed: {exc}") from None
    line = services.witness_checkpoint(signed, log_key, proof)
    _request(f"{base}/api/v1/log/cosignatures", json.dumps({"checkpoint": signed, "cosignature": line}).encode(),
             token)
    return f"cosigned {origin} at {size} events"


def after_pass(command, base_url: str, log_key: str, token: str | None, once: bool) -> None:
    """What `follow --witness` does after each pass; a refusal stops follow (the log cannot be trusted)."""
    from django.core.management.base import CommandError

    try:
        command.stdout.write(witness_round(base_url, log_key, token))
    except services.WitnessRefused as exc:
        if exc.later:
            command.stderr.write(f"not cosigned yet: {exc}")
            return
        raise CommandError(f"refused to cosign: {exc}") from None
    except WitnessFailed as exc:
        if once:
            raise CommandError(f"witnessing failed: {exc}") from None
        command.stderr.write(f"witnessing failed ({exc}); trying again after the next pass")
