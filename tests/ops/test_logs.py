"""X-Request-ID and structured logs: an id per request, echoed, carried into events and jobs; JSON lines, no secrets."""

import datetime
import io
import json
import logging
import re

import pytest
from celery import signals
from pythonjsonlogger.json import JsonFormatter as PythonJsonLoggerFormatter
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from registry.eventstore.models import StoredEvent
from registry.ops import request_id
from registry.ops.logs import REDACTED, JsonFormatter, scrub
from registry.ops.request_id import RequestIdFilter
from registry.outbox import outbox
from registry.outbox.models import OutboxJob
from tests.validation.helpers import QUEUE, celery_broker, free_port, redis_client

pytestmark = pytest.mark.django_db
HEX32 = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def json_lines():
    """What the console handler would write, as parsed JSON objects (the root logger at INFO)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    saved = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    access = logging.getLogger("pacta.access")
    saved_access = access.level
    access.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(saved)
    access.setLevel(saved_access)


def archivist_client(archivist):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=archivist)[0].key}")
    return client


def test_a_request_without_an_id_is_given_one_and_it_is_echoed(client):
    response = client.get("/healthz")
    assert HEX32.fullmatch(response["X-Request-ID"])
    assert client.get("/healthz")["X-Request-ID"] != response["X-Request-ID"]


def test_a_well_formed_id_from_the_caller_is_kept(client):
    response = client.get("/api/v1/agreements/", HTTP_X_REQUEST_ID="lb-7f3a:2026-12-06/42")
    assert response["X-Request-ID"] == "lb-7f3a:2026-12-06/42"


@pytest.mark.parametrize("hostile", ["a" * 10_000, "two\r\nSet-Cookie: x=1", "spaces are not ids", "<script>", "é"])
def test_a_malformed_id_is_replaced_never_echoed(client, hostile):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=hostile)
    assert HEX32.fullmatch(response["X-Request-ID"])


def test_a_refused_request_carries_its_id_too(client):
    response = client.get("/api/v1/agreements/", {"q": "a\x00b"}, HTTP_X_REQUEST_ID="nul-probe-1")
    assert response.status_code == 400
    assert response["X-Request-ID"] == "nul-probe-1"


def test_the_events_a_request_appends_carry_its_id_as_their_correlation_id(archivist, eager):
    response = archivist_client(archivist).post(
        "/api/v1/agreements/", {"slug": "ops-correlated-2026", "title": "Correlated", "kind": "agreement"},
        format="json", HTTP_X_REQUEST_ID="req-correlated-1")
    assert response.status_code == 201, response.content
    events = StoredEvent.objects.filter(stream_id="agreement:ops-correlated-2026")
    assert events.exists()
    assert set(events.values_list("correlation_id", flat=True)) == {"req-correlated-1"}


def test_the_job_a_request_enqueues_runs_under_the_same_id(archivist, eager, django_capture_on_commit_callbacks):
    seen = []

    def during(task=None, **kwargs):
        seen.append((task.name, request_id.current()))

    signals.task_prerun.connect(during, weak=False, dispatch_uid="test-ops-seen")
    try:
        with django_capture_on_commit_callbacks(execute=True):  # the relay runs the job after the commit
            response = archivist_client(archivist).post(
                "/api/v1/agreements/", {"slug": "ops-job-id-2026", "title": "Job id", "kind": "agreement"},
                format="json", HTTP_X_REQUEST_ID="req-job-1")
    finally:
        signals.task_prerun.disconnect(dispatch_uid="test-ops-seen")
    assert response.status_code == 201
    job = OutboxJob.objects.order_by("-created_at").first()
    assert job.request_id == "req-job-1"
    assert ("pacta.validation.validate_changes", "req-job-1") in seen
    assert request_id.current() == ""  # nothing leaks past the task or the request


@pytest.mark.integration
def test_a_job_sent_to_the_broker_carries_the_request_id_as_a_task_header(django_capture_on_commit_callbacks):
    url = "redis://127.0.0.1:6379/6"
    redis = redis_client(url)
    redis.delete(QUEUE)
    try:
        with celery_broker(url), request_id.bound("req-header-1"):
            with django_capture_on_commit_callbacks(execute=True):
                job = outbox.enqueue("pacta.outbox.relay")
        messages = [json.loads(raw) for raw in redis.lrange(QUEUE, 0, -1)]
    finally:
        redis.delete(QUEUE)
    sent = [m for m in messages if m["headers"].get("id") == str(job.job_id)]
    assert sent and sent[0]["headers"]["request_id"] == "req-header-1"


def test_log_lines_are_json_objects_with_the_request_id(json_lines):
    with request_id.bound("req-log-1"):
        logging.getLogger("pacta.test").warning("outbox relay: %d job(s) left unsent", 3)
    line = json_lines()[-1]
    assert line["message"] == "outbox relay: 3 job(s) left unsent"
    assert line["request_id"] == "req-log-1"
    assert line["level"] == "WARNING" and line["logger"] == "pacta.test"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["time"])


@pytest.mark.parametrize("message, args, extra", [
    ("%s %s %s", ("GET", "/api/v1/agreements/<path:slug>/", 304),
     {"method": "GET", "route": "/api/v1/agreements/<path:slug>/", "status": 304, "duration_ms": 0.07}),
    ("no extra at all", (), {}),
    ("Şuşa Bəyannaməsi: %d", (3,), {"slug": "tr-az-shusha-declaration-2021", "_private": "left out"}),
    ("at %s", ("noon",), {"when": datetime.datetime(2026, 12, 6, 12, 0), "count": None, "ratio": 0.5}),
])
def test_a_line_is_written_as_python_json_logger_writes_it(message, args, extra):
    formatter = JsonFormatter()

    def record():
        made = logging.getLogger("pacta.test").makeRecord("pacta.test", logging.INFO, "f.py", 1, message, args, None,
                                                          extra=extra)
        made.request_id = "req-same-1"
        return made

    one = record()
    other = record()
    other.created, other.msecs = one.created, one.msecs
    assert formatter.format(one) == scrub(PythonJsonLoggerFormatter.format(formatter, other))


def test_each_request_writes_one_access_line_with_route_status_and_duration(client, json_lines):
    client.get("/api/v1/agreements/tr-az-shusha-declaration-2021/?token=abc123secret", HTTP_X_REQUEST_ID="req-acc-1")
    access = [line for line in json_lines() if line["logger"] == "pacta.access"]
    assert len(access) == 1
    line = access[0]
    assert line["request_id"] == "req-acc-1" and line["method"] == "GET" and line["status"] == 200
    assert line["route"] == "/api/v1/agreements/<path:slug>/"
    assert line["duration_ms"] >= 0
    assert "abc123secret" not in json.dumps(line)


def test_an_api_token_never_reaches_a_log_line(archivist, json_lines):
    token = Token.objects.get_or_create(user=archivist)[0].key
    logging.getLogger("pacta.test").error("rejected header Authorization: Token %s", token)
    try:
        raise ValueError(f"bad credentials Bearer {token}")
    except ValueError:
        logging.getLogger("pacta.test").exception("while authenticating")
    text = json.dumps(json_lines())
    assert token not in text
    assert text.count(REDACTED) >= 2


def test_a_broker_password_in_an_error_never_reaches_a_log_line(json_lines, django_capture_on_commit_callbacks):
    with celery_broker(f"redis://:pw-s3cret-broker@127.0.0.1:{free_port()}/0"):
        with django_capture_on_commit_callbacks(execute=True):
            outbox.enqueue("pacta.outbox.relay")
    lines = json_lines()
    assert any("broker unavailable" in line["message"] for line in lines)
    assert "s3cret" not in json.dumps(lines)


@pytest.mark.parametrize("secret, kept", [
    ("postgres://pacta:hunter2-db@db:5432/pacta", "postgres://pacta:"),
    ("password=hunter2-db&user=x", "password="),
    ("{'DJANGO_SECRET_KEY': 'hunter2-db'}", "DJANGO_SECRET_KEY"),
    ('"api_key": "hunter2-db"', "api_key"),
    ("Authorization: Basic aHVudGVyMi1kYg==", "Basic"),
])
def test_scrubbing_removes_the_secret_and_keeps_what_it_was(secret, kept):
    cleaned = scrub(f"failed with {secret} today")
    assert "hunter2-db" not in cleaned and "aHVudGVyMi1kYg" not in cleaned
    assert kept in cleaned and REDACTED in cleaned


@pytest.mark.parametrize("line", [
    "GET /api/v1/agreements/<path:slug>/ 304",
    "failed with TOKEN abcdef123456 and PassWord = 'hunter2-db'",
    "redis://:pw-s3cret@127.0.0.1:6379/0 refused",
    "\u212aey=hunter2-db",  # KELVIN SIGN: `k` to a case-blind pattern, not to a plain lower()
    "pa\u017f\u017fword=hunter2-db",  # LONG S, likewise `s`
    "BEARER   abcdef.ghijkl",
])
def test_the_quick_screen_by_words_redacts_exactly_what_every_pattern_would(line):
    from registry.ops.logs import _PATTERNS

    every_pattern = line
    for pattern, replacement, _ in _PATTERNS:
        every_pattern = pattern.sub(replacement, every_pattern)
    assert scrub(line) == every_pattern
    assert "hunter2-db" not in scrub(line)
