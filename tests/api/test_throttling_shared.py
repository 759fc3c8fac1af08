"""Anonymous throttling counts in Redis whenever a Redis URL is configured: every worker shares one count."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.test import RequestFactory
from rest_framework.request import Request

from agreements.api.throttling import AnonymousThrottle

ROOT = Path(__file__).resolve().parents[2]
REDIS = os.environ.get("PACTA_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
SERVICES = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "PACTA_CACHE_URL")

COUNT_ALLOWED = """
import sys
import django
django.setup()
from django.conf import settings
from django.test import RequestFactory
from rest_framework.request import Request
from agreements.api.throttling import AnonymousThrottle
settings.PACTA_API_ANON_RATE = "3/minute"
request = Request(RequestFactory().get("/api/v1/parties/", REMOTE_ADDR="203.0.113.7"))
print(settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1], sum(
    AnonymousThrottle().allow_request(request, None) for _ in range(int(sys.argv[1]))))
"""


def worker(n, **env):
    """A separate process (as a gunicorn worker is) asking the throttle `n` times: (cache backend, allowed)."""
    base = {k: v for k, v in os.environ.items() if k not in SERVICES}
    out = subprocess.run([sys.executable, "-c", COUNT_ALLOWED, str(n)], cwd=ROOT, check=True, capture_output=True,
                         text=True, env={**base, "DJANGO_SETTINGS_MODULE": "registry.settings", "PACTA_TESTING": "1",
                                         **env}).stdout.split()
    return out[0], int(out[1])


def test_with_a_redis_url_two_workers_share_one_anonymous_count():
    env = {"REDIS_URL": REDIS, "PACTA_CACHE_KEY_PREFIX": f"test-{uuid.uuid4()}"}
    assert worker(3, **env) == ("RedisCache", 3)
    assert worker(2, **env) == ("RedisCache", 0)


def test_without_a_redis_url_each_process_counts_alone():
    assert worker(3) == ("LocMemCache", 3)
    assert worker(2) == ("LocMemCache", 2)


def test_a_redis_broker_url_alone_also_gives_the_shared_cache():
    assert worker(1, CELERY_BROKER_URL=REDIS)[0] == "RedisCache"


def test_a_redis_that_does_not_answer_lets_the_request_through(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:9/0",
                                   "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}}
    settings.PACTA_API_ANON_RATE = "1/minute"
    request = Request(RequestFactory().get("/api/v1/parties/", REMOTE_ADDR="203.0.113.8"))
    assert all(AnonymousThrottle().allow_request(request, None) for _ in range(3))


@pytest.fixture(autouse=True)
def _redis_is_up():
    import redis

    redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
