"""/healthz and /readyz: what a load balancer or an orchestrator's probe sees (registry/ops/health.py)."""

import datetime as dt
import json
import uuid

import pytest
from django.db import OperationalError, connection, connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.findings.models import ValidationRun
from agreements.validation.tasks import VALIDATE_CHANGES
from registry.ops import health
from registry.ops.models import CopyStatus, record_copy_pass
from registry.outbox.models import OutboxJob
from tests.validation.helpers import celery_broker, free_port

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_readiness(db):
    """Each test starts from a registry with no backlog: jobs that tests before it committed outside a
    transaction (a live server's writes, which no worker finishes) would otherwise age past the bounds while a
    slow run goes on, and turn "ready" into 503 for a reason no test here set up. Deleted inside the test's own
    transaction, they are back afterwards."""
    OutboxJob.objects.all().delete()
    health.forget()
    yield
    health.forget()


def failing(body) -> dict:
    """The conditions that failed, whole (an assertion's message shortens a long body in the middle)."""
    return {name: check for name, check in body["checks"].items() if not check["ok"]}


def readyz(client):
    response = client.get("/readyz")
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    return response, response.json()


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_a_migrated_registry_with_eager_celery_is_ready_and_says_why(client, eager):
    response, body = readyz(client)
    assert response.status_code == 200, failing(body)
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "migrations", "broker", "outbox", "validation", "copy", "dead_letters"}
    assert body["checks"]["broker"] == {"ok": True, "mode": "eager"}
    assert body["checks"]["copy"] == {"ok": True, "following": False}


def test_a_probe_may_use_head(client, eager):
    assert client.head("/readyz").status_code == 200
    assert client.head("/healthz").status_code == 200


def test_with_the_broker_down_the_registry_is_not_ready_and_answers_without_an_exception(client):
    with celery_broker(f"redis://127.0.0.1:{free_port()}/0"):
        response, body = readyz(client)
    assert response.status_code == 503
    assert body["status"] == "not ready"
    assert body["checks"]["broker"] == {"ok": False, "error": "OperationalError"}
    assert body["checks"]["database"]["ok"] is True


def test_readiness_never_shows_the_broker_url_or_its_password(client):
    with celery_broker(f"redis://:pw-s3cret-broker@127.0.0.1:{free_port()}/0"):
        response, _ = readyz(client)
    text = response.content.decode()
    assert "s3cret" not in text and "redis://" not in text and "127.0.0.1" not in text


def test_a_database_with_an_unapplied_migration_is_not_ready(client, eager):
    from django.db.migrations.loader import MigrationLoader

    [latest] = [name for app, name in MigrationLoader(connection).graph.leaf_nodes() if app == "ops"]
    with connection.cursor() as cursor:  # rolled back with the test
        cursor.execute("DELETE FROM django_migrations WHERE app = 'ops' AND name = %s", [latest])
    response, body = readyz(client)
    assert response.status_code == 503
    assert body["checks"]["migrations"] == {"ok": False, "unapplied": 1}
    assert body["checks"]["outbox"]["skipped"]  # its table may not exist yet: not queried


