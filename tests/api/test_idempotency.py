"""Idempotency-Key: per user and agreement, bound to the request it first came with, waited for by its twins."""

import datetime as dt
import json
import threading

import pytest
import requests
from django.db.models import Count
from django.utils import timezone

from agreements.idempotency import keys
from agreements.idempotency.models import IdempotencyKey
from registry.eventstore.models import StoredEvent

from .conftest import _token_client, run

pytestmark = pytest.mark.django_db


def url(slug):
    return f"/api/v1/agreements/{slug}/commands/"


def events_of(slug):
    return list(StoredEvent.objects.filter(stream_id=f"agreement:{slug}").values_list("type", flat=True))


def post(client, slug, body, version, key):
    return client.post(url(slug), body, format="json", HTTP_IF_MATCH=f'"{version}"', HTTP_IDEMPOTENCY_KEY=key)


AMEND = {"type": "AmendClause", "eid": "art_1", "text": "New wording.", "effective": "2020-01-01"}
REPEAL = {"type": "RepealClause", "eid": "art_1", "effective": "2021-01-01"}


def test_a_retry_with_the_same_key_and_body_replays_the_first_response(archivist_client, draft):
    version = len(events_of(draft))
    first = post(archivist_client, draft, AMEND, version, "k-1")
    again = post(archivist_client, draft, AMEND, version, "k-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json()["replayed"] is True
    assert again.json()["events"] == first.json()["events"] and again["ETag"] == first["ETag"]
    assert events_of(draft).count("ClauseAmended") == 1


def test_the_same_key_with_another_command_is_a_422_naming_the_header(archivist_client, draft):
    version = len(events_of(draft))
    assert post(archivist_client, draft, AMEND, version, "k-1").status_code == 201
    response = post(archivist_client, draft, REPEAL, version + 1, "k-1")
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["errors"]
    assert "ClauseRepealed" not in events_of(draft)


def test_a_key_is_the_users_own_another_user_with_the_same_key_gets_their_command_applied(
        archivist_client, draft, django_user_model):
    from django.contrib.auth.models import Group

    other = django_user_model.objects.create_user("arlo", password="pw-archivist-2")
    other.groups.add(*Group.objects.filter(name="archivist"))
    version = len(events_of(draft))
    assert post(archivist_client, draft, AMEND, version, "shared").status_code == 201
    response = post(_token_client(other), draft, REPEAL, version + 1, "shared")
    assert response.status_code == 201 and response.json()["replayed"] is False
    assert events_of(draft)[-2:] == ["ClauseAmended", "ClauseRepealed"]


def test_a_key_is_scoped_to_the_agreement(archivist_client, make_agreement):
    a, b = make_agreement("first-2020", clauses=1), make_agreement("second-2020", clauses=1)
    assert post(archivist_client, a, AMEND, len(events_of(a)), "same").status_code == 201
    assert post(archivist_client, b, AMEND, len(events_of(b)), "same").json()["replayed"] is False
    assert events_of(b)[-1] == "ClauseAmended"


def test_a_refused_request_keeps_no_key_so_its_corrected_retry_runs(archivist_client, draft):
    version = len(events_of(draft))
    assert post(archivist_client, draft, {**AMEND, "eid": "art_9"}, version, "k-2").status_code == 409
    assert post(archivist_client, draft, {**AMEND, "eid": "art_9"}, version, "k-2").status_code == 409
    assert not IdempotencyKey.objects.filter(key="k-2").exists()


def test_an_expired_key_is_forgotten_and_purged(archivist_client, draft, settings):
    version = len(events_of(draft))
    assert post(archivist_client, draft, AMEND, version, "old").status_code == 201
    IdempotencyKey.objects.filter(key="old").update(created_at=timezone.now() - dt.timedelta(hours=25))
    assert keys.purge_expired() == 1
    assert post(archivist_client, draft, REPEAL, version + 1, "old").json()["replayed"] is False


@pytest.mark.parametrize("key", ["", "x" * 201, "caf\u00e9", '"half-quoted', "ends-with-a-quote\"", " spaced "])
def test_a_malformed_key_is_a_400_naming_the_header(archivist_client, draft, key):
    response = post(archivist_client, draft, AMEND, len(events_of(draft)), key)
    assert response.status_code == 400 and "Idempotency-Key" in response.json()["errors"]


def test_drafting_with_a_used_key_and_another_body_is_a_422(archivist_client):
    body = {"slug": "keyed-2025", "title": "Keyed", "kind": "pact"}
    assert archivist_client.post("/api/v1/agreements/", body, format="json",
                                 HTTP_IDEMPOTENCY_KEY="d-1").status_code == 201
    response = archivist_client.post("/api/v1/agreements/", {**body, "slug": "other-2025"}, format="json",
                                     HTTP_IDEMPOTENCY_KEY="d-1")
    assert response.status_code == 422 and "Idempotency-Key" in response.json()["errors"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_twins_apply_once_and_all_answer_the_first_result(live_server, archivist):
    from rest_framework.authtoken.models import Token

    slug = "twins-2012"
    run(slug, "DraftAgreement", slug=slug, title="Twins", kind="treaty")
    run(slug, "AddClause", eid="art_1", text="Text.", text_kind="official")
    version = len(events_of(slug))
    token = Token.objects.create(user=archivist).key
    barrier = threading.Barrier(10)
    answers = []

    def send():
        barrier.wait()
        response = requests.post(f"{live_server.url}{url(slug)}", json=AMEND, timeout=60, headers={
            "Authorization": f"Token {token}", "If-Match": f'"{version}"', "Idempotency-Key": "twin"})
        answers.append((response.status_code, response.json()))

    threads = [threading.Thread(target=send) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert [status for status, _ in answers] == [201] * 10, answers
    assert sorted(body["replayed"] for _, body in answers) == [False] + [True] * 9
    assert len({json.dumps(body["events"], sort_keys=True) for _, body in answers}) == 1
    assert events_of(slug).count("ClauseAmended") == 1
    assert not StoredEvent.objects.values("stream_id", "stream_version").annotate(n=Count("position")).filter(n__gt=1)


def test_a_key_in_double_quotes_is_the_same_key_as_without(archivist_client, draft):
    version = len(events_of(draft))
    first = post(archivist_client, draft, AMEND, version, "quoted-key-1")
    again = post(archivist_client, draft, AMEND, version, '"quoted-key-1"')
    assert first.status_code == 201 and again.status_code == 201
    assert again.json()["replayed"] is True and again.json()["events"] == first.json()["events"]

