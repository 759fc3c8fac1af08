"""Fixtures for the operators' tools: a fresh, migrated, empty SQLite registry in a file, and processes on it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)


def fresh_env(db_path, **extra) -> dict:
    """A process of its own on an SQLite file (never the test database), embedded Celery, no Redis."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "PACTA_CACHE_URL", "PYTEST_VERSION",
                        "PROMETHEUS_MULTIPROC_DIR", "DJANGO_SETTINGS_MODULE"}}
    env.update({"PACTA_SQLITE_PATH": str(db_path), "PACTA_TESTING": "1", "DJANGO_SETTINGS_MODULE": "registry.settings",
                "PACTA_SOURCE_TEXTS": str(BASE / "tests" / "fixtures" / "sources"), **extra})
    return env


def manage(db_path, *args, check=True, timeout=600, **extra) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE, env=fresh_env(db_path, **extra),
                          capture_output=True, text=True, timeout=timeout, check=check)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """An empty registry, migrated once per session; copy it for each use."""
    path = tmp_path_factory.mktemp("ops-template") / "empty.sqlite3"
    manage(path, "migrate", "--verbosity", "0")
    return path


@pytest.fixture
def empty_registry(migrated_template, tmp_path):
    path = tmp_path / "registry.sqlite3"
    path.write_bytes(migrated_template.read_bytes())
    return path
