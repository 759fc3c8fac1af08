"""JSON bodies, bounded: over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413, and text the database cannot hold is a 400.

Django enforces its body limit only on `request.body`; DRF reads the stream, so the limit is enforced here,
whether or not the client sent a Content-Length.
"""

from __future__ import annotations

import codecs
import json

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from .errors import PayloadTooLarge


def _check_text(value, path="body"):
    """NUL characters and lone surrogates cannot be stored (PostgreSQL refuses them): reject them early."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ParseError(f"{path}: NUL characters are not allowed.")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError(f"{path}: not valid Unicode text.") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, path)
            _check_text(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_text(item, f"{path}[{index}]")


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        length = request.META.get("CONTENT_LENGTH") if request is not None else None
        if length and str(length).isdigit() and limit is not None and int(length) > limit:
            raise PayloadTooLarge(limit)
        raw = stream.read(limit + 1) if (stream is not None and limit is not None) else (stream.read() if stream else b"")
        if limit is not None and len(raw) > limit:
            raise PayloadTooLarge(limit)
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            codecs.lookup(encoding)
            text = raw.decode(encoding)
            data = json.loads(text, parse_constant=_no_constants)
        except (ValueError, LookupError, RecursionError) as exc:
            raise ParseError(f"JSON parse error - {exc}"[:500]) from None
        _check_text(data)
        return data


def _no_constants(name):
    raise ValueError(f"{name} is not valid JSON.")
