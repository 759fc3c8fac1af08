"""Under a WSGI server a remembered revalidation is answered at the door (registry/revalidation.py's
`answer_at_the_door`), before Django's handler and middleware run, with the same answer the middleware gives:
the view's validator and caching headers, the security headers, a request id, an access line and a count.
Whatever the door cannot answer goes on to Django unchanged."""

import io
import logging

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test.utils import override_settings

from registry import generation, revalidation
from registry.ops.request_metrics import REQUESTS
from registry.revalidation import answer_at_the_door

from .conftest import STRATEGIC, run

pytestmark = pytest.mark.django_db
PATH = f"/api/v1/agreements/{STRATEGIC}/"
ROUTE = "/api/v1/agreements/<path:slug>/"


class Served:
    """The door in front of Django, and how many requests reached Django's handler."""

    def __init__(self):
        self.app = answer_at_the_door(WSGIHandler())
        self.reached_django = 0

    def _count(self, **kwargs):
        self.reached_django += 1

    def get(self, path=PATH, **headers):
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "testserver",
                   "SERVER_PORT": "80", "HTTP_HOST": "testserver", "wsgi.url_scheme": "http",
                   "wsgi.input": io.BytesIO(b""), "wsgi.errors": io.StringIO(), "SERVER_PROTOCOL": "HTTP/1.1",
                   "REMOTE_ADDR": "127.0.0.1", "HTTP_ACCEPT": "application/json", **headers}
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer.update(status=int(status.split()[0]), headers=dict(headers))

        # As Django's test client does: the test's transaction holds the connection, which a request's start and
        # end would otherwise close.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        request_started.connect(self._count)
        try:
            body = self.app(environ, start_response)
            answer["body"] = b"".join(body)
            getattr(body, "close", lambda: None)()
        finally:
            request_started.disconnect(self._count)
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return answer


@pytest.fixture
def served():
    return Served()


def remembered(served, path=PATH):
    """The ETag of `path`, remembered: a full GET, then a revalidation the view answers and the middleware keeps."""
    etag = served.get(path)["headers"]["ETag"]
    assert served.get(path, HTTP_IF_NONE_MATCH=etag)["status"] == 304
    return etag


def test_a_remembered_revalidation_is_answered_before_djangos_handler_runs(served):
    etag = remembered(served)
    before = served.reached_django
    answer = served.get(HTTP_IF_NONE_MATCH=etag)
    assert answer["status"] == 304 and answer["body"] == b""
    assert served.reached_django == before


def test_the_door_repeats_the_views_validator_and_caching_headers(served):
    etag = served.get()["headers"]["ETag"]
    from_view = served.get(HTTP_IF_NONE_MATCH=etag)["headers"]
    at_door = served.get(HTTP_IF_NONE_MATCH=etag)["headers"]
    for header in ("ETag", "Cache-Control", "Vary"):
        assert at_door[header] == from_view[header]


