"""Per-user rate limits on uploads and exports (issue 8, item 11).

An upload is a ``multipart/form-data`` POST; an export is a request to one of
``settings.RATE_LIMITED_EXPORTS`` (view names). Each user has a budget per
window for each (``settings.RATE_LIMITS``, e.g. ``"30/10m"``), counted in the
shared cache. A refused request gets 429 with a reason in Chinese. When the
cache cannot count, the request goes through: a limit is a brake, not a gate.

Pages are limited by ``RateLimitMiddleware``; the API by ``UploadExportThrottle``
(its users authenticate inside DRF, after the middleware has run).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from redis.exceptions import RedisError
from rest_framework.exceptions import Throttled
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)

UNITS = {"s": 1, "m": 60, "h": 3600}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """``"30/10m"`` → 30 per 600 seconds; the period is a number with s, m or h (a bare unit means 1)."""
    count, period = text.split("/")
    number, unit = period[:-1] or "1", period[-1]
    return Rate(int(count), int(number) * UNITS[unit])


def request_scope(request: HttpRequest) -> str | None:
    """``"upload"``, ``"export"`` or ``None`` (not limited)."""
    if request.method == "POST" and request.content_type == "multipart/form-data":
        return "upload"
    match = request.resolver_match
    if match is not None and match.view_name in settings.RATE_LIMITED_EXPORTS:
        return "export"
    return None


def rate_limit_hit(*, scope: str, user_id: int) -> bool:
    """Count one request of ``scope`` by the user; ``True`` when it is over the user's budget."""
    rate = parse_rate(settings.RATE_LIMITS[scope])
    window = int(time.time() // rate.seconds)
    key = f"ratelimit:{scope}:{user_id}:{window}"
    try:
        cache.add(key, 0, rate.seconds)
        count = cache.incr(key)
    # No counter (the cache is down, or the key expired between add and incr): let the request through.
    except (RedisError, ValueError) as exc:
        logger.warning("rate limit not counted for %s: %s", key, exc)
        return False
    return count > rate.count


def refusal_message(scope: str) -> str:
    if scope == "upload":
        return _("上传过于频繁，请稍后再试。")
    return _("导出过于频繁，请稍后再试。")


class RateLimitMiddleware:
    """Refuses a signed-in user's page upload or export over the budget with 429 (after URL resolution)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if request.path_info.startswith("/api/") or not request.user.is_authenticated:
            return None  # the API counts in UploadExportThrottle, once DRF knows the user
        scope = request_scope(request)
        if scope is None or not rate_limit_hit(scope=scope, user_id=request.user.pk):
            return None
        return render(request, "registrar/rate_limited.html", {"message": refusal_message(scope)}, status=429)


class UploadExportThrottle(BaseThrottle):
    """The same budgets for the API (``REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]``)."""

    def allow_request(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return True
        scope = request_scope(request._request)
        if scope is not None and rate_limit_hit(scope=scope, user_id=request.user.pk):
            raise Throttled(detail=refusal_message(scope))
        return True
