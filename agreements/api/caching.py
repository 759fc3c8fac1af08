"""HTTP caching of reads: ETags from the stream version and the time parameters, Cache-Control by audience, and
the rendered body kept under its ETag.

A body is what its ETag names: the same stream version, time parameters and representation. So the body is
kept in the cache under the ETag (plus the audience and the address it links to) for as long as a public
cache may keep it anyway (`PACTA_API_CACHE_SECONDS`): a detail asked again is one version lookup and a cache
read, as near a bare view as the framework allows. It is kept as the JSON bytes the renderer wrote, so a hit
neither unpickles a tree of dicts nor encodes it again. Without `known_at` the answer's record time is the
moment of the request: the bytes are kept in two parts around it, and the moment is put in between on the way
out (a NUL marks the place: no stored text holds one, every input refuses it). What the ETag does not cover (a related agreement's
publication, a party's name, a source's title) is no staler here than in a 304.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from rest_framework.renderers import JSONRenderer

# Where the record time goes in a kept body: a JSON string no answer can otherwise hold (NUL is refused).
RECORD_TIME_MARK = "\x00known_at\x00"
_RENDERED_MARK = json.dumps(RECORD_TIME_MARK).encode()


def agreement_etag(slug: str, version: int, time_params: dict, representation: str) -> str:
    """Same version + same time parameters + same representation = same body.

    Without `as_of` the body depends on today's date, so the date is part of the tag; without `known_at` it
    shows the current version, which the version number already names.
    """
    as_of = time_params.get("as_of") or timezone.localdate()
    known_at = time_params.get("known_at")
    key = f"{slug}|{as_of.isoformat()}|{known_at.isoformat() if known_at else 'now'}|{representation}"
    return f'"{version}-{hashlib.sha256(key.encode()).hexdigest()[:16]}"'


def if_none_match(request, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    if not header:
        return False
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or etag in tags


def set_cache_headers(request, response):
    """Public reads may be cached by anyone for a while; what a logged-in caller sees is private to them."""
    if request.method not in ("GET", "HEAD") or response.status_code not in (200, 304):
        return response
    if request.user and request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=getattr(settings, "PACTA_API_CACHE_SECONDS", 60))
    patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
    return response


def cached_json(request, etag: str, audience: str, build, time_params: dict) -> HttpResponse:
    """The JSON body under `etag` for this audience and address: from the cache, or `build()` rendered and kept."""
    seconds = getattr(settings, "PACTA_API_CACHE_SECONDS", 60)
    key = "body|" + hashlib.sha256(f"{audience}|{request.scheme}://{request.get_host()}|{etag}".encode()).hexdigest()
    parts = cache.get(key) if seconds else None
    if parts is None:
        data = build()
        now_at_request = not time_params.get("known_at") and "known_at" in data
        rendered = JSONRenderer().render({**data, "known_at": RECORD_TIME_MARK} if now_at_request else data)
        parts = tuple(rendered.split(_RENDERED_MARK, 1)) if now_at_request else (rendered,)
        if seconds:
            cache.set(key, parts, seconds)
    if len(parts) == 2:
        now = json.dumps(timezone.now().isoformat().replace("+00:00", "Z")).encode()
        body = parts[0] + now + parts[1]
    else:
        body = parts[0]
    return HttpResponse(body, content_type="application/json")
