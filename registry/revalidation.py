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
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseNotModified
from django.utils.module_loading import import_string

from registry import generation as read_generation

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


def _anonymous(request) -> bool:
    return "HTTP_AUTHORIZATION" not in request.META and settings.SESSION_COOKIE_NAME not in request.COOKIES


def _address_key(request) -> str:
    """The address as the request gave it, unvalidated: a host Django refuses never got an answer to remember,
    so its key is never found (and validating it, with the path rebuilt, was a third of a 304's own time)."""
    meta = request.META
    return hashlib.sha256("\x1f".join([str(meta.get(name, "")) for name in _ADDRESS]).encode()).hexdigest()


def _tags(request) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in request.META.get("HTTP_IF_NONE_MATCH", "").split(",")}


def _throttled(request, throttles) -> bool:
    """Whether one of the view's throttles refuses this request (counting it, as the view would)."""
    request.user = AnonymousUser()  # _anonymous(request) held; AuthenticationMiddleware sets it again if it runs
    return not all(import_string(path)().allow_request(request, None) for path in throttles)


class RevalidationMiddleware:
    """Answers a remembered anonymous conditional GET with 304 before the rest of the stack runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if ("HTTP_IF_NONE_MATCH" not in request.META or request.method not in ("GET", "HEAD")
                or not _anonymous(request) or not _seconds()):
            return self.get_response(request)
        try:
            generation = read_generation.current()
        except Exception as exc:  # noqa: BLE001 - the shared cache is down: the view answers
            log.warning("revalidation skipped, cache unavailable (%s: %s)", type(exc).__name__, exc)
            return self.get_response(request)
        key = _address_key(request)
        entry = _remembered.get(key)
        if (entry is not None and entry[0] == generation and entry[1]["ETag"] in _tags(request)
                and not _throttled(request, entry[2])):
            return self._not_modified(request, entry[1], entry[4])
        response = self.get_response(request)
        throttles = getattr(response, "pacta_remember_validator", None)
        if throttles is not None and response.status_code in (200, 304) and response.has_header("ETag"):
            headers = {name: response[name] for name in _REPEATED if response.has_header(name)}
            _remembered.put(key, (generation, headers, throttles, time.monotonic() + _seconds(),
                                  getattr(request, "resolver_match", None)))
        return response

    @staticmethod
    def _not_modified(request, headers, match):
        request.resolver_match = match  # the route, for the metrics and the access log, as if the view had answered
        response = HttpResponseNotModified()
        for name, value in headers.items():
            response[name] = value
        return response
