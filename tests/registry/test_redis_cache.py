"""The Redis cache keeps one Redis client per connection pool (registry/redis_cache.py): Django's builds one
for every operation, which costs more than the round trip."""

import os
import uuid

from registry.redis_cache import RedisCache

REDIS = os.environ.get("PACTA_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def a_cache():
    return RedisCache(REDIS, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})


def test_every_operation_goes_through_one_client_per_pool():
    cache = a_cache()
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=False)
    assert cache._cache.get_client("a") is cache._cache.get_client("b")


def test_the_reused_client_reads_and_writes_as_djangos_does():
    cache = a_cache()
    cache.set("word", "Şuşa", 30)
    assert cache.add("word", "other", 30) is False
    assert cache.get_many(["word", "missing"]) == {"word": "Şuşa"}
    cache.set("count", 1, 30)
    assert cache.incr("count") == 2
    cache.delete_many(["word", "count"])
    assert cache.get("word") is None
