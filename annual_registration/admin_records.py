"""Staff pages of 学籍记载 (ANN-7) and of the statistics table and platform files (ANN-12).

Every staff member sees the rows of their scope; only the registrar office records,
lifts and issues, through the services (SEC-1). A record is never edited: a
punishment is lifted by a decision of its own.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annual_registration.exports import statistics_xlsx
from annual_registration.models import Award, IssuedCertificate, Punishment, StatisticsReport, StudentArchive
from annual_registration.models.records import PunishmentState
from annual_registration.reports import Statistics, annual_statistics, cells, header
from annual_registration.services.records import (
    AwardInput,
    PunishmentInput,
    award_record,
    certificate_issue,
    clean_award,
    clean_certificate,
    clean_punishment,
    punishment_lift,
    punishment_record,
)
from annual_registration.services.reports import statistics_report_send
from annual_registration.timeline import student_record
from registrar.admin_base import ScopedAdmin
from registrar.errors import REFUSALS, DomainError
from registrar.models import AcademicYear, Student
from registrar.roles import SCHOOL_WIDE_ROLES, is_registrar, role_of
from registrar.sheets.cells import parse_date
from registrar.uploads import download


class RecordAdmin(ScopedAdmin):
    """A 学籍记载 row: added by the registrar through its service, never changed or deleted afterwards."""

    raw_id_fields = ["student"]
    list_select_related = ["student", "student__college"]
    search_fields = ["student__student_number", "student__name"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("学号"), ordering="student__student_number")
    def student_number(self, obj) -> str:
        return obj.student.student_number or ""

    @admin.display(description=gettext_lazy("姓名"), ordering="student__name")
    def student_name(self, obj) -> str:
        return obj.student.name

    @admin.display(description=gettext_lazy("院系"))
    def college(self, obj) -> str:
        return str(obj.student.college)

    def record(self, request: HttpRequest, obj, form) -> Any:
        """The service call that writes ``obj``; returns the row it wrote."""
        raise NotImplementedError

    def save_model(self, request, obj, form, change) -> None:
        written = self.record(request, obj, form)
        obj.pk = written.pk


class DomainCheckedForm(forms.ModelForm):
    """A form whose ``check`` runs the service's own checks, so that a refusal shows on the form."""

    def check(self, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors:
            try:
                self.check(data)
            except DomainError as exc:
                raise ValidationError(str(exc)) from exc
        return data


class AwardForm(DomainCheckedForm):
    class Meta:
        model = Award
        fields = ["student", "name", "level", "awarded_on", "granting_body", "document_number", "note"]

    def check(self, data: dict[str, Any]) -> None:
        clean_award(data["student"], _award_input(data))


def _award_input(data: dict[str, Any]) -> AwardInput:
    return AwardInput(
        name=data.get("name", ""),
        level=data.get("level", ""),
        awarded_on=data.get("awarded_on"),
        granting_body=data.get("granting_body", ""),
        document_number=data.get("document_number", ""),
        note=data.get("note", ""),
    )


@admin.register(Award)
class AwardAdmin(RecordAdmin):
    """奖励 (ANN-7)."""

    form = AwardForm
    list_display = [
        "student_number",
        "student_name",
        "college",
        "name",
        "level",
        "awarded_on",
        "granting_body",
    ]
    list_filter = ["level", "student__college"]
    search_fields = [*RecordAdmin.search_fields, "name"]
    date_hierarchy = "awarded_on"

    def record(self, request, obj, form):
        return award_record(
            actor=request.user, student_id=obj.student_id, data=_award_input(form.cleaned_data)
        )


class PunishmentForm(DomainCheckedForm):
    class Meta:
        model = Punishment
        fields = ["student", "kind", "reason", "document_number", "decided_on", "period_months"]

    def check(self, data: dict[str, Any]) -> None:
        clean_punishment(data["student"], _punishment_input(data))


def _punishment_input(data: dict[str, Any]) -> PunishmentInput:
    return PunishmentInput(
        kind=data.get("kind", ""),
        reason=data.get("reason", ""),
        document_number=data.get("document_number", ""),
        decided_on=data.get("decided_on"),
        period_months=data.get("period_months"),
    )


@admin.register(Punishment)
class PunishmentAdmin(RecordAdmin):
    """处分 (ANN-7): recorded, and lifted (解除) by a decision with its date and 文号."""

    form = PunishmentForm
    list_display = [
        "student_number",
        "student_name",
        "college",
        "kind",
        "decided_on",
        "document_number",
        "period_end",
        "state",
        "lift_link",
    ]
    list_filter = ["state", "kind", "student__college"]
    date_hierarchy = "decided_on"
    readonly_fields = ["state", "lifted_on", "lift_document_number", "lift_reason"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        fields = list(PunishmentForm.Meta.fields)
        return [*fields, *self.readonly_fields] if obj is not None else fields

    @admin.display(description=gettext_lazy("处分期满"))
    def period_end(self, obj: Punishment):
        return obj.period_end or "—"

    @admin.display(description=gettext_lazy("解除"))
    def lift_link(self, obj: Punishment) -> str:
        if obj.state != PunishmentState.IN_FORCE or obj.kind == "expulsion":
            return obj.lifted_on.isoformat() if obj.lifted_on else "—"
        url = reverse("admin:annual_registration_punishment_lift", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("解除处分"))

    def record(self, request, obj, form):
        return punishment_record(
            actor=request.user, student_id=obj.student_id, data=_punishment_input(form.cleaned_data)
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/lift/",
                self.admin_site.admin_view(self.lift_view),
                name="annual_registration_punishment_lift",
            ),
            *super().get_urls(),
        ]

    def lift_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """解除处分 (ANN-7): the registrar's decision, with its date, 文号 and (when early) reason."""
        punishment = self.get_queryset(request).filter(pk=pk).select_related("student").first()
        if punishment is None:
            raise Http404
        if not is_registrar(request.user):
            raise PermissionDenied(_("只有教务处可以解除处分"))
        if request.method == "POST":
            try:
                lifted_on = parse_date(request.POST.get("lifted_on", ""))
            except ValueError:
                lifted_on = None
            try:
                punishment_lift(
                    actor=request.user,
                    punishment_id=punishment.pk,
                    lifted_on=lifted_on,
                    document_number=request.POST.get("document_number", ""),
                    reason=request.POST.get("reason", ""),
                )
            except REFUSALS as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("已解除处分"))
                return redirect("admin:annual_registration_punishment_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("解除处分"),
            "punishment": punishment,
            "today": timezone.localdate(),
        }
        return TemplateResponse(request, "annual_registration/admin/punishment_lift.html", context)


