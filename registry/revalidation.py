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
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import setting_changed
from django.http import HttpResponseNotModified
from django.http.cookie import parse_cookie
from django.middleware.security import SecurityMiddleware
from django.utils.module_loading import import_string

from registry import generation as read_generation
from registry.ops import request_id as request_ids
from registry.ops.logs import ACCESS_LOG, log_access, route_of_match
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


class _Entry(NamedTuple):
    """What is remembered of a view's answer to one address."""

    generation: str
    etag: str
    headers: tuple  # the repeated headers, (name, value) pairs as the view's answer held them
    throttles: list  # the view's throttle classes, by dotted path
    expires: float  # time.monotonic()
    match: object  # the view's URL match: the route of the metrics and the access line
    route: str


class _Remembered:
    """address -> _Entry, least recently used first; one per process."""

    def __init__(self):
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.expires <= time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: _Entry) -> None:
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


def _conditional_and_anonymous(meta, method) -> bool:
    """A conditional GET or HEAD without an `Authorization` header, while validators may be remembered at all."""
    return ("HTTP_IF_NONE_MATCH" in meta and method in ("GET", "HEAD") and "HTTP_AUTHORIZATION" not in meta
            and bool(_seconds()))


def _eligible(meta, method, cookies=None) -> bool:
    """An anonymous conditional GET or HEAD, while validators may be remembered at all. Anonymous: no
    `Authorization` header and no session cookie (what a logged-in caller sees is theirs, checked every time).
    `cookies`: the request's, when Django parsed them already."""
    if not _conditional_and_anonymous(meta, method):
        return False
    if cookies is None:
        cookies = parse_cookie(meta["HTTP_COOKIE"]) if "HTTP_COOKIE" in meta else {}
    return settings.SESSION_COOKIE_NAME not in cookies


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
    if entry is not None and entry.generation == generation and entry.etag in _tags(meta):
        return entry
    return None


@functools.cache
def _throttle_class(path: str):
    return import_string(path)


def _throttled(request_of, throttles) -> bool:
    """Whether one of the view's throttles refuses this request (counting it, as the view would). `request_of()`
    gives the request; it is asked only for a throttle that reads it: one whose rate is off (DRF's `rate` None)
    lets every request through unread."""
    request = None
    for path in throttles:
        throttle = _throttle_class(path)()
        if getattr(throttle, "rate", True) is None:
            continue
        if request is None:
            request = request_of()
            request.user = AnonymousUser()  # _eligible(...) held; AuthenticationMiddleware sets it again if it runs
        if not throttle.allow_request(request, None):
            return True
    return False


def _not_modified(request, entry):
    request.resolver_match = entry.match  # the route, for the metrics and the access log, as if the view had answered
    response = HttpResponseNotModified()
    for name, value in entry.headers:
        response[name] = value
    return response


# Set in the WSGI environ by the door, for the middleware: (generation, address key) when the door looked the
# address up and did not answer (a miss, or a refused throttle), so that neither is made twice (nor a cache that
# does not answer reported twice); _UNAVAILABLE for the generation when the shared cache did not answer.
_LOOKED_UP = "pacta.revalidation.looked_up"
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
        if not _eligible(meta, request.method, request.COOKIES):
            return self.get_response(request)
        generation, key = meta.get(_LOOKED_UP) or (_generation(), None)
        if generation is _UNAVAILABLE:
            return self.get_response(request)
        if key is None:
            key = _address_key(meta)
        entry = _fresh_entry(key, generation, meta)
        if entry is not None and not meta.get(_THROTTLED_AT_DOOR) and not _throttled(lambda: request, entry.throttles):
            return _not_modified(request, entry)
        response = self.get_response(request)
        throttles = getattr(response, "pacta_remember_validator", None)
        if throttles is not None and response.status_code in (200, 304) and response.has_header("ETag"):
            headers = tuple((name, response[name]) for name in _REPEATED if response.has_header(name))
            match = getattr(request, "resolver_match", None)
            _remembered.put(key, _Entry(generation, response["ETag"], headers, throttles,
                                        time.monotonic() + _seconds(), match, route_of_match(match)))
        return response


