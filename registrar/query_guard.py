"""Query strings with a NUL byte are refused with a 400 before any view runs (SEC-1).

PostgreSQL text cannot hold NUL, so such a value reaching a filter raised in the
database driver and answered 500. No page of this system takes NUL in a parameter.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


class NulQueryMiddleware:
    """A 400 with a Chinese reason for any query string holding a NUL byte (JSON under /api/)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            reason = _("请求参数中含有空字符（NUL），已拒绝")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": reason}, status=400)
            return HttpResponseBadRequest(reason, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
