"""The shared cache: Redis, and while Redis does not answer, a file cache on this host.

Upload progress, error sheets and rate-limit counters live in the cache. They
are worth keeping but not worth a failed request: when Redis is stopped or
unreachable, each call goes to a ``FileBasedCache`` under ``VAR_DIR`` instead
(shared by the processes of one host), and a read that misses in Redis also
looks there, so a value written during the outage is found after it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

MISSING = object()


class FailoverRedisCache(RedisCache):
    """``RedisCache`` whose calls fall back to the file cache at ``params["FALLBACK"]`` on a Redis error."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self.fallback = FileBasedCache(str(params["FALLBACK"]), {"TIMEOUT": params.get("TIMEOUT", 300)})

    def _down(self, operation: str, exc: RedisError) -> None:
        logger.warning("cache: Redis %s failed, using the file cache: %s", operation, exc)

    def get(self, key, default=None, version=None):
        try:
            value = super().get(key, MISSING, version)
        except RedisError as exc:
            self._down("get", exc)
            value = MISSING
        if value is MISSING:
            return self.fallback.get(key, default, version)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        try:
            super().set(key, value, timeout, version)
        except RedisError as exc:
            self._down("set", exc)
            self.fallback.set(key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except RedisError as exc:
            self._down("add", exc)
            return self.fallback.add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None) -> int:
        try:
            return super().incr(key, delta, version)
        except RedisError as exc:
            self._down("incr", exc)
            return self.fallback.incr(key, delta, version)

    def delete(self, key, version=None) -> bool:
        try:
            deleted = super().delete(key, version)
        except RedisError as exc:
            self._down("delete", exc)
            deleted = False
        return self.fallback.delete(key, version) or deleted

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        try:
            return super().touch(key, timeout, version)
        except RedisError as exc:
            self._down("touch", exc)
            return self.fallback.touch(key, timeout, version)

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
        try:
            super().clear()
        except RedisError as exc:
            self._down("clear", exc)
        self.fallback.clear()
