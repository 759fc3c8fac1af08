"""The transparency log: the signed checkpoint, the verifier key, inclusion and consistency proofs, and the
witnesses' cosignatures (docs/log.md). Anyone may read; witnesses authenticate by their cosignature."""

from __future__ import annotations

import re
from typing import Callable

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from agreements.queries import log
from agreements import services

from ..examples import SLUG
from ..inputs import StrictTypes
from ..serializers import ErrorSerializer
from .base import ApiView

MAX_INT = 2 ** 63 - 1


class PlainTextRenderer(BaseRenderer):
    media_type = "text/plain"
    format = "txt"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data.encode("utf-8") if isinstance(data, str) else data


class NoCheckpoint(APIException):
    """No checkpoint to serve: this log has no signing key (the message names the settings), or none has been
    signed yet (one is, within seconds, while Celery beat runs)."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "no_checkpoint"


def _checkpoint_of(read):
    """read(), or a 503 saying why there is no checkpoint (with Retry-After when one is only not signed yet)."""
    try:
        return read()
    except log.NoSigningKey as exc:
        raise NoCheckpoint(str(exc)) from None
    except log.NoCheckpoint as exc:
        error = NoCheckpoint(str(exc))
        error.wait = max(1, int(settings.PACTA_LOG_CHECKPOINT_INTERVAL))  # DRF sends it as Retry-After
        raise error from None


def int_param(request, name: str, required: bool) -> int | None:
    """A non-negative decimal below 2^63, or a 400 naming the parameter."""
    value = request.query_params.get(name)
    if value is None:
        if required:
            raise ValidationError({name: ["This parameter is required."]})
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 19 or not 1 <= int(value) <= MAX_INT:
        raise ValidationError({name: ["Give a whole number from 1 to 2^63 - 1."]})
    return int(value)


def _refused(exc: log.LogRequestError) -> Response:
    """Malformed numbers are 400s (int_param). A well-formed number outside the tree is a 404 when it names a
    tree or leaf the log does not have (yet), a 422 when two parameters contradict each other (a leaf past the
    tree size given, a first tree larger than the second); each names the parameter."""
    return Response({"detail": str(exc), "errors": {exc.field: [str(exc)]}}, status=404 if exc.beyond else 422)


def _text(body: str) -> HttpResponse:
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


class LogCheckpointView(ApiView):
    """The latest signed checkpoint (C2SP tlog-checkpoint as a signed note, Ed25519), followed by the
    cosignature lines of the witnesses this log trusts. A new checkpoint is signed in the background at most
    every few seconds while the log grows; this only reads the newest."""

    renderer_classes = [PlainTextRenderer, JSONRenderer]

    @extend_schema(operation_id="log_checkpoint", responses={
        (200, "text/plain"): OpenApiResponse(OpenApiTypes.STR, description="origin, tree size, base64 root hash, "
                                             "a blank line, the log's signature line, witnesses' cosignature lines"),
        (400, "application/json"): ErrorSerializer, (503, "application/json"): ErrorSerializer})
    def get(self, request):
        response = _text(_checkpoint_of(log.checkpoint_text))
        patch_cache_control(response, max_age=int(settings.PACTA_LOG_CHECKPOINT_INTERVAL))
        return response


class LogKeyView(ApiView):
    """The log's verifier key, `<name>+<key ID>+<base64(0x01 || Ed25519 public key)>` (C2SP signed-note)."""

    renderer_classes = [PlainTextRenderer, JSONRenderer]

    @extend_schema(operation_id="log_key", responses={(200, "text/plain"): OpenApiTypes.STR,
                                                      (400, "application/json"): ErrorSerializer,
                                                      (503, "application/json"): ErrorSerializer})
    def get(self, request):
        return _text(_checkpoint_of(log.verifier_key) + "\n")


class InclusionProofSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    leaf_index = serializers.IntegerField(help_text="position - 1")
    tree_size = serializers.IntegerField()
    leaf_hash = serializers.CharField(help_text="base64 SHA-256(0x00 || canonical record)")
    hashes = serializers.ListField(child=serializers.CharField(), help_text="RFC 6962 PATH, leaf to root, base64")
    root = serializers.CharField(help_text="base64 root of the tree of tree_size (check it against a checkpoint)")


class ConsistencyProofSerializer(serializers.Serializer):
    first = serializers.IntegerField()
    second = serializers.IntegerField()
    hashes = serializers.ListField(child=serializers.CharField(), help_text="RFC 6962 PROOF, base64")
    first_root = serializers.CharField()
    second_root = serializers.CharField()


SIZE = {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_INT}
POSITION = OpenApiParameter("position", SIZE, required=True, description="The event's position (1-based).")
TREE_SIZE = OpenApiParameter("tree_size", SIZE, description="Default: the latest checkpoint's size.")
FIRST = OpenApiParameter("first", SIZE, required=True, description="The smaller tree size.")
SECOND = OpenApiParameter("second", SIZE, description="Default: the latest checkpoint's size.")
PROOF_ERRORS = {400: ErrorSerializer, 404: ErrorSerializer, 422: ErrorSerializer}


class ProofView(ApiView):
    """A proof between two numbers of the query, the second defaulting to the latest checkpoint's size:
    each is a 400 when malformed (int_param), the proof's refusal a 404 or 422 naming it (`_refused`)."""

    parameters: tuple[str, str]  # each proof view's (required, optional) parameter names
    prove: Callable[[int, int | None], dict]  # each proof view's query (a staticmethod)

    def get(self, request):
        required, optional = self.parameters
        try:
            return Response(self.prove(int_param(request, required, True), int_param(request, optional, False)))
        except log.LogRequestError as exc:
            return _refused(exc)


@extend_schema_view(get=extend_schema(operation_id="log_inclusion", parameters=[POSITION, TREE_SIZE],
                                      responses={200: InclusionProofSerializer, **PROOF_ERRORS}))
class LogInclusionView(ProofView):
    """The inclusion proof of one event in the tree of `tree_size` events (RFC 6962 section 2.1.1)."""

    parameters = ("position", "tree_size")
    prove = staticmethod(log.inclusion)


@extend_schema_view(get=extend_schema(operation_id="log_consistency", parameters=[FIRST, SECOND],
                                      responses={200: ConsistencyProofSerializer, **PROOF_ERRORS}))
class LogConsistencyView(ProofView):
    """The consistency proof between two tree sizes (RFC 6962 section 2.1.2)."""

    parameters = ("first", "second")
    prove = staticmethod(log.consistency)


class AgreementProofsView(ApiView):
    """Verify this page: the signed checkpoint, the log's key, and every event the agreement rests on, with
    its record as stored, its leaf hash and its inclusion proof in the checkpoint's tree."""

    @extend_schema(operation_id="agreements_proofs", parameters=[SLUG],
                   responses={200: OpenApiTypes.OBJECT, 404: ErrorSerializer, 503: ErrorSerializer})
    def get(self, request, slug):
        return Response(_checkpoint_of(lambda: log.agreement_proofs(slug, self.include_unpublished)))


# What a checkpoint of this log and a cosignature/v1 line look like (C2SP): anything else is a 400 naming the
# field; what has their shape and still is refused gets 403 (not a trusted witness's, or not verifying), 404 (no
# such checkpoint) or 409 (replayed, older, from the future).
NAME = r"[!-*,-~]+"  # printable ASCII but '+': the key names and origins this log accepts
CHECKPOINT_PATTERN = (rf"^{NAME}\n(0|[1-9][0-9]{{0,17}})\n[A-Za-z0-9+/]{{43}}=\n"
                      rf"(\n(\u2014 {NAME} [A-Za-z0-9+/]+={{0,2}}\n){{1,16}})?$")
COSIGNATURE_PATTERN = rf"^\u2014 {NAME} [A-Za-z0-9+/]{{102}}==\n?$"


class CosignatureInputSerializer(StrictTypes, serializers.Serializer):
    checkpoint = serializers.RegexField(CHECKPOINT_PATTERN, max_length=4096, trim_whitespace=False,
                                        help_text="The checkpoint cosigned: its note text, or the whole signed note.")
    cosignature = serializers.RegexField(COSIGNATURE_PATTERN, max_length=300, trim_whitespace=False,
                                         help_text="The witness's signature line (C2SP tlog-cosignature, "
                                                   "cosignature/v1, Ed25519).")


class CosignatureSerializer(serializers.Serializer):
    tree_size = serializers.IntegerField()
    witness = serializers.CharField()
    timestamp = serializers.IntegerField()


class LogCosignaturesView(ApiView):
    """A witness hands in its cosignature of one of this log's checkpoints, with an API token of this log
    (the one it follows the feed with). A malformed one is a 400; one by a key not in PACTA_LOG_WITNESSES, or
    that does not verify, a 403; one of a checkpoint this log never signed a 404; a replayed or older one, or
    one from the future, a 409. Nothing is stored then."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="log_cosignatures_create", request=CosignatureInputSerializer,
                   responses={201: CosignatureSerializer, 400: ErrorSerializer, 401: ErrorSerializer,
                              403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer})
    def post(self, request):
        data = CosignatureInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            stored = services.accept_cosignature(data.validated_data["checkpoint"],
                                                 data.validated_data["cosignature"])
        except services.CosignatureRefused as exc:
            return Response({"detail": str(exc), "code": exc.code, "errors": {exc.field: [str(exc)]}},
                            status=exc.status)
        return Response({"tree_size": stored.checkpoint_id, "witness": stored.witness, "timestamp": stored.timestamp},
                        status=status.HTTP_201_CREATED)


# C2SP tlog-tiles: `<level>/<index>` or `<level>/<index>.p/<width>`, the index in 3-digit groups, each but the last
# prefixed with `x` (1234067 is x001/x234/067); a width from 1 to 255 without leading zeroes.
TILE_PATH = re.compile(r"(?P<level>[0-7])/(?P<index>(?:x[0-9]{3}/)*[0-9]{3})(?:\.p/(?P<width>[1-9][0-9]{0,2}))?")
IMMUTABLE = 365 * 24 * 3600


class LogTileView(ApiView):
    """A hash tile of the log's Merkle tree (C2SP tlog-tiles), `application/octet-stream`: a full tile of 256
    hashes, or a partial one (`.p/<width>`) while the tree does not complete it. A tile never changes, so it is
    cached for a year. Entry bundles are not served: a hidden event's content is not public (its leaf hash is,
    in the level-0 tiles). Not a JSON endpoint: outside the OpenAPI schema, like static files."""

    schema = None

    def perform_content_negotiation(self, request, force=False):
        """A tile is bytes whatever the Accept header says (a tile client may ask for application/octet-stream):
        the tile is its own response; only errors are rendered, as JSON."""
        return JSONRenderer(), JSONRenderer.media_type

    def get(self, request, tile):
        match = TILE_PATH.fullmatch(tile)
        if match is None:
            raise NotFound("Not a tile path: <level>/<index>[.p/<width>], the index in 3-digit groups "
                           "(x001/x234/067).")
        index = int(match["index"].replace("x", "").replace("/", ""))
        width = int(match["width"]) if match["width"] else None
        try:
            body = log.tile(int(match["level"]), index, width)
        except log.LogRequestError as exc:
            return _refused(exc)
        return HttpResponse(body, content_type="application/octet-stream")

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:  # the same bytes for every caller, for ever
            response["Cache-Control"] = f"public, max-age={IMMUTABLE}, immutable"
        return response
