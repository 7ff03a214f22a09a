"""A student who has left reads their own archive and does nothing else (ANN-11).

After 学籍注销 (退学, 取消学籍, 开除学籍, 死亡: ANN-5) the student's account stays
open: identity, registration and annual records are their 学籍档案, read on the
same pages, scoped to themself as before (SEC-2). Every request that would write
(any method but GET, HEAD, OPTIONS) is refused with a Chinese reason, except
signing out and choosing the page's language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from registrar import codes
from registrar.models import Student
from registrar.roles import Role, role_of

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# What a reader of their archive may still post: signing out, the page's language.
STILL_ALLOWED = frozenset({"logout", "set_language"})


def has_left(user) -> bool:
    """Whether ``user`` is a student whose 学籍 was deregistered (ANN-5, ANN-11)."""
    return (
        role_of(user) == Role.STUDENT
        and user.student_id is not None
        and Student.objects.filter(
            pk=user.student_id, student_status=codes.StudentStatus.DEREGISTERED
        ).exists()
    )


class ArchiveOnlyMiddleware:
    """Writes by a student who has left are refused (403); reads of their own archive go on (ANN-11)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in SAFE_METHODS and not self._still_allowed(request) and has_left(request.user):
            reason = _("学籍已注销，账号只能查看本人学籍档案")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": reason}, status=403)
            raise PermissionDenied(reason)
        return self.get_response(request)

    @staticmethod
    def _still_allowed(request: HttpRequest) -> bool:
        try:
            return resolve(request.path_info).url_name in STILL_ALLOWED
        except Resolver404:
            return False
