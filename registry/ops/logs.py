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

import logging
import re
import time

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

    def formatTime(self, record, datefmt=None):
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z"

    def format(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = ""
        return scrub(super().format(record))


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
    match = getattr(request, "resolver_match", None)
    if match is None or match.route is None:
        return "<unmatched>"
    return "/" + match.route
