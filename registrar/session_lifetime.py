"""How long a signed-in session lasts without activity: short for staff on shared office computers.

``STAFF_SESSION_SECONDS`` and ``STUDENT_SESSION_SECONDS`` (settings) count from
the last request; the session's expiry is pushed forward at most once a
minute, so that an active user does not write the session on every request.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from registrar.roles import STAFF_ROLES, role_of

REFRESHED_AT = "_lifetime_refreshed_at"
REFRESH_EVERY = 60  # seconds


def session_seconds(user) -> int:
    """The idle lifetime of ``user``'s session."""
    if role_of(user) in STAFF_ROLES:
        return settings.STAFF_SESSION_SECONDS
    return settings.STUDENT_SESSION_SECONDS


class SessionLifetimeMiddleware:
    """Sets the session's idle expiry by role (after ``AuthenticationMiddleware``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # After the view: a sign-in during this request counts too.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            if now - request.session.get(REFRESHED_AT, 0) >= REFRESH_EVERY:
                request.session.set_expiry(session_seconds(user))
                request.session[REFRESHED_AT] = now
        return response
