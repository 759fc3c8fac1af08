"""Conditional GETs answered at the door when nothing was written since the view made their ETag.

A client that holds a read and revalidates it (`If-None-Match`) asks one question: has anything changed? The
view answers it with one version lookup, but only after the whole middleware stack, authentication, content
negotiation and throttling have run: nearly as much work as sending the body again from the cache
(`bench.api_load` measured a 304 at 1.3x the rate of a full GET). Here the answer is remembered instead.

The registry's **read generation** is a token that every committed write to the event log replaces
(registry/generation.py; the event store advances it once a write commits). When a view opts in
(`remember_validator(response)`) and answers an anonymous conditional GET with an ETag, the address (host, path and
query, and the request headers the answer varies on) is remembered, in the process's own memory, with that ETag and
the generation read *before* the view ran. A later anonymous conditional GET of the same address that names that ETag, while the
generation is still the same, gets its 304 here: nothing was written since the view made the tag, so the view
would make the same tag again. A write between the reading of the generation and the view's lookup leaves an
entry under the old generation, which no later request matches: a miss, never a wrong 304.

Bounds, and why they are safe:
- Anonymous requests only (no `Authorization` header, no session cookie): what a logged-in caller sees is
  private to them and checked by the view every time.
- An entry lives `PACTA_API_CACHE_SECONDS` at most: as long as any public cache may keep the body without
  asking (the answer's `Cache-Control: max-age`). So where a write's new generation does not reach a process
  (a local-memory cache in another process, a write by hand in SQL) or the day turns (a read without `as_of`
  is as of today), a 304 is no staler than the HTTP contract already allows. Another process's write reaches
  this one within `PACTA_READ_GENERATION_SECONDS` (1 s): the price of answering without a round trip.
- At most `MAX_REMEMBERED` addresses per process, the least recently used forgotten first.
- The anonymous throttle still counts the request; a throttled client goes on to the view and its 429.
- If the shared cache does not answer when the generation is due to be read again, the request goes on to the
  view: reads never depend on the cache.
- A request without `If-None-Match` costs nothing here: the first revalidation of an address goes to the view
  and is remembered, the next ones are answered here.

Two places answer, with the same checks and the same remembered entry: under a WSGI server (gunicorn,
`registry/wsgi.py`) the **door** (`answer_at_the_door`) answers before Django's handler, its signals and its
middleware run, which were two thirds of a 304's cost over HTTP; the middleware answers what reaches Django (the
test client, a refused throttle) and remembers what views mark.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponseNotModified
from django.http.cookie import parse_cookie
from django.middleware.security import SecurityMiddleware
from django.utils.module_loading import import_string

from registry import generation as read_generation
from registry.ops import request_id as request_ids
from registry.ops.logs import ACCESS_LOG, log_access, route_of
from registry.ops.request_metrics import count_request

log = logging.getLogger(__name__)

MAX_REMEMBERED = 10_000
# The request headers an answer may vary on (the API's Vary: Accept, Authorization, Cookie; the language).
_VARIES_ON = ("HTTP_ACCEPT", "HTTP_ACCEPT_LANGUAGE", "HTTP_COOKIE")
# What tells one address from another: the scheme and host as the client or a proxy named them, the path and
# query as sent, and the headers the answer varies on.
_ADDRESS = ("wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "HTTP_X_FORWARDED_HOST",
            "HTTP_X_FORWARDED_PROTO", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", *_VARIES_ON)
# The headers of the original answer a 304 repeats (RFC 9110 15.4.5).
_REPEATED = ("ETag", "Cache-Control", "Vary", "Content-Location", "Expires")


class _Remembered:
    """address -> (generation, headers, throttles, expires, the view's URL match), least recently used first; one
    per process."""

    def __init__(self):
        self._entries: OrderedDict[str, tuple] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[3] <= time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: tuple) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > MAX_REMEMBERED:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_remembered = _Remembered()


def forget() -> None:
    """Forget every remembered validator and the generation this process read (after the cache was cleared)."""
    _remembered.clear()
    read_generation.forget()


def remember_validator(response, throttles=()):
    """Mark a view's answer as revalidated by its ETag alone (its tag changes with every write it depends on);
    `throttles`: the view's throttle classes, which count its remembered answers too."""
    response.pacta_remember_validator = [f"{cls.__module__}.{cls.__qualname__}" for cls in throttles]
    return response


def _seconds() -> float:
    return getattr(settings, "PACTA_API_CACHE_SECONDS", 60)


def _eligible(meta, method) -> bool:
    """An anonymous conditional GET or HEAD, while validators may be remembered at all. Anonymous: no
    `Authorization` header and no session cookie (what a logged-in caller sees is theirs, checked every time)."""
    return ("HTTP_IF_NONE_MATCH" in meta and method in ("GET", "HEAD") and "HTTP_AUTHORIZATION" not in meta
            and settings.SESSION_COOKIE_NAME not in parse_cookie(meta.get("HTTP_COOKIE", "")) and bool(_seconds()))


_UNAVAILABLE = object()


def _generation():
    """The read generation, or _UNAVAILABLE when the shared cache does not answer (the view answers then)."""
    try:
        return read_generation.current()
    except Exception as exc:  # noqa: BLE001 - the shared cache is down: the view answers
        log.warning("revalidation skipped, cache unavailable (%s: %s)", type(exc).__name__, exc)
        return _UNAVAILABLE


def _address_key(meta) -> str:
    """The address as the request gave it, unvalidated: a host Django refuses never got an answer to remember,
    so its key is never found (and validating it, with the path rebuilt, was a third of a 304's own time)."""
    return hashlib.sha256("\x1f".join([str(meta.get(name, "")) for name in _ADDRESS]).encode()).hexdigest()


def _tags(meta) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in meta.get("HTTP_IF_NONE_MATCH", "").split(",")}


