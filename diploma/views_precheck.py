"""The pre-check's page and sheet (DIP-10): per college and for the school, every problem at once.

Staff only, each reading their own scope (college staff: their colleges). The
registrar's "run pre-check" passes the graduates with no problem to
``certificates_precheck``, which drafts and pre-checks their certificates.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from diploma.cohort import chosen_year, graduation_years
from diploma.models import ExpectedGraduate
from diploma.precheck import ProblemKind, precheck_report, precheck_rows
from diploma.services.certificates import certificates_precheck
from registrar.errors import REFUSALS
from registrar.roles import STAFF_ROLES, is_registrar, role_of
from registrar.sheets.writers import xlsx
from registrar.uploads import download, export_name


def _staff_only(request: HttpRequest) -> None:
    if role_of(request.user) not in STAFF_ROLES:
        raise PermissionDenied(_("只有教职工可以查看预审结果"))


def _year(request: HttpRequest) -> int | None:
    return chosen_year(request.GET.get("year") or request.POST.get("year"))


@login_required
def precheck_page(request: HttpRequest) -> HttpResponse:
    """学历注册预审 (DIP-10): the report of a graduation year; the registrar runs the pre-check from here."""
    _staff_only(request)
    year = _year(request)
    if request.method == "POST":
        return _run(request, year)
    report = precheck_report(request.user, year) if year else None
    context = {
        **admin.site.each_context(request),
        "title": _("学历注册预审"),
        "year": year,
        "years": graduation_years(),
        "report": report,
        "kinds": ProblemKind.LABELS,
        "may_run": is_registrar(request.user),
    }
    return TemplateResponse(request, "diploma/precheck.html", context)


def _run(request: HttpRequest, year: int | None) -> HttpResponse:
    """运行预审: the graduates with no problem get their certificates pre-checked (DIP-10); the rest wait."""
    if not is_registrar(request.user):
        raise PermissionDenied(_("只有教务处可以运行预审"))
    back = f"{reverse('diploma_photos:precheck')}?year={year or ''}"
    if year is None:
        messages.error(request, _("还没有预计毕业生名单"))
        return redirect(back)
    report = precheck_report(request.user, year)
    try:
        moved = certificates_precheck(request.user, report.passed_ids)
    except (ExpectedGraduate.DoesNotExist, *REFUSALS) as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(
        request,
        _("预审完成：%(passed)d人通过，其中%(moved)d份学历证书转为“预审通过”；%(failed)d人有问题待处理")
        % {"passed": len(report.passed_ids), "moved": moved, "failed": len(report.failing)},
    )
    return redirect(back)


@login_required
def precheck_file(request: HttpRequest) -> HttpResponse:
    """The pre-check as xlsx: one line per problem, scoped like the page."""
    _staff_only(request)
    year = _year(request)
    report = precheck_report(request.user, year) if year else None
    header, rows = precheck_rows(report) if report else ([_("院系")], [])
    content = xlsx(header, rows, _("预审问题"), frozen_header=True, autofilter=True)
    return download(
        content, export_name(_("%(year)s届学历注册预审问题") % {"year": year or ""}, user=request.user)
    )
