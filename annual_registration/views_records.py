"""Pages outside the admin: the student's archive and identity-change request, and the annual files.

The student's page (QRY-1, ANN-11) reads their own record only; a student who has
left still reads it but files nothing. Exports are the staff's, scoped by role and
rate-limited (``RATE_LIMITED_EXPORTS``); full id numbers go to the registrar only.
Proof files and the statistics table as sent download from the staff pages
(``admin_identity``, ``admin_records``).
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from annual_registration import exports
from annual_registration.models import AnnualRegistration, StatusChange
from annual_registration.models.changes import DECIDED_STATES
from annual_registration.models.identity import IdentityField
from annual_registration.reports import annual_statistics
from annual_registration.services.identity import identity_change_file, settings_for_school
from annual_registration.timeline import student_record
from registrar import codes
from registrar.errors import REFUSALS, DomainError
from registrar.models import AcademicYear, Student
from registrar.proofs import ACCEPT_ATTRIBUTE
from registrar.roles import STAFF_ROLES, Role, role_of
from registrar.uploads import download, export_name, platform_download


def _student_only(request: HttpRequest) -> int:
    if role_of(request.user) != Role.STUDENT or not request.user.student_id:
        raise Http404(_("只有学生本人可以查看"))
    return request.user.student_id


@login_required
def my_record(request: HttpRequest) -> HttpResponse:
    """我的学籍档案 (QRY-1, ANN-11): the timeline, what a deferral asks, identity-change requests."""
    try:
        record = student_record(request.user, _student_only(request))
    except Student.DoesNotExist as exc:
        raise Http404(_("没有与该账号关联的学生")) from exc
    context = {
        "record": record,
        "fields": IdentityField.choices,
        "ethnicities": codes.Ethnicity.choices,
        "accept": ACCEPT_ATTRIBUTE,
        "may_file": not record.left and not any(r.state in _OPEN for r, _c in record.identity_requests),
        "rules": _rules_or_none(),
    }
    return render(request, "annual_registration/my_record.html", context)


def _rules_or_none():
    try:
        return settings_for_school()
    except DomainError:
        return None


_OPEN = {"submitted", "admissions_confirmed", "school_approved"}


@login_required
@require_POST
def file_identity_change(request: HttpRequest) -> HttpResponse:
    """学籍信息变更申请 by the student (ANN-8): fields, new values, reason, proof files."""
    student_id = _student_only(request)
    requested = {
        field: request.POST.get(f"value_{field}", "")
        for field in request.POST.getlist("fields")
        if field in IdentityField.values
    }
    try:
        identity_change_file(
            actor=request.user,
            student_id=student_id,
            requested=requested,
            reason=request.POST.get("reason", ""),
            proofs=request.FILES.getlist("proofs"),
            gaokao_data_error=request.POST.get("gaokao_data_error") == "1",
        )
    except REFUSALS as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("申请已提交，学校审核后将在此显示结果"))
    return redirect("annual_records:me")


# ---------------------------------------------------------------- staff downloads


def _staff_only(request: HttpRequest) -> None:
    if role_of(request.user) not in STAFF_ROLES:
        raise PermissionDenied(_("只有教职工可以下载"))


def _year(request: HttpRequest, *, with_roll: bool = True) -> AcademicYear:
    """The ``?year=2027`` academic year, or the newest (with a roll, unless ``with_roll`` is False); else 404."""
    text = request.GET.get("year", "")
    years = AcademicYear.objects.all()
    if with_roll:
        years = years.filter(annual_registrations__isnull=False).distinct()
    if text.isascii() and text.isdigit() and len(text) == 4:
        years = years.filter(start_year=int(text))
    year = years.order_by("-start_year").first()
    if year is None:
        raise Http404(_("该学年尚未开启学年注册"))
    return year


@login_required
def annual_file(request: HttpRequest, fmt: str) -> HttpResponse:
    """学年注册上报文件 (xlsx or DBF) for the national platform, scoped; full id numbers for the registrar only."""
    _staff_only(request)
    year = _year(request)
    registrations = AnnualRegistration.objects.for_user(request.user).filter(academic_year=year)
    return platform_download(
        request,
        exports.ANNUAL_FILE,
        registrations,
        _("%(start)s-%(end)s学年注册数据") % {"start": year.start_year, "end": year.start_year + 1},
        fmt,
    )


@login_required
def change_file(request: HttpRequest, fmt: str) -> HttpResponse:
    """学籍异动上报文件 (xlsx or DBF): the changes decided in the academic year (1 September to 31 August)."""
    _staff_only(request)
    year = _year(request, with_roll=False)
    changes = StatusChange.objects.for_user(request.user).filter(
        state__in=DECIDED_STATES,
        decision_date__gte=datetime.date(year.start_year, 9, 1),
        decision_date__lt=datetime.date(year.start_year + 1, 9, 1),
    )
    return platform_download(
        request, exports.CHANGE_FILE, changes, _("%(year)s学籍异动数据") % {"year": year}, fmt
    )


@login_required
def statistics_file(request: HttpRequest) -> HttpResponse:
    """学年电子注册情况统计表 (ANN-12) as it stands, scoped: college staff get their colleges."""
    _staff_only(request)
    year = _year(request)
    statistics = annual_statistics(request.user, year)
    return download(
        exports.statistics_xlsx(statistics),
        export_name(_("%(year)s学年电子注册情况统计表") % {"year": year}, user=request.user),
        personal=False,  # counts only
    )
