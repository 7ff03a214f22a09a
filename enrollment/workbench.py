"""Freshman registration on the staff home page (issue 10, item 2): what a college still has to review,
and the registrar's view of every college's progress in the current intake.

Registered with the workbench by ``EnrollmentConfig.ready()``; each count is one scoped query.
"""

from __future__ import annotations

import json

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from enrollment.models import AdmissionImport, AdmissionRecord, AdmissionState, ReviewItem
from registrar.models import BatchState
from registrar.roles import Role, role_of
from registrar.uploads import uploads_running
from registrar.workbench import REGISTRAR_OFFICE, HomeSection, chart_options, home_section, percent

# Records that still wait for an outcome in an approved list (ENR-2, ENR-3).
AWAITING_OUTCOME = (AdmissionState.IMPORTED, AdmissionState.ADMITTED)


def _listed(*states: str) -> Exists:
    """The record is in a list of the freshman review in one of these states."""
    return Exists(ReviewItem.objects.filter(record=OuterRef("pk"), batch__state__in=states))


@home_section(order=20)
def freshmen_to_review(request: HttpRequest) -> HomeSection | None:
    """新生待审查 (ENR-2, ENR-5): the college's freshmen without an outcome, and those not yet in a list."""
    if role_of(request.user) != Role.COLLEGE_STAFF:
        return None
    counts = (
        AdmissionRecord.objects.for_user(request.user)
        .filter(state__in=AWAITING_OUTCOME)
        .annotate(listed=_listed(BatchState.DRAFT, BatchState.RETURNED, BatchState.SUBMITTED))
        .aggregate(waiting=Count("pk"), unlisted=Count("pk", filter=Q(listed=False)))
    )
    changelist = reverse("admin:enrollment_admissionrecord_changelist")
    return HomeSection(
        "freshmen",
        _("新生入学资格审查"),
        "admin/workbench/freshmen_college.html",
        {
            **counts,
            "records_url": f"{changelist}?state__exact={AdmissionState.IMPORTED}",
            "new_list_url": reverse("admin:enrollment_reviewbatch_add"),
        },
    )


@home_section(order=30)
def intake_progress(request: HttpRequest) -> HomeSection | None:
    """本年新生注册进度: per college, of all the intake's freshmen, how many are in a list (reviewed),
    in a submitted or approved one, and in an approved one; and the school's total."""
    if role_of(request.user) not in REGISTRAR_OFFICE:
        return None
    records = AdmissionRecord.objects.for_user(request.user)
    year = records.aggregate(year=Max("year"))["year"]  # the current intake: the latest imported
    rows = list(
        records.filter(year=year)
        .annotate(
            reviewed=_listed(
                BatchState.DRAFT, BatchState.RETURNED, BatchState.SUBMITTED, BatchState.APPROVED
            ),
            submitted=_listed(BatchState.SUBMITTED, BatchState.APPROVED),
            approved=_listed(BatchState.APPROVED),
        )
        .values("college_id", "college__code", "college__name")
        .annotate(
            total=Count("pk"),
            n_reviewed=Count("pk", filter=Q(reviewed=True)),
            n_submitted=Count("pk", filter=Q(submitted=True)),
            n_approved=Count("pk", filter=Q(approved=True)),
        )
        .order_by("college__code")
    )
    colleges = [_progress_row(row["college__name"], row) for row in rows]
    total = {
        key: sum(row[key] for row in rows) for key in ("total", "n_reviewed", "n_submitted", "n_approved")
    }
    chart = {
        "labels": [row["name"] for row in colleges],
        "datasets": [
            {"label": label, "data": [row[key] for row in colleges], "backgroundColor": color}
            for key, label, color in (
                ("total", _("新生总数"), "#b3cce5"),
                ("reviewed", _("已列入名单"), "#85acd3"),
                ("submitted", _("已提交"), "#356aa3"),
                ("approved", _("已审批"), "#1a3f61"),
            )
        ],
    }
    return HomeSection(
        "intake",
        _("%(year)s级新生学籍注册进度") % {"year": year} if year else _("新生学籍注册进度"),
        "admin/workbench/intake_progress.html",
        {
            "year": year,
            "colleges": colleges,
            "school": _progress_row(_("全校合计"), total),
            "chart": json.dumps(chart, ensure_ascii=False),
            "chart_options": chart_options(),
            "records_url": reverse("admin:enrollment_admissionrecord_changelist"),
        },
        width="full",
    )


def _progress_row(name: str, row: dict) -> dict:
    total = row["total"]
    return {
        "name": name,
        "total": total,
        "reviewed": row["n_reviewed"],
        "submitted": row["n_submitted"],
        "approved": row["n_approved"],
        "reviewed_pct": percent(row["n_reviewed"], total),
        "submitted_pct": percent(row["n_submitted"], total),
        "approved_pct": percent(row["n_approved"], total),
    }


@home_section(order=60)
def recent_imports(request: HttpRequest) -> HomeSection | None:
    """导入与上传: the uploads running now (every page's, school-wide), and the latest admission imports
    with what they changed and the records flagged 重名重号 (ENR-9)."""
    if role_of(request.user) not in REGISTRAR_OFFICE:
        return None
    imports = list(AdmissionImport.objects.for_user(request.user).select_related("actor")[:5])
    return HomeSection(
        "imports",
        _("导入与上传"),
        "admin/workbench/imports.html",
        {
            "running": uploads_running(),
            "imports": imports,
            "import_url": reverse("admin:enrollment_admissionrecord_import"),
        },
    )
