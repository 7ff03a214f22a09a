"""Staff pages of annual registration: the roll with its blockers, opening a year, the fee sheet, the lists."""

from __future__ import annotations

import secrets

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annual_registration import (  # noqa: F401  (学籍异动, 学籍记载, 信息变更, 统计表, 学期报到注册)
    admin_changes,
    admin_check_ins,
    admin_identity,
    admin_records,
)
from annual_registration.blockers import BLOCKERS, blockers_of, with_blockers
from annual_registration.models import AnnualList, AnnualRegistration
from annual_registration.services import annual_roll_open, fee_import, parse_fees
from annual_registration.services.fees import may_import_fees
from registrar.admin_base import ScopedAdmin
from registrar.admin_batches import BatchAdmin
from registrar.errors import REFUSALS
from registrar.models import AcademicYear, BatchKind
from registrar.roles import is_registrar
from registrar.sheets.errors import FileFormatError
from registrar.sheets.limits import read_upload
from registrar.uploads import UploadProgress, error_context, remember_errors


@admin.register(AnnualList)
class AnnualListAdmin(BatchAdmin):
    kind = BatchKind.ANNUAL_REGISTRATION


class BlockedFilter(admin.SimpleListFilter):
    """阻碍注册: the students something keeps from registration, by reason."""

    title = gettext_lazy("阻碍注册")
    parameter_name = "blocked"

    def lookups(self, request, model_admin):
        return [("any", _("有阻碍")), *[(b.code, b.label) for b in BLOCKERS], ("none", _("无阻碍"))]

    def queryset(self, request, queryset):
        value = self.value()
        codes = [b.code for b in BLOCKERS]
        if value in codes:
            return queryset.filter(**{f"blocked_{value}": True})
        any_blocked = Q()
        for code in codes:
            any_blocked |= Q(**{f"blocked_{code}": True})
        if value == "any":
            return queryset.filter(any_blocked)
        if value == "none":
            return queryset.exclude(any_blocked)
        return queryset


@admin.register(AnnualRegistration)
class AnnualRegistrationAdmin(ScopedAdmin):
    """学年注册: every student of the roll with what blocks their registration (ANN-1, ANN-9, ANN-10)."""

    editable = False
    list_display = [
        "student_number",
        "student_name",
        "college",
        "academic_year",
        "state",
        "blockers",
        "registered_on",
    ]
    list_filter = ["academic_year", "state", BlockedFilter, ("college", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["student__student_number", "student__name"]
    list_select_related = ["student", "college", "academic_year"]
    list_per_page = 100
    change_list_template = "annual_registration/admin/registration_changelist.html"

    def get_queryset(self, request):
        return with_blockers(super().get_queryset(request))

    @admin.display(description=gettext_lazy("学号"), ordering="student__student_number")
    def student_number(self, registration: AnnualRegistration) -> str:
        return registration.student.student_number or ""

    @admin.display(description=gettext_lazy("姓名"), ordering="student__name")
    def student_name(self, registration: AnnualRegistration) -> str:
        return registration.student.name

    @admin.display(description=gettext_lazy("阻碍注册"))
    def blockers(self, registration: AnnualRegistration) -> str:
        return "；".join(str(b.label) for b in blockers_of(registration)) or _("无")

    def get_urls(self):
        return [
            path("open/", self.admin_site.admin_view(self.open_view), name="annual_registration_open"),
            path("fees/", self.admin_site.admin_view(self.fees_view), name="annual_registration_fees"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "is_registrar": is_registrar(request.user)}
        return super().changelist_view(request, extra_context)

    def _years(self):
        return AcademicYear.objects.order_by("-start_year")[:5]

    def open_view(self, request: HttpRequest) -> HttpResponse:
        """开启学年注册 (ANN-1): the registrar picks the year; everyone of the second year on is put on the roll."""
        if not is_registrar(request.user):
            raise PermissionDenied(_("只有教务处可以开启学年注册"))
        if request.method == "POST":
            year = AcademicYear.objects.filter(pk=request.POST.get("academic_year")).first()
            if year is None:
                messages.error(request, _("请选择学年"))
            else:
                try:
                    added = annual_roll_open(actor=request.user, academic_year=year)
                except REFUSALS as exc:
                    messages.error(request, str(exc))
                else:
                    messages.success(
                        request, _("%(year)s学年注册已开启，新增%(n)d名学生") % {"year": year, "n": added}
                    )
                    return redirect(f"{_changelist()}?academic_year__id__exact={year.pk}")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("开启学年注册"),
            "years": self._years(),
        }
        return TemplateResponse(request, "annual_registration/admin/open.html", context)

    def fees_view(self, request: HttpRequest) -> HttpResponse:
        """导入缴费数据 (ANN-10): finance's sheet, all or nothing, every row error on the page and as a sheet."""
        if not may_import_fees(request.user):
            raise PermissionDenied(_("只有教务处可以导入缴费数据"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("导入缴费数据"),
            "years": self._years(),
            "token": secrets.token_urlsafe(12),
        }
        if request.method == "POST":
            response = self._import_fees(request, context)
            if response is not None:
                return response
        return TemplateResponse(request, "annual_registration/admin/fees.html", context)

    def _import_fees(self, request: HttpRequest, context: dict) -> HttpResponse | None:
        upload = request.FILES.get("file")
        year = AcademicYear.objects.filter(pk=request.POST.get("academic_year")).first()
        if upload is None or year is None:
            messages.error(request, _("请选择学年和文件"))
            return None
        try:
            content = read_upload(upload)
        except FileFormatError as exc:
            messages.error(request, str(exc))
            return None
        progress = UploadProgress(request)
        progress.reading()
        try:
            result = fee_import(
                actor=request.user,
                academic_year=year,
                sheet=parse_fees(content, upload.name),
                file_name=upload.name,
            )
        except REFUSALS as exc:
            messages.error(request, str(exc))
            return None
        finally:
            progress.done()
        if result.errors:
            context.update(
                error_context(
                    result.errors, token=remember_errors(request, content, upload.name, result.errors)
                )
            )
            return None
        messages.success(
            request,
            _("已导入%(n)d名学生的缴费情况，其中%(changed)d名有变化")
            % {"n": result.imported, "changed": result.changed},
        )
        return redirect(f"{_changelist()}?academic_year__id__exact={year.pk}")


def _changelist() -> str:
    from django.urls import reverse

    return reverse("admin:annual_registration_annualregistration_changelist")
