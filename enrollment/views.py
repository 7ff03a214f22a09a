"""Pages outside the admin: the student's registration page, and file downloads for staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enrollment import exports, selectors, services
from enrollment.models import AdmissionRecord
from registrar.idcard import sees_full_id_numbers
from registrar.roles import STAFF_ROLES, Role, role_of
from registrar.services import DomainError
from registrar.uploads import download, export_name


def staff_only(request: HttpRequest) -> None:
    if role_of(request.user) not in STAFF_ROLES:
        raise PermissionDenied(_("只有教职工可以下载"))


def _year(request: HttpRequest) -> int | None:
    try:
        return int(request.GET.get("year", "")) or None
    except ValueError:
        return None


@login_required
def my_registration(request: HttpRequest) -> HttpResponse:
    """我的学籍注册 (QRY-1, ENR-11): identity masked, the state and its history, confirm or report."""
    if role_of(request.user) != Role.STUDENT:
        raise Http404(_("只有学生本人可以查看"))
    registration = selectors.student_registration(request.user)
    return render(request, "enrollment/my_registration.html", {"registration": registration})


@login_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    try:
        services.admission_confirm(user=request.user)
    except AdmissionRecord.DoesNotExist as exc:
        raise Http404(str(exc)) from exc
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("enrollment:me")
    messages.success(request, _("已确认本人注册信息无误"))
    return redirect("enrollment:me")


@login_required
@require_POST
def report_error(request: HttpRequest) -> HttpResponse:
    try:
        services.admission_report_error(user=request.user, description=request.POST.get("description", ""))
    except AdmissionRecord.DoesNotExist as exc:
        raise Http404(str(exc)) from exc
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("enrollment:me")
    messages.success(request, _("已提交，学院将核实处理"))
    return redirect("enrollment:me")


@login_required
def registration_file(request: HttpRequest, fmt: str) -> HttpResponse:
    """学籍注册上报文件 for the national platform, scoped by role; full id numbers for the registrar only (SEC-2).

    When GBK cannot hold a character of the DBF file (a rare one such as 𠮷), the page names
    those students and the registrar chooses (``rare``): "?" in its place, or hold them back.
    """
    staff_only(request)
    year = _year(request)
    records = selectors.registration_records(request.user, year=year)
    name = _("%(year)s级新生学籍注册数据") % {"year": year} if year else _("各年级新生学籍注册数据")
    full_id_number = sees_full_id_numbers(request.user)
    if fmt == "dbf":
        rare = request.GET.get("rare", "")
        if rare not in exports.RareCharacters.values:
            problems = exports.gbk_problems(records)
            if problems:
                context = {
                    "problems": problems,
                    "year": year or "",
                    "choices": exports.RareCharacters.choices,
                    "title": _("学籍注册"),
                    "key_label": _("考生号"),
                    "xlsx_url": reverse("enrollment:registration-file", args=["xlsx"]),
                }
                return render(request, "registrar/gbk_problems.html", context)
            rare = exports.RareCharacters.REPLACE
        content = exports.registration_dbf(
            records, rare=exports.RareCharacters(rare), full_id_number=full_id_number
        )
        return download(content, export_name(name, user=request.user, extension="dbf"), "application/x-dbf")
    return download(
        exports.registration_xlsx(records, full_id_number=full_id_number),
        export_name(name, user=request.user),
    )


@login_required
def statistics_file(request: HttpRequest) -> HttpResponse:
    """新生注册情况统计表 (ENR-12), scoped by role."""
    staff_only(request)
    year = _year(request)
    rows = selectors.registration_statistics(request.user, year=year)
    name = _("%(year)s级新生注册情况统计表") % {"year": year} if year else _("各年级新生注册情况统计表")
    content = exports.statistics_xlsx(rows, selectors.STAT_STATES, total_label=_("合计"))
    return download(content, export_name(name, user=request.user), personal=False)  # counts only


@login_required
def admission_template(request: HttpRequest) -> HttpResponse:
    staff_only(request)
    return download(exports.admission_template(), _("录取数据导入模板.xlsx"), personal=False)
