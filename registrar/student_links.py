"""Links on the student's own pages that the domain apps add (QRY-1): the core names no app.

An app registers its student-facing page once, from its ``AppConfig.ready()``::

    register_student_link("diploma_photos:me", _("毕业生图像校对"), shown=lambda student: ...)

and the student's pages (``/me/``, the archive) list the links shown for that
student, so that every page a student may need is reachable from their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

from registrar.models import Student


@dataclass(frozen=True)
class StudentLink:
    url_name: str
    label: str | Promise
    shown: Callable[[Student], bool]


_LINKS: dict[str, StudentLink] = {}


def register_student_link(url_name: str, label: str | Promise, *, shown: Callable[[Student], bool]) -> None:
    """Offer the page ``url_name`` on the student's pages whenever ``shown(student)`` holds."""
    _LINKS[url_name] = StudentLink(url_name, label, shown)


def student_links(student: Student) -> list[tuple[str, str]]:
    """(url, label) of the pages registered for this student, in the order the apps registered them."""
    return [(reverse(link.url_name), str(link.label)) for link in _LINKS.values() if link.shown(student)]
