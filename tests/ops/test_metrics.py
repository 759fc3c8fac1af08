"""/metrics: Prometheus' text format, only with PACTA_METRICS_TOKEN and its bearer token (registry/ops/metrics.py)."""

import datetime as dt
import os
import signal
import subprocess
import sys
import urllib.request

import pytest
from django.test import RequestFactory, override_settings
from django.utils import timezone
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from agreements.validation.tasks import VALIDATE_CHANGES
from registry.eventstore import store
from registry.ops.request_metrics import MetricsMiddleware
from registry.ops.models import CopyStatus, record_copy_pass
from registry.outbox.models import OutboxJob
from registry.statement_timeout import timeout_response
from tests.validation.helpers import free_port, wait_for

from .conftest import BASE, fresh_env

pytestmark = pytest.mark.django_db
TOKEN = "metrics-token-for-tests-7c1e"
BEARER = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


def value(name, **labels):
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scrape(client) -> dict:
    response = client.get("/metrics", **BEARER)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return {s.name if not s.labels else (s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.content.decode()) for s in family.samples}


def archivist_client(archivist):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=archivist)[0].key}")
    return client


# ------------------------------------------------------------------------------------------------ who may see


@override_settings(PACTA_METRICS_TOKEN="")
def test_without_a_configured_token_there_is_no_metrics_page_even_for_a_bearer(client):
    assert client.get("/metrics", **BEARER).status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@override_settings(PACTA_METRICS_TOKEN=TOKEN)
@pytest.mark.parametrize("header", [None, f"Bearer {TOKEN}x", f"Token {TOKEN}", f"bearer{TOKEN}", "Bearer",
                                    f"Basic {TOKEN}", "Bearer \x00", "Bearer " + "a" * 10_000])
def test_without_the_right_bearer_token_the_metrics_page_does_not_exist(client, header):
    kwargs = {} if header is None else {"HTTP_AUTHORIZATION": header}
    response = client.get("/metrics", **kwargs)
    assert response.status_code in (404, 400)  # a NUL in a header is refused at the door (400)
    assert b"pacta_" not in response.content


@override_settings(PACTA_METRICS_TOKEN=TOKEN)
def test_with_the_bearer_token_the_metrics_are_served_in_prometheus_text_format(client):
    samples = scrape(client)
    assert "pacta_log_head_position" in samples


# ------------------------------------------------------------------------------------------------ what happens


@override_settings(PACTA_METRICS_TOKEN=TOKEN)
def test_requests_are_counted_and_timed_by_route_and_status(client):
    route = "/api/v1/agreements/<path:slug>/"
    before = value("pacta_http_requests_total", route=route, method="GET", status="404")
    timed = value("pacta_http_request_duration_seconds_count", route=route, method="GET")
    client.get("/api/v1/agreements/no-such-agreement/")
    client.get("/api/v1/agreements/no-such-other/")
    assert value("pacta_http_requests_total", route=route, method="GET", status="404") == before + 2
    assert value("pacta_http_request_duration_seconds_count", route=route, method="GET") == timed + 2
    samples = scrape(client)
    assert samples[("pacta_http_requests_total", (("method", "GET"), ("route", route), ("status", "404")))] >= 2


def test_an_unknown_address_is_one_route_not_one_per_address(client):
    before = value("pacta_http_requests_total", route="<unmatched>", method="GET", status="404")
    for i in range(3):
        client.get(f"/no/such/page/{i}")
    assert value("pacta_http_requests_total", route="<unmatched>", method="GET", status="404") >= before + 3


def test_events_appended_are_counted_by_type_once_committed(archivist, eager, django_capture_on_commit_callbacks):
    before = value("pacta_events_appended_total", type="AgreementDrafted")
    with django_capture_on_commit_callbacks(execute=True):
        response = archivist_client(archivist).post(
            "/api/v1/agreements/", {"slug": "ops-metric-2026", "title": "Counted", "kind": "agreement"}, format="json")
    assert response.status_code == 201, response.content
    assert value("pacta_events_appended_total", type="AgreementDrafted") == before + 1


def test_a_refused_command_is_counted_by_its_rule_code(archivist):
    client = archivist_client(archivist)
    client.post("/api/v1/agreements/", {"slug": "ops-refusal-2026", "title": "Refusal", "kind": "agreement"},
                format="json")
    detail = client.get("/api/v1/agreements/ops-refusal-2026/")
    response = client.post("/api/v1/agreements/ops-refusal-2026/commands/",
                           {"type": "AmendClause", "eid": "art_9", "text": "x", "effective": "2020"}, format="json",
                           HTTP_IF_MATCH=detail["ETag"])
    assert response.status_code == 409, response.content
    rule = response.json()["rule"]
    before = value("pacta_commands_refused_total", code=rule)
    client.post("/api/v1/agreements/ops-refusal-2026/commands/",
                {"type": "AmendClause", "eid": "art_9", "text": "x", "effective": "2020"}, format="json",
                HTTP_IF_MATCH=detail["ETag"])
    assert value("pacta_commands_refused_total", code=rule) == before + 1


def test_a_throttled_request_is_counted(client):
    rf = RequestFactory()
    request = rf.get("/api/v1/agreements/")
    request.resolver_match = None

    from django.http import HttpResponse

    before = value("pacta_http_throttled_total", route="<unmatched>")
    MetricsMiddleware(lambda r: HttpResponse(status=429))(request)
    assert value("pacta_http_throttled_total", route="<unmatched>") == before + 1


