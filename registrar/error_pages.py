"""The error pages in Chinese (issue 10, item 1), also while DEBUG is on, as in the demo.

With DEBUG on, Django answers a missing page or record with its English technical page. Here a
404 of a page (not of the API, whose errors are JSON) gets ``templates/404.html`` instead; the
403 and 500 pages are Django's handlers with this project's templates, and a refused CSRF token
gets a page that says what to do.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

FRIENDLY = "_friendly_error_page"


def _page(request: HttpRequest, template: str, status: int, context: dict | None = None) -> HttpResponse:
    response = render(request, template, context or {}, status=status)
    setattr(response, FRIENDLY, True)
    return response


def _is_page_request(request: HttpRequest) -> bool:
    """A person's page rather than the API (whose 404s are JSON bodies, api_errors.py)."""
    return not request.path.startswith("/api/")


class FriendlyErrorPagesMiddleware:
    """While DEBUG is on, a page's 404 is the Chinese page, not Django's technical one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and not getattr(response, FRIENDLY, False)
            and response.get("Content-Type", "").startswith("text/html")
            and _is_page_request(request)
        ):
            return _page(request, "404.html", 404)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG and isinstance(exception, Http404) and _is_page_request(request):
            return _page(request, "404.html", 404)
        return None


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with an expired or missing CSRF token: say to reload the page (CSRF_FAILURE_VIEW)."""
    return _page(request, "403_csrf.html", 403)
