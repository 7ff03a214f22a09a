"""The error pages in Chinese (issue 10, item 1), also while DEBUG is on, as in the demo.

With DEBUG on, Django answers a missing page or record with its English technical page. Here a
404 of a page (not of the API, whose errors are JSON) gets ``templates/404.html`` instead. Staff
get the 403 and 404 pages inside the staff pages (sidebar and all), others the plain layout; the
500 page needs nothing but its template. A refused CSRF token gets a page that says what to do.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from registrar.roles import STAFF_ROLES, role_of

FRIENDLY = "_friendly_error_page"


def _page(request: HttpRequest, template: str, status: int, context: dict | None = None) -> HttpResponse:
    """The error page in the look of the pages the user works in: the staff pages' for staff."""
    context = dict(context or {})
    if role_of(getattr(request, "user", None)) in STAFF_ROLES:
        context.update(admin.site.each_context(request), staff_page=True)
    response = render(request, template, context, status=status)
    setattr(response, FRIENDLY, True)
    return response


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler403: the refusal's reason, and who can grant the right."""
    return _page(request, "403.html", 403, {"exception": str(exception), "title": _("无权访问")})


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: never says whether the record exists out of the user's scope (SEC-2)."""
    return _page(request, "404.html", 404, {"title": _("页面不存在")})


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
            return page_not_found(request, Http404())
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG and isinstance(exception, Http404) and _is_page_request(request):
            return page_not_found(request, exception)
        return None


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with an expired or missing CSRF token: say to reload the page (CSRF_FAILURE_VIEW)."""
    return _page(request, "403_csrf.html", 403, {"title": _("页面已过期")})
