"""Log lines as JSON (one object per line), each with its request id, and never a secret.

`LOGGING` in settings uses `JsonFormatter` when PACTA_LOG_FORMAT=json (the default outside the embedded
development setup; `text` gives the classic lines). Every line has `time`, `level`, `logger`, `message`,
`request_id`, plus any `extra={...}` the caller passed (the access log's `method`, `route`, `status`,
`duration_ms`).

No secret in a log line: the formatted line (message, extras and traceback alike) is scrubbed of
`Authorization` values (`Token …`, `Bearer …`, `Basic …`), passwords in URLs (`scheme://user:PASSWORD@`),
and `password=`, `token=`, `secret=`, `key=` values (query strings, keyword dumps), before it is written.
"""

from __future__ import annotations

import json
import logging
import re
import time

from pythonjsonlogger.json import JsonEncoder
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

REDACTED = "[redacted]"
# (pattern, replacement, words): a pattern can match only a text holding one of its words, in any case. Python's
# case-blind regular expressions cost about 70 microseconds each on a 300-character line, and every request
# writes one (the access line): the words, looked for in the lowered line, skip the patterns that cannot match.
_PATTERNS = [
    (re.compile(r"(?i)\b(token|bearer|basic)(\s+)[A-Za-z0-9._~+/=\-]{6,}"), r"\1\2" + REDACTED,
     ("token", "bearer", "basic")),
    (re.compile(r"(?i)([a-z][a-z0-9+.\-]*://[^\s:/@\"']*:)[^\s@/\"']+@"), r"\1" + REDACTED + "@", ("://",)),
    # `name=value`, `"name": "value"`, `'name': 'value'` (also inside the JSON line, quotes escaped).
    (re.compile(r"(?i)\b((?:[a-z_]*_)?(?:password|passwd|token|secret|api_?key|key))"
                r"((?:\\?[\"'])?\s*[=:]\s*(?:\\?[\"'])?)[^\s&\"',;}\\]+"), r"\1\2" + REDACTED,
     ("password", "passwd", "token", "secret", "key")),
]


def scrub(text: str) -> str:
    """The text with every secret the patterns know replaced by REDACTED.

    Only an ASCII text is pre-screened by its words: there `lower()` is exactly the regular expressions' case
    folding, while in Unicode it is not (the Kelvin sign and the long s match `k` and `s` case-blind), so any other
    text meets every pattern."""
    lowered = text.lower() if text.isascii() else None
    for pattern, replacement, words in _PATTERNS:
        if lowered is None or any(word in lowered for word in words):
            text = pattern.sub(replacement, text)
    return text


class JsonFormatter(_JsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", False)
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s", *args, **kwargs)
        # `_fields` writes what python-json-logger writes under this configuration (no defaults, static fields,
        # timestamp, prefix or serializer of the caller's): with any of them, its own path writes every line.
        self._direct = (not (self.defaults or self.static_fields or self.timestamp or self.rename_fields_keep_missing
                             or self.prefix or self.json_default or self.json_indent is not None)
                        and self.json_ensure_ascii and self.json_encoder is JsonEncoder
                        and self.json_serializer is json.dumps)
        self._encoder = JsonEncoder(ensure_ascii=True)
        self._named = [(self._get_rename(field), field) for field in self._required_fields]
        self._second = (None, "")  # the last second formatted, and its text

    def formatTime(self, record, datefmt=None):
        second, text = self._second
        if second != int(record.created):
            second = int(record.created)
            text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
            self._second = (second, text)
        return f"{text}.{int(record.msecs):03d}Z"

    def format(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = ""
        if (not self._direct or isinstance(record.msg, dict) or record.exc_info or record.exc_text
                or record.stack_info):
            return scrub(super().format(record))
        return scrub(self._encoder.encode(self._fields(record)))

    def _fields(self, record) -> dict:
        """What python-json-logger's `format` writes for a record with a text message and no exception or stack
        (nearly every line, the access log's among them), made directly: its general path spent a fifth of a
        revalidation's time at the door. The fields the format names, renamed, then every extra the record carries,
        in order (tests/ops/test_logs.py holds the two lines equal)."""
        record.message = record.getMessage()
        record.asctime = self.formatTime(record, self.datefmt)
        attributes = record.__dict__
        fields = {name: attributes.get(field) for name, field in self._named}
        skip, renamed = self._skip_fields, self.rename_fields
        for key, value in attributes.items():
            if key not in skip and not (hasattr(key, "startswith") and key.startswith("_")):
                fields[renamed.get(key, key)] = value
        return fields


class TextFormatter(logging.Formatter):
    def __init__(self, *args, **kwargs):
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = ""
        return scrub(super().format(record))


class AccessLogMiddleware:
    """One line per request on the `pacta.access` logger (INFO): method, route, status, duration, request id.

    The route is the URL pattern (`api/v1/agreements/<path:slug>/`), not the path: no query string, so no
    token or search text the caller put in the address reaches the log."""

    logger = logging.getLogger("pacta.access")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        if ACCESS_LOG.isEnabledFor(logging.INFO):
            log_access(request.method, route_of(request), response.status_code, time.perf_counter() - started)
        return response


ACCESS_LOG = AccessLogMiddleware.logger


def log_access(method: str, route: str, status: int, seconds: float) -> None:
    """The access line of one answered request (also for answers given before Django's middleware runs:
    registry/revalidation.py's door). The record is made and handed over directly: `logger.info` would also walk
    the stack for the caller's file and line, which no access line shows (a tenth of a 304's time)."""
    ACCESS_LOG.handle(ACCESS_LOG.makeRecord(
        ACCESS_LOG.name, logging.INFO, "(access)", 0, "%s %s %s", (method, route, status), None, extra={
            "method": method, "route": route, "status": status, "duration_ms": round(seconds * 1000, 2)}))


def route_of(request) -> str:
    return route_of_match(getattr(request, "resolver_match", None))


def route_of_match(match) -> str:
    """The route of a URL match (`/api/v1/agreements/<path:slug>/`), `<unmatched>` for none."""
    if match is None or match.route is None:
        return "<unmatched>"
    return "/" + match.route
