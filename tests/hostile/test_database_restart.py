"""After PostgreSQL restarts, a worker's connection from before is dead: the request that meets it answers
503 with Retry-After (the outage it is), never 500; the next request reconnects."""

import psycopg
import pytest
from django.db import close_old_connections, connection
from django.test import Client
from rest_framework.test import APIClient

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def terminate_this_connection():
    """What a restart does to a pooled connection: the server ends its backend (from another connection)."""
    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict
    with psycopg.connect(host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"],
                         password=settings["PASSWORD"], dbname=settings["NAME"], autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.fixture
def stale_connection():
    connection.ensure_connection()
    terminate_this_connection()
    yield
    connection.close()


def test_an_api_request_on_a_connection_the_server_ended_answers_503(stale_connection):
    response = APIClient().get("/api/v1/parties/")
    assert response.status_code == 503 and response["Retry-After"]
    close_old_connections()  # what the end of a request does on a server (Django's test client skips it)
    assert APIClient().get("/api/v1/parties/").status_code == 200


def test_a_page_request_on_a_connection_the_server_ended_answers_503(stale_connection):
    response = Client(raise_request_exception=False).get("/parties/")
    assert response.status_code == 503 and response["Retry-After"]
