"""Two instances: a copy follows the first one's feed, verifying the hash chain, and ends with equal projections."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from agreements.projections.rebuild import projection_hash
from registry.eventstore import triggers

ROOT = Path(__file__).resolve().parents[2]


def copy_instance(tmp_path):
    """The second instance: its own database (an SQLite file), driven through manage.py."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL",
                                                            "PACTA_TEST_DB_NAME")}
    env["PACTA_SQLITE_PATH"] = str(tmp_path / "copy.sqlite3")

    def manage(*args, check=True):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=300, check=check)

    manage("migrate", "--verbosity", "0")
    # Reference data (parties, sources) is not in the event log: a copy holds the same reference files.
    manage("shell", "-c", "from agreements.seeding import SEEDS_DIR, load_parties, load_sources; "
                          "load_parties(SEEDS_DIR / 'reference' / 'parties.yaml'); "
                          "load_sources(SEEDS_DIR / 'reference' / 'sources.yaml')")
    return manage


@pytest.fixture
def token(transactional_db, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("copier")
    user.groups.add(*Group.objects.filter(name="archivist"))
    return Token.objects.create(user=user).key


def test_a_copy_follows_the_feed_and_projects_the_same_state(live_server, token, tmp_path):
    manage = copy_instance(tmp_path)
    result = manage("follow", live_server.url, "--token", token, "--once", check=False)
    assert result.returncode == 0, result.stderr
    assert manage("projection_hash").stdout.strip() == f"projection hash: {projection_hash()}"
    assert manage("verify_log").returncode == 0
    # A second pass copies nothing new.
    assert manage("follow", live_server.url, "--token", token, "--once").stdout.startswith("copied 0 events")


def test_a_tampered_remote_is_refused_and_nothing_is_written(live_server, token, tmp_path):
    manage = copy_instance(tmp_path)
    triggers.remove(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE pacta_event SET payload = %s WHERE position = 3", ['{"title": "rewritten"}'])
    finally:
        triggers.install(connection)
    result = manage("follow", live_server.url, "--token", token, "--once", check=False)
    assert result.returncode == 1
    assert "refused" in result.stderr and "position 3" in result.stderr
    assert "verified 0 events" in manage("verify_log").stdout