# ------------------------------------------------------------------------------------------------ the door


def answer_at_the_door(app):
    """The WSGI application `app`, with remembered revalidations answered before Django's handler runs.

    Under gunicorn a 304 from the middleware still paid Django's request handling, its signals and the seven
    middleware before this one: three times what gunicorn itself costs a request (bench.api_load's floor). At the
    door it pays what the answer needs and no more: the same checks and entry as the middleware, the view's
    throttles, the security headers Django's SecurityMiddleware adds to every answer, the request id, the
    metrics and the access line. Anything else (a header holding a NUL, which the input guard refuses with a
    400; a miss; a refused throttle) goes on to Django, whose middleware decides again.

    What a 304 does not need, it does not make: no Django request unless a throttle with a rate reads one, no
    response object (the remembered headers and the security headers, made once per scheme, are the answer's)."""

    def application(environ, start_response):
        if "HTTP_IF_NONE_MATCH" in environ:
            try:
                headers = _answer(environ)
            except Exception:  # noqa: BLE001 - the door only ever saves work: Django answers, and reports it
                log.exception("revalidation at the door failed; the request goes on to Django")
                environ.pop(_LOOKED_UP, None)
                headers = None
            if headers is not None:
                start_response("304 Not Modified", headers)
                return []
        return app(environ, start_response)

    return application


def _holds_nul(environ) -> bool:
    return any("\x00" in value for name, value in environ.items() if name[:5] == "HTTP_" and isinstance(value, str))


def _answer(environ):
    """The 304's headers, or None when Django is to answer."""
    started = time.perf_counter()
    method = environ.get("REQUEST_METHOD")
    if not _eligible(environ, method) or _holds_nul(environ):
        return None
    generation = _generation()
    if generation is _UNAVAILABLE:
        environ[_LOOKED_UP] = (generation, None)
        return None
    key = _address_key(environ)
    entry = _fresh_entry(key, generation, environ)
    if entry is None:
        environ[_LOOKED_UP] = (generation, key)
        return None
    request_id = request_ids.accept(environ.get(request_ids.META_NAME))
    token = request_ids.enter(request_id)
    try:
        # The throttles read a request made of a copy: Django's own, made later, decodes the path from the environ.
        if entry.throttles and _throttled(lambda: WSGIRequest(dict(environ)), entry.throttles):
            environ[_LOOKED_UP] = (generation, key)
            environ[_THROTTLED_AT_DOOR] = True
            return None
        headers = [*entry.headers, *_security_headers(environ), (request_ids.HEADER, request_id)]
        seconds = time.perf_counter() - started
        count_request(entry.route, method, 304, seconds)
        if ACCESS_LOG.isEnabledFor(logging.INFO):
            log_access(method, entry.route, 304, seconds)
    finally:
        request_ids.leave(token)
    return headers


# The security headers of a 304, by the one thing of the request they depend on: whether it is secure
# (SecurityMiddleware reads nothing else of it). SecurityMiddleware's own answer, asked once per scheme.
_SECURITY_HEADERS: dict[str, tuple] = {}


def _scheme(environ) -> str:
    """The scheme as Django's `HttpRequest.scheme` decides it: a trusted proxy's header (its first value)
    when SECURE_PROXY_SSL_HEADER names one and the request carries it, else the server's."""
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        value = environ.get(header)
        if value is not None:
            return "https" if value.split(",", 1)[0].strip() == secure_value else "http"
    return environ.get("wsgi.url_scheme", "http")


def _security_headers(environ) -> tuple:
    scheme = _scheme(environ)
    headers = _SECURITY_HEADERS.get(scheme)
    if headers is None:
        middleware = SecurityMiddleware(lambda request: None)
        headers = tuple(middleware.process_response(WSGIRequest(dict(environ)), HttpResponseNotModified()).items())
        _SECURITY_HEADERS[scheme] = headers
    return headers


def _settings_changed(**kwargs):
    _SECURITY_HEADERS.clear()


setting_changed.connect(_settings_changed, dispatch_uid="pacta-revalidation-security-headers")
