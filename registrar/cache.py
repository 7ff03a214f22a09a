"""The shared cache: Redis, and while Redis does not answer, a file cache on this host.

Upload progress, error sheets and rate-limit counters live in the cache. They
are worth keeping but not worth a failed request: when Redis is stopped or
unreachable, each call goes to a ``FileBasedCache`` under ``VAR_DIR`` instead
(shared by the processes of one host), and a read that misses in Redis also
looks there, so a value written during the outage is found after it. After a
failure this process leaves Redis alone for ``RETRY_AFTER`` seconds, so that a
page does not wait on a dead Redis once per cache call.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

MISSING = object()
RETRY_AFTER = 10.0  # seconds
T = TypeVar("T")

# Per Redis location, until when this process skips it (shared by the per-thread cache objects).
_skip_until: dict[str, float] = {}


class SharedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, keeping one ``redis.Redis`` per connection pool.

    Django builds a new ``redis.Redis`` for every cache call (about half a millisecond, several
    times a request); the object holds no connection of its own and is safe across threads.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailoverRedisCache(RedisCache):
    """``RedisCache`` whose calls fall back to the file cache at ``params["FALLBACK"]`` on a Redis error."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
        self.location = server
        self.fallback = FileBasedCache(str(params["FALLBACK"]), {"TIMEOUT": params.get("TIMEOUT", 300)})

    def _either(self, operation: str, redis_call: Callable[[], T], file_call: Callable[[], T]) -> T:
        """Redis's answer, or the file cache's when Redis fails (or failed moments ago)."""
        if time.monotonic() < _skip_until.get(self.location, 0.0):
            return file_call()
        try:
            return redis_call()
        except RedisError as exc:
            logger.warning(
                "cache: Redis %s failed, using the file cache for %ss: %s", operation, RETRY_AFTER, exc
            )
            _skip_until[self.location] = time.monotonic() + RETRY_AFTER
            return file_call()

    def get(self, key, default=None, version=None):
        value = self._either(
            "get", lambda: super(FailoverRedisCache, self).get(key, MISSING, version), lambda: MISSING
        )
        if value is MISSING:
            return self.fallback.get(key, default, version)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        self._either(
            "set",
            lambda: super(FailoverRedisCache, self).set(key, value, timeout, version),
            lambda: self.fallback.set(key, value, timeout, version),
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return self._either(
            "add",
            lambda: super(FailoverRedisCache, self).add(key, value, timeout, version),
            lambda: self.fallback.add(key, value, timeout, version),
        )

    def incr(self, key, delta=1, version=None) -> int:
        return self._either(
            "incr",
            lambda: super(FailoverRedisCache, self).incr(key, delta, version),
            lambda: self.fallback.incr(key, delta, version),
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return self._either(
            "touch",
            lambda: super(FailoverRedisCache, self).touch(key, timeout, version),
            lambda: self.fallback.touch(key, timeout, version),
        )

    def delete(self, key, version=None) -> bool:
        deleted = self._either(
            "delete", lambda: super(FailoverRedisCache, self).delete(key, version), lambda: False
        )
        return self.fallback.delete(key, version) or deleted

    def has_key(self, key, version=None) -> bool:
        return self.get(key, MISSING, version) is not MISSING

    def get_many(self, keys, version=None) -> dict:
        return {key: value for key in keys if (value := self.get(key, MISSING, version)) is not MISSING}

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None) -> list:
        for key, value in data.items():
            self.set(key, value, timeout, version)
        return []

    def delete_many(self, keys, version=None) -> None:
        for key in keys:
            self.delete(key, version)

    def clear(self) -> None:
        self._either("clear", lambda: super(FailoverRedisCache, self).clear(), lambda: None)
        self.fallback.clear()
