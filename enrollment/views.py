"""Pages outside the admin: the student's registration page, and file downloads for staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enrollment import exports, selectors, services
from enrollment.models import AdmissionRecord
from enrollment.progress import progress_key
from registrar.idcard import sees_full_id_numbers
from registrar.models import Batch
from registrar.roles import STAFF_ROLES, Role, role_of
from registrar.services import DomainError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(content: bytes, filename: str, content_type: str = XLSX) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


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
    name = f"xjzc_{year or 'all'}"
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
                }
                return render(request, "enrollment/gbk_problems.html", context)
            rare = exports.RareCharacters.REPLACE
        content = exports.registration_dbf(
            records, rare=exports.RareCharacters(rare), full_id_number=full_id_number
        )
        return download(content, f"{name}.dbf", "application/x-dbf")
    return download(exports.registration_xlsx(records, full_id_number=full_id_number), f"{name}.xlsx")


@login_required
def statistics_file(request: HttpRequest) -> HttpResponse:
    """新生注册情况统计表 (ENR-12), scoped by role."""
    staff_only(request)
    rows = selectors.registration_statistics(request.user, year=_year(request))
    return download(exports.statistics_xlsx(rows, selectors.STAT_STATES), "xszc_tongji.xlsx")


@login_required
def admission_template(request: HttpRequest) -> HttpResponse:
    staff_only(request)
    return download(exports.admission_template(), "luqu_template.xlsx")


@login_required
def review_template(request: HttpRequest, batch_id: int) -> HttpResponse:
    """审查结果模板, prefilled with the college's freshmen not yet registered."""
    staff_only(request)
    batch = Batch.objects.for_user(request.user).filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    records = selectors.records_for(request.user, college_id=batch.college_id).filter(
        state__in=services.outcome_sources("passed")
    )
    return download(exports.review_template(records), f"shencha_{batch.pk}.xlsx")


@login_required
def error_file(request: HttpRequest, token: str) -> HttpResponse:
    """The error sheet of an upload this user made (kept one hour)."""
    content = cache.get(f"enrollment:errors:{request.user.pk}:{token}")
    if content is None:
        raise Http404(_("错误清单已过期，请重新上传"))
    return download(content, "errors.xlsx")


@login_required
def progress(request: HttpRequest, token: str) -> HttpResponse:
    """How far the server is with this user's upload ``token`` (the page's progress bar polls it)."""
    return JsonResponse(cache.get(progress_key(request.user.pk, token)) or {"phase": "", "percent": 0})
