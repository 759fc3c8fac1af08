"""Source URL checks: does the source's URL answer with 2xx or 3xx?

Runs only in a worker (the sweep, or a job for a changed source) or in `manage.py validate --urls`, never
inside a web request: it talks to other servers. Each check is bounded: a connect timeout, a read timeout
(per socket operation, while waiting for the status line and headers; the body is never read) and a
maximum number of redirects followed. Settings: PACTA_URL_CONNECT_TIMEOUT, PACTA_URL_READ_TIMEOUT,
PACTA_URL_MAX_REDIRECTS. URL checks are opt-in (PACTA_CHECK_URLS, default off) because the registry may run
where the internet is not reachable (as in CI), and a link that rots does not make the registry's data wrong.

- `source_url_status` (warning): the server answered with a 4xx or 5xx status;
- `source_url_unreachable` (warning): no answer: refused, timed out, name not resolved, too many
  redirects, not http(s).

Scope: `url:<source id>`; a source without a URL is covered too, so removing the URL resolves its finding.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from agreements.queries.sources import sources_by_id

from .findings import WARNING, Problem

STATUS = "source_url_status"
UNREACHABLE = "source_url_unreachable"
USER_AGENT = "Pacta-registry-link-check/1.0"


@dataclass(frozen=True)
class LinkResult:
    url: str
    ok: bool
    status: int | None = None
    error: str = ""
    final_url: str = ""
    redirects: int = 0


def _request(url: str, connect_timeout: float, read_timeout: float):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=connect_timeout,
                                           context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=connect_timeout)
    try:
        conn.connect()
        conn.sock.settimeout(read_timeout)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        conn.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": "*/*", "Connection": "close"})
        response = conn.getresponse()
        return response.status, response.getheader("Location")
    finally:
        conn.close()


def check_url(url: str, connect_timeout: float | None = None, read_timeout: float | None = None,
              max_redirects: int | None = None) -> LinkResult:
    connect_timeout = connect_timeout if connect_timeout is not None else settings.PACTA_URL_CONNECT_TIMEOUT
    read_timeout = read_timeout if read_timeout is not None else settings.PACTA_URL_READ_TIMEOUT
    max_redirects = max_redirects if max_redirects is not None else settings.PACTA_URL_MAX_REDIRECTS
    current, redirects = url, 0
    while True:
        try:
            status, location = _request(current, connect_timeout, read_timeout)
        except (socket.timeout, TimeoutError):
            return LinkResult(url, False, error="timed out", final_url=current, redirects=redirects)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            return LinkResult(url, False, error=f"{type(exc).__name__}: {exc}"[:300], final_url=current,
                              redirects=redirects)
        if 300 <= status < 400 and location and status not in (304,):
            if redirects >= max_redirects:
                return LinkResult(url, False, status, f"more than {max_redirects} redirects", current, redirects)
            current, redirects = urljoin(current, location), redirects + 1
            continue
        return LinkResult(url, status < 400, status, "" if status < 400 else f"HTTP {status}", current, redirects)


def scope_of(source_id) -> str:
    return f"url:{source_id}"


def check_sources(source_ids=None, workers: int = 8, **timeouts) -> tuple[set[str], list[Problem]]:
    """Check the URLs of these sources (all when None), a few at a time; returns (scopes, problems)."""
    sources = sources_by_id(source_ids)
    with_url = [s for s in sources if s.url]
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(with_url) or 1))) as pool:
        results = dict(zip([s.pk for s in with_url], pool.map(lambda s: check_url(s.url, **timeouts), with_url)))
    problems = []
    for source in with_url:
        result = results[source.pk]
        if result.ok:
            continue
        code = STATUS if result.status else UNREACHABLE
        problems.append(Problem(
            code=code, severity=WARNING, scope=scope_of(source.pk), subject_type="source",
            identity=f"{source.pk}|{source.url}", source_id=source.pk, subject=source.key,
            message=f"The URL of source {source.key} ({source.url}) does not answer: {result.error}.",
        ))
    return {scope_of(s.pk) for s in sources}, problems
