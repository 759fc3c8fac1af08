"""Every PostgreSQL connection of the registry starts with its session settings (registry/settings.py,
PACTA_DATABASE_SESSION_OPTIONS): JIT compilation off, since the planner's cost estimates grow with the corpus
and compiling took longer than the short reads it was for (bench.scale at a million agreements)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PRINT_OPTIONS = """
import json
from django.conf import settings
print(json.dumps({alias: database.get("OPTIONS", {}).get("options") for alias, database in settings.DATABASES.items()}))
"""


def options_with(**env) -> dict:
    """Each database's libpq `options` as the settings give them for this environment (a process of its own)."""
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_REPLICA_URLS"}}
    out = subprocess.run([sys.executable, "-c", PRINT_OPTIONS], cwd=ROOT, check=True, capture_output=True, text=True,
                         env={**base, "DJANGO_SETTINGS_MODULE": "registry.settings", "DJANGO_SECRET_KEY": "x", **env})
    return json.loads(out.stdout)


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_registrys_postgresql_connections_compile_no_query_just_in_time():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_every_postgresql_database_is_given_the_session_options_after_those_its_url_gives():
    assert options_with(DATABASE_URL="postgres://u@db.example/pacta?options=-c%20search_path%3Dpacta",
                        DATABASE_REPLICA_URLS="postgres://u@replica.example/pacta") == {
        "default": "-c search_path=pacta -c jit=off", "replica_1": "-c jit=off"}


def test_an_empty_setting_sends_no_session_options_for_a_pooler_that_refuses_them():
    assert options_with(DATABASE_URL="postgres://u@db.example/pacta", PACTA_DATABASE_SESSION_OPTIONS="") == {
        "default": None}


def test_sqlite_is_given_no_session_options():
    assert options_with() == {"default": None}
