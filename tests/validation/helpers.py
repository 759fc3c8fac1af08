"""Helpers for the validation tests: commands, waiting, brokers and Celery subprocesses."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
import kombu.pools

from agreements import services
from agreements.domain.commands import parse_command

REDIS_URL = os.environ.get("PACTA_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "validation"
# A queue of this test session's own, so that two sessions sharing a Redis database never take each other's jobs.
QUEUE = f"pacta-test-{os.getpid()}"


# ---------------------------------------------------------------- commands


def do(type_, slug_, **fields):
    """One command through the write path."""
    return services.handle(parse_command(type_, fields), slug=slug_)


def draft(slug, work_date="2015-03-01", title=None, **fields):
    data = {"slug": slug, "title": title or slug.replace("-", " ").title(), "kind": "agreement", **fields}
    if work_date:
        data["work_date"] = work_date
    return do("DraftAgreement", slug, **data)


def clause(slug, eid, text=None, effective=None, **fields):
    data = {"eid": eid, "text": text or f"Text of {eid}.", "text_kind": "summary", **fields}
    if effective:
        data["effective"] = effective
    return do("AddClause", slug, **data)


def wait_for(predicate, timeout=90.0, interval=0.2, what="the condition"):
    """Poll until `predicate()` is truthy; fail (not a timing assertion: a guard against hanging) after `timeout`.
    `what` (a string, or a callable giving one, e.g. with a worker's log) names what was awaited."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what() if callable(what) else what} after {timeout:.0f}s")
        time.sleep(interval)


# ---------------------------------------------------------------- brokers and workers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_client(url):
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)


@contextlib.contextmanager
def celery_broker(url):
    """Point this (test) process's Celery app at a real broker: jobs are sent, not run eagerly."""
    from registry.celery import app
    from registry.outbox import outbox

    saved = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager,
             "task_default_queue": app.conf.task_default_queue}
    saved_env = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = url  # Celery prefers this variable (set in CI) to its configuration
    app.conf.update(broker_url=url, task_always_eager=False, task_default_queue=QUEUE)
    _forget_routes(app)
    outbox._breaker.close()
    try:
        yield app
    finally:
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env
        app.conf.update(saved)
        _forget_routes(app)
        outbox._breaker.close()
        # Close the connections to the test's broker and forget their pools, kombu's shared registries included:
        # a closed pool left registered is found again by the next send (eager ones too: Celery acquires a producer
        # before running a task in place), which meets "Acquire on closed pool".
        kombu.pools.reset()
        app._pool = None
        app.amqp._producer_pool = None


def _forget_routes(app):
    """Celery caches its queues and router from the configuration: drop them after changing the queue."""
    for name in ("queues", "default_queue", "router"):
        app.amqp.__dict__.pop(name, None)
    app.amqp.flush_routes()


def database_env() -> dict:
    """Environment for a process that must use this test database."""
    sd = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"PACTA_SQLITE_PATH": sd["NAME"], "DATABASE_URL": ""}
    auth = sd["USER"] + (f":{sd['PASSWORD']}" if sd.get("PASSWORD") else "")
    return {"DATABASE_URL": f"postgres://{auth}@{sd['HOST'] or '127.0.0.1'}:{sd['PORT'] or 5432}/{sd['NAME']}"}


class CeleryProcess:
    """A `celery -A registry worker|beat` subprocess using the test database and the given broker."""

    def __init__(self, kind, broker_url, name, extra_env=None, args=(), pool="solo"):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.log_path = ARTIFACTS / f"{name}.log"
        env = {**os.environ, **database_env(), "CELERY_BROKER_URL": broker_url, "PACTA_TESTING": "1",
               "PACTA_LOG_LEVEL": "WARNING", "PACTA_CELERY_QUEUE": QUEUE, **(extra_env or {})}
        if not env.get("DATABASE_URL"):
            env.pop("DATABASE_URL", None)
        cmd = [sys.executable, "-m", "celery", "-A", "registry", kind, "--loglevel=INFO", *args]
        if kind == "worker":
            # solo by default; time limits need a pool that can kill a child process (prefork)
            cmd += [f"--pool={pool}", "--concurrency=1", "--without-heartbeat", "--without-mingle", "--without-gossip",
                    "-n", f"{name}@%h"]
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(cmd, cwd=settings.BASE_DIR, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def kill(self, sig=signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, sig)

    def stop(self):
        if self.proc.poll() is None:
            self.kill(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill(signal.SIGKILL)
                self.proc.wait(timeout=10)
        self._log.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")
