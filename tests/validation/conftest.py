"""Fixtures for validation: commands, real Redis brokers, Celery worker subprocesses, a local HTTP server.

Worker processes must see the test database. On PostgreSQL they connect to it by name. On SQLite the
test database would be in memory (invisible to another process), so this module gives SQLite test runs a
file database instead (in /dev/shm when available) before the session creates it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection

from .helpers import QUEUE, REDIS_URL, CeleryProcess, free_port, redis_client, wait_for


def _file_backed_sqlite():
    if connection.vendor != "sqlite":
        return
    test = connection.settings_dict.setdefault("TEST", {})
    name = test.get("NAME")
    if name and not connection.creation.is_in_memory_db(name):
        return
    folder = "/dev/shm" if os.access("/dev/shm", os.W_OK) else tempfile.gettempdir()
    test["NAME"] = os.path.join(folder, f"pacta-test-validation-{os.getpid()}.sqlite3")


_file_backed_sqlite()


@pytest.fixture
def celery_processes():
    """Start worker/beat subprocesses with `start(kind, broker_url, **kw)`; all are stopped afterwards."""
    started = []

    def start(kind, broker_url, name=None, **kw):
        process = CeleryProcess(kind, broker_url, name or f"{kind}-{uuid.uuid4().hex[:6]}", **kw)
        started.append(process)
        return process

    yield start
    for process in reversed(started):
        process.stop()


@pytest.fixture
def redis_db5():
    """Redis db 5 (this area's), with this session's queue emptied before and after (never the whole
    database: another test session may be using it at the same time)."""
    client = redis_client(REDIS_URL)
    client.delete(QUEUE)
    yield REDIS_URL
    client.delete(QUEUE)


class RedisServer:
    """A redis-server of the test's own on a free port, that the test can stop and start again."""

    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="pacta-redis-")
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        subprocess.run(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.dir, "--daemonize", "yes", "--pidfile", os.path.join(self.dir, "redis.pid"),
             "--logfile", os.path.join(self.dir, "redis.log")],
            check=True,
        )
        wait_for(self.answers, timeout=20, what=f"redis-server on port {self.port}")

    def answers(self) -> bool:
        try:
            return bool(redis_client(self.url).ping())
        except Exception:
            return False

    def stop(self):
        pidfile = os.path.join(self.dir, "redis.pid")
        if not os.path.exists(pidfile):
            return
        pid = int(open(pidfile).read().strip())
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        wait_for(lambda: not self.answers() and not _alive(pid), timeout=20, what="redis-server to stop")

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def _alive(pid) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def own_redis():
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is not installed")
    server = RedisServer()
    server.start()
    yield server
    server.cleanup()


# ---------------------------------------------------------------- a local HTTP server


class _Handler(BaseHTTPRequestHandler):
    release = threading.Event()

    def do_GET(self):
        if self.path == "/ok":
            self._answer(200)
        elif self.path == "/missing":
            self._answer(404)
        elif self.path == "/moved":
            self._answer(302, location="/ok")
        elif self.path == "/loop":
            self._answer(302, location="/loop")
        elif self.path == "/hang":
            self.release.wait(30)  # never answers within any sane read timeout
        else:
            self._answer(500)

    def _answer(self, status, location=None):
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    _Handler.release = threading.Event()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    _Handler.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def embedded_celery():
    """These tests describe the embedded default (eager Celery) unless they point this process at a broker
    themselves (`celery_broker`), even when the environment names one (CI sets CELERY_BROKER_URL)."""
    from registry.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run what committing the block's writes triggers in the embedded default: the outbox relay, which
    runs each validation job eagerly, in-process."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
