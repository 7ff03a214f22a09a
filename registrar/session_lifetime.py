"""How long a signed-in session lasts without activity: short for staff on shared office computers.

A session idle for longer than ``STAFF_SESSION_SECONDS`` (staff) or
``STUDENT_SESSION_SECONDS`` (students) is signed out at its next request.
Staff cookies also end when the browser closes, so that the next person at a
shared computer does not find the office's session open. The last-seen time
is written at most once a minute, so that an active user does not write the
session on every request.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from registrar.roles import STAFF_ROLES, role_of

LAST_SEEN = "_last_seen"
REFRESH_EVERY = 60  # seconds
clock: Callable[[], float] = time.time


def session_seconds(user) -> int:
    """The idle lifetime of ``user``'s session."""
    if role_of(user) in STAFF_ROLES:
        return settings.STAFF_SESSION_SECONDS
    return settings.STUDENT_SESSION_SECONDS


class SessionLifetimeMiddleware:
    """Signs out idle sessions and keeps active ones alive (after ``AuthenticationMiddleware``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = int(clock())
        user = request.user
        if user.is_authenticated and now - request.session.get(LAST_SEEN, now) > session_seconds(user):
            logout(request)
        response = self.get_response(request)
        # After the view: a sign-in during this request counts too.
        user = request.user
        if user.is_authenticated and now - request.session.get(LAST_SEEN, 0) >= REFRESH_EVERY:
            staff = role_of(user) in STAFF_ROLES
            request.session.set_expiry(0 if staff else session_seconds(user))
            request.session[LAST_SEEN] = now
        return response
