"""Django's Redis cache, with one Redis client per connection pool instead of a new one for every operation.

Django's `RedisCacheClient.get_client` builds a `redis.Redis` object around the pool for each get, set or
incr; building one fills its table of some 170 response callbacks, a fifth of a millisecond: more than the
round trip to Redis on the same host, and paid by every throttled request, every kept API body and every
conditional GET answered at the door (registry/revalidation.py). A `redis.Redis` takes a connection from its
pool for each command and gives it back, so one client per pool serves every thread of the process.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClients(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClients
