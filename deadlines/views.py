"""The auditor's pages: the violations dashboard and its xlsx export. Read-only, scoped per user."""

from __future__ import annotations

import tempfile

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from deadlines.exports import violations_xlsx_write
from deadlines.forms import ViolationFilterForm
from deadlines.models import DeadlineScan
from deadlines.selectors import notices_for, subject_labels, violation_counts_by_college, violations_for
from registrar.roles import STAFF_ROLES, role_of
from registrar.uploads import export_name

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _staff_only(request: HttpRequest) -> None:
    if role_of(request.user) not in STAFF_ROLES:
        raise PermissionDenied("仅限教职工查看")


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """逾期情况: counts per college and the filtered violations (the auditor's view)."""
    _staff_only(request)
    form = ViolationFilterForm(request.GET or None, user=request.user)
    filters = form.filters() if form.is_bound and form.is_valid() else None
    if form.is_bound and not form.is_valid():
        violations = violations_for(request.user).none()
    else:
        violations = violations_for(request.user, filters)
    page = Paginator(violations.select_related("rule", "college"), 50).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    labels = subject_labels(page.object_list)
    for violation in page.object_list:
        violation.subject_label = labels.get((violation.subject_type, violation.subject_id), "")
    context = {
        **admin.site.each_context(request),
        "title": "逾期情况",
        "form": form,
        "counts": violation_counts_by_college(violations),
        "page": page,
        "query": request.GET.urlencode(),
        "notices": notices_for(request.user)[:10],
        "last_scan": DeadlineScan.objects.for_user(request.user).first(),
    }
    return render(request, "deadlines/dashboard.html", context)


@require_GET
@login_required
def violations_export(request: HttpRequest) -> HttpResponse:
    """逾期记录导出 (xlsx): the same filters as the dashboard, with each violation's evidence."""
    _staff_only(request)
    form = ViolationFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        reasons = "；".join(str(error) for errors in form.errors.values() for error in errors)
        return HttpResponseBadRequest(f"筛选条件有误：{reasons}", content_type="text/plain; charset=utf-8")
    out = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it once streamed)
    violations_xlsx_write(user=request.user, queryset=violations_for(request.user, form.filters()), out=out)
    out.seek(0)
    name = export_name(
        _("逾期记录（截至%(day)s）") % {"day": f"{timezone.localdate():%Y-%m-%d}"}, user=request.user
    )
    return FileResponse(out, as_attachment=True, filename=name, content_type=XLSX)