@override_settings(PACTA_API_ANON_RATE="2/minute")
def test_the_api_throttle_shows_in_the_throttled_count(client):
    route = "/api/v1/agreements/"
    before = value("pacta_http_throttled_total", route=route)
    statuses = [client.get("/api/v1/agreements/").status_code for _ in range(4)]
    assert 429 in statuses
    assert value("pacta_http_throttled_total", route=route) == before + statuses.count(429)


def test_a_request_cut_off_by_its_statement_timeout_is_counted():
    request = RequestFactory().get("/api/v1/search/")
    before = value("pacta_http_timed_out_total", route="<unmatched>")
    response = MetricsMiddleware(timeout_response)(request)
    assert response.status_code == 503
    assert value("pacta_http_timed_out_total", route="<unmatched>") == before + 1


def test_a_validation_job_is_counted_by_outcome_and_timed(archivist, eager, django_capture_on_commit_callbacks):
    before = value("pacta_jobs_total", task=VALIDATE_CHANGES, outcome="success")
    timed = value("pacta_job_duration_seconds_count", task=VALIDATE_CHANGES)
    with django_capture_on_commit_callbacks(execute=True):
        archivist_client(archivist).post(
            "/api/v1/agreements/", {"slug": "ops-job-metric-2026", "title": "Job", "kind": "agreement"}, format="json")
    assert value("pacta_jobs_total", task=VALIDATE_CHANGES, outcome="success") == before + 1
    assert value("pacta_job_duration_seconds_count", task=VALIDATE_CHANGES) == timed + 1


# ------------------------------------------------------------------------------------------------ the state


@override_settings(PACTA_METRICS_TOKEN=TOKEN)
def test_the_outbox_depth_and_age_are_scraped_from_the_database(client):
    job = OutboxJob.objects.create(task=VALIDATE_CHANGES, kwargs={})
    OutboxJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    samples = scrape(client)
    assert samples["pacta_outbox_depth"] >= 1
    assert samples["pacta_outbox_oldest_age_seconds"] >= 3600


@override_settings(PACTA_METRICS_TOKEN=TOKEN)
def test_the_validation_backlog_is_scraped_from_the_database(client):
    OutboxJob.objects.create(task=VALIDATE_CHANGES, kwargs={}, sent_at=timezone.now() - dt.timedelta(minutes=5))
    samples = scrape(client)
    assert samples["pacta_validation_backlog"] >= 1
    assert samples["pacta_validation_backlog_oldest_age_seconds"] >= 300


@override_settings(PACTA_METRICS_TOKEN=TOKEN)
def test_the_log_head_is_the_stores_head(client):
    samples = scrape(client)
    head = store.head()
    assert head.position > 0  # the seeds
    assert samples["pacta_log_head_position"] == head.position
    assert samples["pacta_log_head_age_seconds"] >= 0


@override_settings(PACTA_METRICS_TOKEN=TOKEN)
def test_the_latest_signed_checkpoint_its_age_and_the_events_it_does_not_cover_are_scraped(client):
    from registry.eventstore import checkpoints

    from registry.eventstore.models import LogCheckpoint

    before = scrape(client)
    assert before["pacta_log_unsigned_events"] == store.head().position - before["pacta_log_checkpoint_size"]
    LogCheckpoint.objects.all().delete()  # so that beat's next tick signs one now
    checkpoints.sign_due()
    samples = scrape(client)
    assert samples["pacta_log_checkpoint_size"] == store.head().position
    assert samples["pacta_log_unsigned_events"] == 0
    assert 0 <= samples["pacta_log_checkpoint_age_seconds"] < 60


@override_settings(PACTA_METRICS_TOKEN=TOKEN)
def test_a_copys_lag_is_scraped_only_on_a_copy(client):
    assert "pacta_copy_lag_seconds" not in scrape(client)
    record_copy_pass(head_position=12)
    CopyStatus.objects.filter(pk=1).update(caught_up_at=timezone.now() - dt.timedelta(seconds=90))
    samples = scrape(client)
    assert samples["pacta_copy_lag_seconds"] >= 90
    assert samples["pacta_copy_head_position"] == 12


# ------------------------------------------------------------------------------------------------ gunicorn


@pytest.mark.integration
def test_under_gunicorn_the_counts_of_every_worker_process_add_up(empty_registry, tmp_path):
    """Two worker processes share PROMETHEUS_MULTIPROC_DIR: /metrics answers the sum, whichever worker serves it."""
    folder = tmp_path / "prometheus"
    folder.mkdir()
    port = free_port()
    env = fresh_env(empty_registry, PROMETHEUS_MULTIPROC_DIR=str(folder), PACTA_METRICS_TOKEN=TOKEN,
                    GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="2", PACTA_ACCESS_LOG="0")
    log = open(tmp_path / "gunicorn.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "python:registry.gunicorn", "registry.wsgi"],
                            cwd=BASE, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    key = ("pacta_http_requests_total", (("method", "GET"), ("route", "/healthz"), ("status", "200")))
    try:
        wait_for(lambda: _status(base + "/healthz") == 200, timeout=60,
                 what=lambda: "gunicorn to answer\n" + (tmp_path / "gunicorn.log").read_text())
        before = _scrape(base).get(key, 0)
        for _ in range(40):
            assert _status(base + "/healthz") == 200
        after = _scrape(base).get(key, 0)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()
    assert after - before == 40


def _scrape(base) -> dict:
    request = urllib.request.Request(base + "/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read().decode()
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def _status(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except Exception:
        return None

