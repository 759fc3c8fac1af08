"""The production image, as far as it can be checked without Docker (which cannot run on these machines).

Running the entry commands as an unprivileged user from a fresh venv, each answering its healthcheck, is
.ci/runtime-check's second half ("image check"). Here: the files say what they must.
"""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.urls import Resolver404, resolve

from registry.ops import probe

BASE = Path(settings.BASE_DIR)
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((BASE / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def dockerfile():
    text = (BASE / "Dockerfile").read_text()
    return re.sub(r"\\\n", " ", text)  # continuation lines joined


def instructions(dockerfile, name):
    return [line.split(None, 1)[1] for line in dockerfile.splitlines() if line.split(None, 1)[:1] == [name]]


def test_the_compose_file_gives_web_worker_and_beat_a_healthcheck_each(compose):
    for name in APP_SERVICES:
        check = compose["services"][name]["healthcheck"]
        assert check["test"][:4] == ["CMD", "python", "-m", "registry.ops.probe"], name
        assert check["test"][4] == name
        assert check["interval"] and check["timeout"] and check["retries"]


def test_the_health_addresses_the_probes_ask_for_exist():
    for path in ("/readyz", "/healthz"):
        assert resolve(path).func.__module__ == "registry.ops.views"
    with pytest.raises(Resolver404):
        resolve("/readyz/nothing")
    source = Path(probe.__file__).read_text()
    assert '"/readyz"' in source and '"/healthz"' in source


def test_every_compose_service_of_the_image_runs_an_entry_command_that_exists(compose):
    entrypoint = (BASE / "docker" / "entrypoint.sh").read_text()
    for name, service in compose["services"].items():
        if service.get("image") != "pacta:latest":
            continue
        command = service["command"][0]
        assert re.search(rf"^\s+{command}\)", entrypoint, re.M), (name, command)


def test_web_and_worker_share_one_metrics_folder_and_the_same_time_limits(compose):
    web, worker = compose["services"]["web"], compose["services"]["worker"]
    assert web["environment"]["PROMETHEUS_MULTIPROC_DIR"] == worker["environment"]["PROMETHEUS_MULTIPROC_DIR"]
    assert web["volumes"] == worker["volumes"]
    for key in ("PACTA_TASK_SOFT_TIME_LIMIT", "PACTA_TASK_TIME_LIMIT"):
        assert web["environment"][key] == worker["environment"][key] == compose["services"]["beat"]["environment"][key]


def test_the_image_runs_as_an_unprivileged_user(dockerfile):
    users = instructions(dockerfile, "USER")
    assert users, "no USER instruction: the image would run as root"
    assert users[-1].split(":")[0] not in {"root", "0"}
    last_stage = dockerfile.rsplit("FROM ", 1)[1]
    assert "USER" in last_stage and "useradd" in last_stage


def test_the_image_collects_static_files_at_build_and_checks_its_health(dockerfile):
    runs = " ".join(instructions(dockerfile, "RUN"))
    assert "manage.py collectstatic --noinput" in runs
    health = instructions(dockerfile, "HEALTHCHECK")
    assert health and "registry.ops.probe" in health[0]
    assert instructions(dockerfile, "ENTRYPOINT") == ['["/app/docker/entrypoint.sh"]']


def test_gunicorn_takes_its_workers_and_timeouts_from_the_environment(monkeypatch):
    import importlib

    from registry import gunicorn as config

    monkeypatch.setenv("GUNICORN_WORKERS", "7")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "45")
    monkeypatch.setenv("GUNICORN_GRACEFUL_TIMEOUT", "12")
    reloaded = importlib.reload(config)
    try:
        assert (reloaded.workers, reloaded.timeout, reloaded.graceful_timeout) == (7, 45, 12)
    finally:
        monkeypatch.undo()
        importlib.reload(config)
    assert "-c python:registry.gunicorn" in (BASE / "docker" / "entrypoint.sh").read_text()


def test_the_build_context_leaves_out_history_local_databases_and_secrets():
    ignored = {line.strip() for line in (BASE / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    assert {".git", ".venv", "db.sqlite3", ".env", "test-artifacts", "staticfiles"} <= ignored


def test_the_beat_probe_needs_a_recent_schedule_file(tmp_path, monkeypatch):
    schedule = tmp_path / "celerybeat-schedule"
    monkeypatch.setenv("CELERY_BEAT_SCHEDULE_FILE", str(schedule))
    assert probe.beat() is False
    (tmp_path / "celerybeat-schedule.db").write_bytes(b"x")  # dbm adds a suffix
    assert probe.beat() is True
    import os

    os.utime(tmp_path / "celerybeat-schedule.db", (1, 1))
    assert probe.beat() is False


def test_the_entrypoint_is_a_posix_shell_script_that_execs_its_servers():
    text = (BASE / "docker" / "entrypoint.sh").read_text()
    assert text.startswith("#!/bin/sh\n")
    assert (BASE / "docker" / "entrypoint.sh").stat().st_mode & 0o111
    for server in ("gunicorn", "celery -A registry worker", "celery -A registry beat"):
        assert re.search(rf"exec {re.escape(server)}", text), server