class CertificateForm(DomainCheckedForm):
    class Meta:
        model = IssuedCertificate
        fields = ["student", "kind", "issued_on", "note"]

    def check(self, data: dict[str, Any]) -> None:
        clean_certificate(data["student"], data.get("kind", ""), data.get("issued_on"), data.get("note", ""))


@admin.register(IssuedCertificate)
class IssuedCertificateAdmin(RecordAdmin):
    """其他证书 (ANN-7): 肄业证书 and 学习证明, numbered when issued."""

    form = CertificateForm
    list_display = ["number", "kind", "student_number", "student_name", "college", "issued_on"]
    list_filter = ["kind", "year", "student__college"]
    search_fields = [*RecordAdmin.search_fields, "number"]

    def get_fields(self, request, obj=None):
        fields = list(CertificateForm.Meta.fields)
        return [*fields, "number"] if obj is not None else fields

    def record(self, request, obj, form):
        data = form.cleaned_data
        return certificate_issue(
            actor=request.user,
            student_id=obj.student_id,
            kind=data["kind"],
            issued_on=data["issued_on"],
            note=data.get("note", ""),
        )


# ---------------------------------------------------------------- ANN-12: the statistics table and the files


@admin.register(StatisticsReport)
class StatisticsReportAdmin(ScopedAdmin):
    """学年电子注册情况统计表 (ANN-12): the year's table, its files, and the record of sending it."""

    editable = False
    list_display = ["academic_year", "sent_on", "sent_by", "recipient", "document_number", "file_link"]
    exclude = ["figures", "sha256"]
    change_list_template = "annual_registration/admin/statistics_report_changelist.html"

    @admin.display(description=gettext_lazy("报送文件"))
    def file_link(self, report: StatisticsReport) -> str:
        url = reverse("admin:annual_registration_statisticsreport_file", args=[report.pk])
        return format_html('<a href="{}">{}</a>', url, _("下载"))

    def get_urls(self):
        return [
            path(
                "table/",
                self.admin_site.admin_view(self.table_view),
                name="annual_registration_statistics_table",
            ),
            path(
                "<int:pk>/file.xlsx",
                self.admin_site.admin_view(self.file_view),
                name="annual_registration_statisticsreport_file",
            ),
            *super().get_urls(),
        ]

    def file_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The table exactly as it went to the province (ANN-12), from the figures kept with the report."""
        report = self.get_queryset(request).filter(pk=pk).select_related("academic_year").first()
        if report is None:
            raise Http404(_("报送记录不存在"))
        content = statistics_xlsx(Statistics.from_figures(report.figures))
        return download(
            content,
            _("%(year)s学年电子注册情况统计表（已报送）.xlsx") % {"year": report.academic_year},
            personal=False,  # counts only
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "table_url": reverse("admin:annual_registration_statistics_table"),
        }
        return super().changelist_view(request, extra_context)

    def table_view(self, request: HttpRequest) -> HttpResponse:
        """The year's table as it stands, the files to download, and (the registrar) 报送省教育行政部门."""
        years = (
            AcademicYear.objects.filter(annual_registrations__isnull=False).distinct().order_by("-start_year")
        )
        chosen = request.GET.get("year", "")
        year = (
            years.filter(pk=int(chosen)).first()
            if chosen.isascii() and chosen.isdigit() and len(chosen) < 10
            else None
        ) or (years.first())
        registrar = is_registrar(request.user)
        if request.method == "POST":
            if year is None:
                raise Http404
            self._send(request, year)
            return redirect(f"{reverse('admin:annual_registration_statistics_table')}?year={year.pk}")
        statistics = annual_statistics(request.user, year) if year is not None else None
        sent = (
            StatisticsReport.objects.filter(academic_year=year).select_related("sent_by").first()
            if year
            else None
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("学年电子注册情况统计表"),
            "years": years,
            "year": year,
            "header": header(),
            "rows": [cells(row) for row in statistics.rows] if statistics else [],
            "total": cells(statistics.total) if statistics else [],
            "sent": sent if role_of(request.user) in SCHOOL_WIDE_ROLES else None,
            "may_send": registrar and sent is None and statistics is not None,
            "today": timezone.localdate(),
        }
        return TemplateResponse(request, "annual_registration/admin/statistics.html", context)

    def _send(self, request: HttpRequest, year: AcademicYear) -> None:
        try:
            sent_on = parse_date(request.POST.get("sent_on", ""))
        except ValueError:
            sent_on = None
        try:
            statistics_report_send(
                actor=request.user,
                academic_year=year,
                sent_on=sent_on,
                recipient=request.POST.get("recipient", ""),
                document_number=request.POST.get("document_number", ""),
            )
        except REFUSALS as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已登记报送"))


# ---------------------------------------------------------------- QRY-1, ANN-11: the student's archive


@admin.register(StudentArchive)
class StudentArchiveAdmin(ScopedAdmin):
    """学籍档案: a student's whole record as they see it, for the staff of their college and the registrar office."""

    editable = False
    list_display = ["student_number", "name", "college", "major", "student_status"]
    list_filter = ["student_status", "college", "level"]
    search_fields = ["student_number", "name"]
    list_select_related = ["college", "major"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not (str(object_id).isascii() and str(object_id).isdigit() and len(str(object_id)) < 19):
            raise Http404
        try:
            record = student_record(request.user, int(object_id))
        except Student.DoesNotExist as exc:
            raise Http404 from exc
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("%(name)s的学籍档案") % {"name": record.student.name},
            "record": record,
        }
        return TemplateResponse(request, "annual_registration/admin/archive.html", context)
