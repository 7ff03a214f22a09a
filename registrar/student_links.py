"""The student's own pages and the one navigation between them (QRY-1): the core names no app.

An app registers its student-facing page once, from its ``AppConfig.ready()``::

    register_student_link("diploma_photos:me", _("毕业生图像校对"), shown=lambda student: ..., order=50)

and every page a signed-in student reads carries the navigation (``student_nav``, a
context processor, drawn by ``base.html``) with the pages shown for that student,
the current one marked, so that no student page is a dead end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from registrar.models import Student
from registrar.roles import Role, role_of


@dataclass(frozen=True)
class StudentLink:
    url_name: str
    label: str | Promise
    shown: Callable[[Student], bool]
    order: int = 100


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    current: bool


_LINKS: dict[str, StudentLink] = {}


def register_student_link(
    url_name: str, label: str | Promise, *, shown: Callable[[Student], bool], order: int = 100
) -> None:
    """Offer the page ``url_name`` in the student's navigation whenever ``shown(student)`` holds.

    ``label`` is short (the navigation's words); ``order`` places it, lower first.
    """
    _LINKS[url_name] = StudentLink(url_name, label, shown, order)


def _registered(student: Student) -> list[StudentLink]:
    links = sorted(_LINKS.values(), key=lambda link: link.order)
    return [link for link in links if link.shown(student)]


def student_nav(request: HttpRequest) -> dict[str, list[NavItem]]:
    """Context processor: the signed-in student's navigation, the page being read marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or role_of(user) != Role.STUDENT or not user.student_id:
        return {}
    student = Student.objects.filter(pk=user.student_id).first()
    if student is None:
        return {}
    items = []
    for link in _registered(student):
        url = reverse(link.url_name)
        items.append(NavItem(url, str(link.label), request.path == url))
    return {"student_nav": items}


register_student_link("student-me", gettext_lazy("我的学籍"), shown=lambda student: True, order=10)
