"""Which database a read goes to: the public's reads to a replica, everything else to the primary."""

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.sessions.models import Session
from django.test import RequestFactory

from agreements.projections.models import AgreementRecord
from registry import replicas
from registry.eventstore.models import StoredEvent

router = replicas.ReplicaRouter()


@pytest.fixture(autouse=True)
def no_position_query(monkeypatch):
    monkeypatch.setattr(replicas, "reflected_position", lambda: 7)


def handle(request, aliases=("replica_1",)):
    seen = {}

    def view(request):
        from django.http import HttpResponse

        seen["read"] = router.db_for_read(AgreementRecord)
        seen["session"] = router.db_for_read(Session)
        seen["user"] = router.db_for_read(User)
        seen["write"] = router.db_for_write(AgreementRecord)
        return HttpResponse("ok")

    middleware = replicas.ReplicaReadsMiddleware(view)
    middleware.aliases = list(aliases)
    response = middleware(request)
    return seen, response


def anonymous(request):
    request.user = AnonymousUser()
    return request


def test_an_anonymous_get_reads_from_a_replica_and_says_which_position_it_reflects():
    seen, response = handle(anonymous(RequestFactory().get("/parties/")))
    assert seen["read"] == "replica_1"
    assert response[replicas.POSITION_HEADER] == "7"


def test_an_anonymous_request_still_writes_to_the_primary():
    seen, _ = handle(anonymous(RequestFactory().get("/parties/")))
    assert seen["write"] == "default"


def test_sessions_and_users_are_always_read_from_the_primary():
    seen, _ = handle(anonymous(RequestFactory().get("/")))
    assert seen["session"] == "default" and seen["user"] == "default"


def test_a_logged_in_archivist_reads_from_the_primary():
    request = RequestFactory().get("/parties/")
    request.user = User(username="archie", pk=1)
    seen, response = handle(request)
    assert seen["read"] == "default"
    assert replicas.POSITION_HEADER not in response


def test_a_post_reads_from_the_primary():
    seen, _ = handle(anonymous(RequestFactory().post("/api/v1/agreements/")))
    assert seen["read"] == "default"


def test_the_admin_reads_from_the_primary():
    seen, _ = handle(anonymous(RequestFactory().get("/admin/login/")))
    assert seen["read"] == "default"


def test_without_replicas_everything_reads_from_the_primary():
    seen, response = handle(anonymous(RequestFactory().get("/")), aliases=())
    assert seen["read"] == "default"
    assert replicas.POSITION_HEADER not in response


def test_a_request_that_turns_out_to_be_staff_reads_from_the_primary_from_then_on():
    seen = {}

    def view(request):
        replicas.use_primary()  # what the API's authentication does for a valid token
        seen["read"] = router.db_for_read(StoredEvent)
        from django.http import HttpResponse

        return HttpResponse("ok")

    middleware = replicas.ReplicaReadsMiddleware(view)
    middleware.aliases = ["replica_1"]
    middleware(anonymous(RequestFactory().get("/api/v1/agreements/")))
    assert seen["read"] == "default"


def test_outside_a_request_reads_go_to_the_primary():
    assert router.db_for_read(AgreementRecord) == "default"


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "agreements")
    assert not router.allow_migrate("replica_1", "agreements")


def test_replica_urls_become_aliases_that_tests_treat_as_mirrors():
    databases = replicas.replica_databases(["postgres://u@h1:5432/p", "postgres://u@h2:5433/p"])
    assert list(databases) == ["replica_1", "replica_2"]
    assert databases["replica_2"]["PORT"] == 5433
    assert databases["replica_1"]["TEST"] == {"MIRROR": "default"}