def _fresh_entry(key: str, generation, meta):
    """The entry remembered under `key`, if nothing was written since and the request names its ETag."""
    entry = _remembered.get(key)
    if entry is not None and entry[0] == generation and entry[1]["ETag"] in _tags(meta):
        return entry
    return None


def _throttled(request, throttles) -> bool:
    """Whether one of the view's throttles refuses this request (counting it, as the view would)."""
    request.user = AnonymousUser()  # _eligible(...) held; AuthenticationMiddleware sets it again if it runs
    return not all(import_string(path)().allow_request(request, None) for path in throttles)


def _not_modified(request, entry):
    request.resolver_match = entry[4]  # the route, for the metrics and the access log, as if the view had answered
    response = HttpResponseNotModified()
    for name, value in entry[1].items():
        response[name] = value
    return response


# Set in the WSGI environ when the door counted a request its throttle refused: the middleware does not count it
# again, and the view answers its 429.
_THROTTLED_AT_DOOR = "pacta.revalidation.throttled"


class RevalidationMiddleware:
    """Answers a remembered anonymous conditional GET with 304 before the rest of the stack runs, and remembers
    the validators views mark. Under a WSGI server the door (`answer_at_the_door`) answers most of them first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        if not _eligible(meta, request.method):
            return self.get_response(request)
        generation = _generation()
        if generation is _UNAVAILABLE:
            return self.get_response(request)
        key = _address_key(meta)
        entry = _fresh_entry(key, generation, meta)
        if entry is not None and not meta.get(_THROTTLED_AT_DOOR) and not _throttled(request, entry[2]):
            return _not_modified(request, entry)
        response = self.get_response(request)
        throttles = getattr(response, "pacta_remember_validator", None)
        if throttles is not None and response.status_code in (200, 304) and response.has_header("ETag"):
            headers = {name: response[name] for name in _REPEATED if response.has_header(name)}
            _remembered.put(key, (generation, headers, throttles, time.monotonic() + _seconds(),
                                  getattr(request, "resolver_match", None)))
        return response


# ------------------------------------------------------------------------------------------------ the door


def answer_at_the_door(app):
    """The WSGI application `app`, with remembered revalidations answered before Django's handler runs.

    Under gunicorn a 304 from the middleware still paid Django's request handling, its signals and the seven
    middleware before this one: three times what gunicorn itself costs a request (bench.api_load's floor). At the
    door it pays what the answer needs and no more: the same checks and entry as the middleware, the view's
    throttles, the security headers Django's SecurityMiddleware adds to every answer, the request id, the
    metrics and the access line. Anything else (a header holding a NUL, which the input guard refuses with a
    400; a miss; a refused throttle) goes on to Django, whose middleware decides again."""

    def application(environ, start_response):
        if "HTTP_IF_NONE_MATCH" in environ:
            try:
                response = _answer(environ)
            except Exception:  # noqa: BLE001 - the door only ever saves work: Django answers, and reports it
                log.exception("revalidation at the door failed; the request goes on to Django")
                response = None
            if response is not None:
                start_response("304 Not Modified", list(response.items()))
                return []
        return app(environ, start_response)

    return application


def _answer(environ):
    started = time.perf_counter()
    method = environ.get("REQUEST_METHOD")
    if not _eligible(environ, method) or any(
            "\x00" in value for name, value in environ.items() if name.startswith("HTTP_") and isinstance(value, str)):
        return None
    generation = _generation()
    if generation is _UNAVAILABLE:
        return None
    entry = _fresh_entry(_address_key(environ), generation, environ)
    if entry is None:
        return None
    request = WSGIRequest(environ)  # what the throttles and the security headers read; the body is not read
    request_id = request_ids.accept(environ.get(request_ids.META_NAME))
    with request_ids.bound(request_id):
        if entry[2] and _throttled(request, entry[2]):
            environ[_THROTTLED_AT_DOOR] = True
            return None
        response = _security_headers().process_response(request, _not_modified(request, entry))
        response[request_ids.HEADER] = request_id
        route, seconds = route_of(request), time.perf_counter() - started
        count_request(route, method, response.status_code, seconds)
        if ACCESS_LOG.isEnabledFor(logging.INFO):
            log_access(method, route, response.status_code, seconds)
    return response


@functools.cache
def _security_headers() -> SecurityMiddleware:
    return SecurityMiddleware(lambda request: None)
