"""Pages outside the admin: the student's own 学历注册 page, and the staff's files (item 6, item 8).

The student reads their own outcome and certificates only (QRY-1, SEC-2). The
files are the staff's, scoped by role (college staff get their colleges, with
masked id numbers); full id numbers go to the registrar office only.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from diploma import exports
from diploma.selectors import student_diploma
from registrar.roles import STAFF_ROLES, Role, role_of
from registrar.uploads import download, export_name, platform_download


@login_required
def my_diploma(request: HttpRequest) -> HttpResponse:
    """我的学历注册 (QRY-1): the outcome and, once registered, each certificate with its number, date and notes."""
    if role_of(request.user) != Role.STUDENT or not request.user.student_id:
        raise Http404(_("只有学生本人可以查看"))
    diploma = student_diploma(request.user, request.user.student_id)
    return render(request, "diploma/my_diploma.html", {"diploma": diploma})


def _staff_only(request: HttpRequest) -> None:
    if role_of(request.user) not in STAFF_ROLES:
        raise PermissionDenied(_("只有教职工可以下载"))


def _year(request: HttpRequest) -> int:
    """The ``?year=2026`` graduation year, or this year."""
    text = request.GET.get("year", "")
    if text.isascii() and text.isdigit() and len(text) == 4:
        return int(text)
    return timezone.localdate().year


@login_required
def certificate_file(request: HttpRequest, fmt: str) -> HttpResponse:
    """学历证书电子注册数据 (xlsx or DBF) for the national platform: a year's registered certificates, scoped."""
    _staff_only(request)
    year = _year(request)
    return platform_download(
        request,
        exports.DIPLOMA_FILE,
        exports.certificates_of(request.user, year),
        _("%(year)s届学历证书电子注册数据") % {"year": year},
        fmt,
    )


@login_required
def statistics_file(request: HttpRequest) -> HttpResponse:
    """毕业生统计 (xlsx) by college, major, level and outcome, scoped."""
    _staff_only(request)
    year = _year(request)
    rows = exports.graduation_statistics(exports.graduates_of(request.user, year))
    content = exports.statistics_xlsx(rows, year)
    name = export_name(_("%(year)s届毕业生统计") % {"year": year}, user=request.user)
    return download(content, name, personal=False)  # counts only
