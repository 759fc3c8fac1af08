"""The requests' metrics: every answered request counted and timed by its route, method and status, and the
throttled and timed-out ones counted apart (served at /metrics with the rest, registry/ops/metrics.py).

Apart from the state the /metrics view reads from the database, so that the door that answers remembered
revalidations before Django (registry/revalidation.py) can count its answers knowing nothing of the store.
"""

from __future__ import annotations

import time

from prometheus_client import Counter, Histogram

from .logs import route_of

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUESTS = Counter("pacta_http_requests", "Requests answered, by route (URL pattern), method and status.",
                   ["route", "method", "status"])
LATENCY = Histogram("pacta_http_request_duration_seconds", "Time to answer a request, by route and method.",
                    ["route", "method"], buckets=LATENCY_BUCKETS)
THROTTLED = Counter("pacta_http_throttled", "Requests refused with 429 (throttled), by route.", ["route"])
TIMED_OUT = Counter("pacta_http_timed_out", "Requests cut off by their statement timeout (503), by route.", ["route"])


class MetricsMiddleware:
    """Counts and times every request by its route (second in MIDDLEWARE, after the request id)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        route = route_of(request)
        count_request(route, request.method, response.status_code, time.perf_counter() - started)
        if response.status_code == 429:
            THROTTLED.labels(route).inc()
        if getattr(response, "pacta_timed_out", False):
            TIMED_OUT.labels(route).inc()
        return response


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
# (route, method, status) -> the count's and the histogram's children: `labels()` looks them up under a lock, with
# its arguments checked and turned to strings, every time. Bounded: routes are URL patterns, methods the seven
# above and "other", statuses HTTP's.
_children: dict[tuple, tuple] = {}


def count_request(route: str, method: str, status: int, seconds: float) -> None:
    """One answered request in the counts and the latency histogram (also for answers given before Django's
    middleware runs: registry/revalidation.py's door)."""
    method = method if method in _METHODS else "other"
    children = _children.get((route, method, status))
    if children is None:
        children = _children[(route, method, status)] = (REQUESTS.labels(route, method, str(status)),
                                                         LATENCY.labels(route, method))
    children[0].inc()
    children[1].observe(seconds)
