"""The public reads from a real PostgreSQL streaming replica; staff and writes use the primary.

A primary and a replica are built in a temporary folder (pg_pair.py); Django runs against them in child
processes (replica_driver.py), with DATABASE_URL naming the primary and DATABASE_REPLICA_URLS the replica.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .pg_pair import start_pair

pytestmark = [pytest.mark.postgres, pytest.mark.integration]

ROOT = Path(__file__).resolve().parents[2]
DRIVER = str(Path(__file__).with_name("replica_driver.py"))


@pytest.fixture(scope="module")
def pair():
    pair = start_pair()
    yield pair
    pair.stop()


@pytest.fixture(scope="module")
def django_env(pair):
    env = {k: v for k, v in os.environ.items()
           if k not in ("CELERY_BROKER_URL", "REDIS_URL", "DATABASE_REPLICA_URLS", "PACTA_TEST_DB_NAME")}
    env.update(DATABASE_URL=pair.primary_url, PACTA_TESTING="1", DJANGO_SETTINGS_MODULE="registry.settings",
               PYTHONPATH=str(ROOT))
    run([sys.executable, "manage.py", "migrate", "--no-input"], env)
    token = run([sys.executable, "manage.py", "create_api_token", "archie", "--role", "archivist"], env)
    return {"primary": env, "readers": {**env, "DATABASE_REPLICA_URLS": pair.replica_url},
            "token": token.strip().splitlines()[-1]}


def run(args, env) -> str:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def drive(env, *args) -> dict:
    return json.loads(run([sys.executable, DRIVER, *args], env).strip().splitlines()[-1])


def test_a_public_page_reads_what_the_primary_wrote_from_the_replica_once_it_caught_up(pair, django_env):
    written = drive(django_env["primary"], "write", "replicated-one")
    pair.wait_for_replica()
    page = drive(django_env["readers"], "get", "/api/v1/agreements/replicated-one/")
    assert page["status"] == 200
    assert "Replicated wording." in page["body"]
    assert page["position"] == str(written["position"])  # the replica holds everything up to the write


def test_a_lagging_replica_answers_with_the_position_it_reflects_while_staff_read_the_primary(pair, django_env):
    pair.wait_for_replica()
    before = drive(django_env["readers"], "get", "/api/v1/agreements/")["position"]
    pair.query(pair.replica_port, "SELECT pg_wal_replay_pause()")
    try:
        written = drive(django_env["primary"], "write", "replicated-late")
        public = drive(django_env["readers"], "get", "/api/v1/agreements/replicated-late/")
        staff = drive(django_env["readers"], "get", "/api/v1/agreements/replicated-late/", django_env["token"])
    finally:
        pair.query(pair.replica_port, "SELECT pg_wal_replay_resume()")
    assert public["status"] == 404 and public["position"] == before  # an older, consistent registry
    assert staff["status"] == 200 and staff["position"] is None  # an archivist reads what was just written
    pair.wait_for_replica()
    caught_up = drive(django_env["readers"], "get", "/api/v1/agreements/replicated-late/")
    assert caught_up["status"] == 200 and caught_up["position"] == str(written["position"])


def test_the_public_browser_keeps_answering_from_the_replica_with_the_primary_stopped(pair, django_env):
    written = drive(django_env["primary"], "write", "replicated-browser")
    pair.wait_for_replica()
    detail = json.loads(drive(django_env["readers"], "get", "/api/v1/agreements/replicated-browser/")["body"])
    pair.stop_primary()
    page = drive(django_env["readers"], "get", detail["work_uri"] + "/")
    assert page["status"] == 200
    assert "Replicated wording." in page["body"]
    assert f"up to no. {written['position']} of the" in page["body"]  # the footer names the position