def test_a_database_that_does_not_answer_is_not_ready_and_nothing_else_is_queried(client, eager, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 10.0.0.9 failed: password authentication failed")

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    result = health.evaluate()
    assert not result.ready
    assert result.checks["database"] == {"ok": False, "error": "OperationalError"}
    assert all(result.checks[name].get("skipped") for name in health.NEEDS_SCHEMA)
    assert "10.0.0.9" not in json.dumps(result.as_json())


def old(seconds):
    return timezone.now() - dt.timedelta(seconds=seconds)


@override_settings(PACTA_READY_OUTBOX_MAX_AGE=600)
def test_a_job_waiting_for_the_broker_longer_than_the_bound_makes_it_not_ready(client, eager):
    job = OutboxJob.objects.create(task=VALIDATE_CHANGES, kwargs={})
    OutboxJob.objects.filter(pk=job.pk).update(created_at=old(601))
    response, body = readyz(client)
    assert response.status_code == 503
    outbox = body["checks"]["outbox"]
    assert outbox["ok"] is False and outbox["depth"] >= 1 and outbox["oldest_age_seconds"] > 600


@override_settings(PACTA_READY_OUTBOX_MAX_AGE=600)
def test_a_job_waiting_less_than_the_bound_keeps_it_ready(client, eager):
    job = OutboxJob.objects.create(task=VALIDATE_CHANGES, kwargs={})
    OutboxJob.objects.filter(pk=job.pk).update(created_at=old(500))
    response, body = readyz(client)
    assert response.status_code == 200, failing(body)
    assert body["checks"]["outbox"]["depth"] >= 1


@override_settings(PACTA_READY_OUTBOX_MAX_AGE=0)
def test_a_bound_of_zero_reports_the_outbox_without_gating_on_it(client, eager):
    job = OutboxJob.objects.create(task=VALIDATE_CHANGES, kwargs={})
    OutboxJob.objects.filter(pk=job.pk).update(created_at=old(10 ** 6))
    response, body = readyz(client)
    assert response.status_code == 200
    assert body["checks"]["outbox"]["oldest_age_seconds"] >= 10 ** 6


@override_settings(PACTA_READY_VALIDATION_MAX_AGE=900)
def test_a_validation_job_sent_and_unfinished_beyond_the_bound_makes_it_not_ready(client, eager):
    job = OutboxJob.objects.create(task=VALIDATE_CHANGES, kwargs={}, sent_at=old(901))
    response, body = readyz(client)
    assert response.status_code == 503
    assert body["checks"]["validation"]["ok"] is False
    assert body["checks"]["validation"]["depth"] >= 1

    ValidationRun.objects.create(job_id=job.job_id, task=VALIDATE_CHANGES, started_at=old(900),
                                 finished_at=old(899))
    health.forget()
    response, body = readyz(client)
    assert response.status_code == 200, failing(body)


@override_settings(PACTA_READY_COPY_MAX_LAG=300)
def test_a_copy_that_has_not_caught_up_with_its_primary_within_the_bound_is_not_ready(client, eager):
    record_copy_pass(head_position=41)
    CopyStatus.objects.filter(pk=1).update(caught_up_at=old(301))
    record_copy_pass(error="RemoteUnavailable")  # the primary is down: the lag keeps growing
    response, body = readyz(client)
    assert response.status_code == 503
    copy = body["checks"]["copy"]
    assert copy["following"] is True and copy["ok"] is False and copy["lag_seconds"] > 300
    assert copy["head_position"] == 41


@override_settings(PACTA_READY_COPY_MAX_LAG=300)
def test_a_copy_that_just_caught_up_is_ready(client, eager):
    record_copy_pass(head_position=41)
    response, body = readyz(client)
    assert response.status_code == 200, failing(body)
    assert body["checks"]["copy"]["lag_seconds"] < 300


@override_settings(PACTA_READY_CACHE_SECONDS=3600, PACTA_API_ANON_RATE="5/minute")
def test_a_thousand_probes_are_never_throttled_and_query_the_database_as_often_as_one(client, eager):
    health.evaluate()  # the migration check passed once for the process, as after its first probe
    with CaptureQueriesContext(connection) as single:
        health.evaluate()
    with CaptureQueriesContext(connection) as storm:
        statuses = {client.get(path).status_code for _ in range(500) for path in ("/readyz", "/healthz")}
    assert statuses == {200}, failing(health.evaluate().as_json())
    assert len(storm) == len(single) <= 6, [q["sql"] for q in storm]


@override_settings(PACTA_READY_CACHE_SECONDS=1)
def test_the_cached_answer_is_recomputed_once_it_is_older_than_its_lifetime(client, eager):
    first = health.readiness()
    assert health.readiness() is first
    health._Cache.at -= 1.0  # a second later
    assert health.readiness() is not first


@pytest.mark.parametrize("path", ["/readyz", "/healthz", "/metrics"])
def test_the_operators_addresses_read_the_primary_never_a_replica(path):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.test import RequestFactory

    from registry import replicas

    seen = {}

    def view(request):
        seen["read"] = replicas.ReplicaRouter().db_for_read(OutboxJob)
        return HttpResponse("ok")

    middleware = replicas.ReplicaReadsMiddleware(view)
    middleware.aliases = ["replica_1"]
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    response = middleware(request)
    assert seen["read"] in (None, "default")
    assert replicas.POSITION_HEADER not in response  # no position query per probe either