def test_the_doors_304_carries_the_security_headers_django_adds_to_every_answer(served):
    etag = remembered(served)
    headers = served.get(HTTP_IF_NONE_MATCH=etag)["headers"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_the_door_answers_with_the_callers_request_id_or_a_new_one(served):
    etag = remembered(served)
    assert served.get(HTTP_IF_NONE_MATCH=etag, HTTP_X_REQUEST_ID="trace-42")["headers"]["X-Request-ID"] == "trace-42"
    assert len(served.get(HTTP_IF_NONE_MATCH=etag)["headers"]["X-Request-ID"]) == 32


def test_the_doors_answer_is_logged_under_the_views_route_with_its_request_id(served, caplog):
    etag = remembered(served)
    with caplog.at_level(logging.INFO, logger="pacta.access"):
        caplog.clear()
        served.get(HTTP_IF_NONE_MATCH=etag, HTTP_X_REQUEST_ID="trace-43")
    lines = [record for record in caplog.records if record.name == "pacta.access"]
    assert [record.getMessage() for record in lines] == [f"GET {ROUTE} 304"]
    assert lines[0].request_id == "trace-43"


def test_the_doors_answer_is_counted_under_the_views_route(served):
    etag = remembered(served)
    counted = REQUESTS.labels(ROUTE, "GET", "304")
    before = counted._value.get()
    served.get(HTTP_IF_NONE_MATCH=etag)
    assert counted._value.get() == before + 1


def test_a_header_holding_a_nul_goes_on_to_django_and_its_400(served):
    etag = remembered(served)
    answer = served.get(HTTP_IF_NONE_MATCH=etag, HTTP_X_NOTE="a\x00b")
    assert answer["status"] == 400


def test_a_caller_with_a_token_goes_on_to_django(served):
    etag = remembered(served)
    before = served.reached_django
    served.get(HTTP_IF_NONE_MATCH=etag, HTTP_AUTHORIZATION="Token not-a-real-token")
    assert served.reached_django == before + 1


def test_a_caller_with_a_session_cookie_goes_on_to_django(served, settings):
    etag = remembered(served)
    before = served.reached_django
    served.get(HTTP_IF_NONE_MATCH=etag, HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=abc")
    assert served.reached_django == before + 1


def test_a_write_sends_the_next_revalidation_on_to_django(served, make_agreement):
    slug = make_agreement("door-write-2012", clauses=1, publish=True)
    path = f"/api/v1/agreements/{slug}/"
    etag = remembered(served, path)
    run(slug, "EditDetails", title="A title given later")
    answer = served.get(path, HTTP_IF_NONE_MATCH=etag)
    assert answer["status"] == 200 and b"A title given later" in answer["body"]


def test_the_door_counts_the_throttle_and_a_refused_caller_gets_the_views_429(served):
    etag = remembered(served)
    with override_settings(PACTA_API_ANON_RATE="3/minute"):
        cache.clear()
        statuses = [served.get(HTTP_IF_NONE_MATCH=etag)["status"] for _ in range(5)]
    assert statuses == [304, 304, 304, 429, 429]


def test_a_door_that_fails_leaves_the_answer_to_django(served, monkeypatch):
    etag = remembered(served)

    def broken(*args, **kwargs):
        raise RuntimeError("a metrics backend that fails")

    monkeypatch.setattr("registry.revalidation.count_request", broken)
    before = served.reached_django
    answer = served.get(HTTP_IF_NONE_MATCH=etag)
    assert answer["status"] == 304 and served.reached_django == before + 1


def test_the_doors_304_over_https_carries_the_strict_transport_security_the_settings_ask_for(served, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    https = {"wsgi.url_scheme": "https", "SERVER_PORT": "443"}
    etag = served.get(**https)["headers"]["ETag"]
    assert served.get(HTTP_IF_NONE_MATCH=etag, **https)["status"] == 304
    before = served.reached_django
    answer = served.get(HTTP_IF_NONE_MATCH=etag, **https)
    assert served.reached_django == before
    assert answer["headers"]["Strict-Transport-Security"] == "max-age=3600"


def test_the_doors_304_over_plain_http_carries_no_strict_transport_security(served, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    etag = remembered(served)
    assert "Strict-Transport-Security" not in served.get(HTTP_IF_NONE_MATCH=etag)["headers"]


def test_behind_a_trusted_proxy_the_scheme_it_names_decides_the_strict_transport_security(served, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    for proto, hsts in [("https", True), ("http", False), ("https, http", True), ("HTTPS-ish", False)]:
        forwarded = {"HTTP_X_FORWARDED_PROTO": proto}
        etag = served.get(**forwarded)["headers"]["ETag"]
        served.get(HTTP_IF_NONE_MATCH=etag, **forwarded)  # remembered by the middleware
        before = served.reached_django
        answer = served.get(HTTP_IF_NONE_MATCH=etag, **forwarded)
        assert answer["status"] == 304 and served.reached_django == before, proto
        assert ("Strict-Transport-Security" in answer["headers"]) is hsts, proto


def test_a_miss_at_the_door_reads_the_generation_and_keys_the_address_once(served, monkeypatch, settings):
    settings.PACTA_READ_GENERATION_SECONDS = 0  # every reading of the generation asks the shared cache
    remembered(served)
    calls = {"key": 0, "generation": 0}

    def counted(name, function):
        def wrapper(*args):
            calls[name] += 1
            return function(*args)
        return wrapper

    monkeypatch.setattr(revalidation, "_address_key", counted("key", revalidation._address_key))
    monkeypatch.setattr(generation, "current", counted("generation", generation.current))
    before = served.reached_django
    answer = served.get(HTTP_IF_NONE_MATCH='"1-0000000000000000"')
    assert served.reached_django == before + 1 and answer["status"] == 200
    assert calls == {"key": 1, "generation": 1}


def test_a_cache_that_does_not_answer_at_the_door_is_reported_once(served, monkeypatch, settings, caplog):
    settings.PACTA_READ_GENERATION_SECONDS = 0
    etag = remembered(served)

    def down(*args, **kwargs):
        raise ConnectionError("the cache does not answer")

    monkeypatch.setattr(cache, "get", down)
    with caplog.at_level(logging.WARNING, logger="registry.revalidation"):
        answer = served.get(HTTP_IF_NONE_MATCH=etag)
    assert answer["status"] == 304
    assert [r.getMessage() for r in caplog.records if r.name == "registry.revalidation"] == [
        "revalidation skipped, cache unavailable (ConnectionError: the cache does not answer)"]
