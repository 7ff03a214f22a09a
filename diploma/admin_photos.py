"""Staff pages of photos (DIP-9): capture records and check conclusions, the agency's imports, the retake list.

College staff see their colleges' students only (``for_user``), and register
their own students for a retake; the registrar imports the agency's list and
photos. The role is checked before a byte of an upload is read (SEC-1).
"""

from __future__ import annotations

import secrets

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diploma.cohort import chosen_year, cohort_students, graduation_years
from diploma.models.photos import PhotoCapture, RetakeReason
from diploma.photo_imports import parse_capture_list, read_photo_archive
from diploma.selectors_photos import retake_list
from diploma.services.photos import (
    may_import_photos,
    photo_capture_list_import,
    photo_images_import,
    photo_retake_register,
)
from diploma.views_photos import photo_response
from registrar.admin_base import ScopedAdmin
from registrar.errors import REFUSALS
from registrar.models import Student
from registrar.roles import can_write, is_registrar
from registrar.sheets.errors import FileFormatError
from registrar.sheets.limits import read_upload
from registrar.sheets.writers import xlsx
from registrar.uploads import UploadProgress, download, error_context, export_name, remember_errors


class HasImageFilter(admin.SimpleListFilter):
    title = gettext_lazy("照片")
    parameter_name = "image"

    def lookups(self, request, model_admin):
        return [("yes", _("已导入")), ("no", _("未导入"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(image="")
        if self.value() == "no":
            return queryset.filter(image="")
        return queryset


@admin.register(PhotoCapture)
class PhotoCaptureAdmin(ScopedAdmin):
    """图像采集与校对 (DIP-9): each student's capture, photo and check conclusion, scoped to the reader's colleges."""

    editable = False
    list_display = [
        "student_number",
        "student_name",
        "college",
        "captured_on",
        "file_name",
        "has_image",
        "check_state",
        "checked_at",
        "problem",
    ]
    list_filter = ["check_state", HasImageFilter, ("student__college", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["student__student_number", "student__name", "file_name"]
    list_select_related = ["student", "student__college"]
    list_per_page = 100
    fields = [
        "student",
        "captured_on",
        "file_name",
        "photo",
        "width",
        "height",
        "check_state",
        "checked_at",
        "problem",
    ]
    readonly_fields = fields
    change_list_template = "diploma/admin/photo_changelist.html"

    @admin.display(description=gettext_lazy("学号"), ordering="student__student_number")
    def student_number(self, capture: PhotoCapture) -> str:
        return capture.student.student_number or ""

    @admin.display(description=gettext_lazy("姓名"), ordering="student__name")
    def student_name(self, capture: PhotoCapture) -> str:
        return capture.student.name

    @admin.display(description=gettext_lazy("院系"))
    def college(self, capture: PhotoCapture) -> str:
        return capture.student.college.name

    @admin.display(description=gettext_lazy("照片"), boolean=True)
    def has_image(self, capture: PhotoCapture) -> bool:
        return bool(capture.image)

    @admin.display(description=gettext_lazy("照片"))
    def photo(self, capture: PhotoCapture) -> str:
        if not capture.image:
            return _("未导入")
        url = reverse("admin:diploma_photocapture_image", args=[capture.pk])
        return format_html(
            '<img src="{}" width="240" height="320" alt="{}" id="photo">', url, capture.file_name
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="diploma_photo_import"),
            path("images/", view(self.images_view), name="diploma_photo_images"),
            path("retakes/", view(self.retakes_view), name="diploma_photo_retakes"),
            path("retakes.xlsx", view(self.retakes_file), name="diploma_photo_retakes_file"),
            path("<int:pk>/image/", view(self.image_view), name="diploma_photocapture_image"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "is_registrar": is_registrar(request.user)}
        return super().changelist_view(request, extra_context)

    def image_view(self, request: HttpRequest, pk: int) -> FileResponse:
        """The photo of a capture the reader may see (their colleges'), else 404."""
        return photo_response(self.get_queryset(request).filter(pk=pk).first())

    # ------------------------------------------------------------ the agency's imports (registrar)

    def _context(self, request: HttpRequest, title: str, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "token": secrets.token_urlsafe(12),
            **extra,
        }

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """导入图像采集名单 (DIP-9): the agency's xlsx (考生号 or 身份证号 → 照片文件名, 采集日期); all or nothing."""
        if not may_import_photos(request.user):
            raise PermissionDenied(_("只有教务处可以导入图像采集数据"))
        context = self._context(request, _("导入图像采集名单"), kind="list", accept=".xlsx")
        if request.method == "POST" and (upload := request.FILES.get("file")) is not None:
            try:
                content = read_upload(upload)
            except FileFormatError as exc:
                messages.error(request, str(exc))
                return TemplateResponse(request, "diploma/admin/photo_import.html", context)
            progress = UploadProgress(request)
            progress.reading()
            try:
                result = photo_capture_list_import(
                    actor=request.user, sheet=parse_capture_list(content, upload.name), file_name=upload.name
                )
            except REFUSALS as exc:
                messages.error(request, str(exc))
                return TemplateResponse(request, "diploma/admin/photo_import.html", context)
            finally:
                progress.done()
            if result.errors:
                token = remember_errors(request, content, upload.name, result.errors)
                context.update(error_context(result.errors, token=token))
                return TemplateResponse(request, "diploma/admin/photo_import.html", context)
            messages.success(
                request,
                _("已导入图像采集名单：新增%(created)d人，更新%(changed)d人，未变化%(unchanged)d人")
                % {"created": result.created, "changed": result.changed, "unchanged": result.unchanged},
            )
            return redirect("admin:diploma_photocapture_changelist")
        return TemplateResponse(request, "diploma/admin/photo_import.html", context)

    def images_view(self, request: HttpRequest) -> HttpResponse:
        """导入照片压缩包 (DIP-9): JPEGs named by 身份证号 or 考生号, each checked; all or nothing."""
        if not may_import_photos(request.user):
            raise PermissionDenied(_("只有教务处可以导入图像采集数据"))
        context = self._context(request, _("导入照片压缩包"), kind="images", accept=".zip")
        if request.method == "POST" and (upload := request.FILES.get("file")) is not None:
            progress = UploadProgress(request)
            progress.reading()
            try:
                archive = read_photo_archive(upload)
                result = photo_images_import(actor=request.user, archive=archive, file_name=upload.name)
            except (FileFormatError, *REFUSALS) as exc:
                messages.error(request, str(exc))
                return TemplateResponse(request, "diploma/admin/photo_import.html", context)
            finally:
                progress.done()
            if result.errors:
                context.update(error_context(result.errors))
                return TemplateResponse(request, "diploma/admin/photo_import.html", context)
            messages.success(
                request,
                _("已导入%(changed)d张照片，%(unchanged)d张与已有照片相同")
                % {"changed": result.changed, "unchanged": result.unchanged},
            )
            return redirect("admin:diploma_photocapture_changelist")
        return TemplateResponse(request, "diploma/admin/photo_import.html", context)

    # ------------------------------------------------------------ retakes (colleges and the registrar)

    def _year(self, request: HttpRequest) -> int | None:
        return chosen_year(request.GET.get("year") or request.POST.get("year"))

    def retakes_view(self, request: HttpRequest) -> HttpResponse:
        """补拍名单 (DIP-9, SH三(五)3(3)): who has no photo or must retake it; college staff register theirs."""
        year = self._year(request)
        if request.method == "POST":
            if not can_write(request.user):
                raise PermissionDenied(_("无权登记补拍"))
            try:
                student_id = int(request.POST.get("student", ""))
                photo_retake_register(
                    actor=request.user,
                    student_id=student_id,
                    reason=request.POST.get("reason", ""),
                    note=request.POST.get("note", ""),
                )
            except ValueError:
                messages.error(request, _("请选择学生"))
            except Student.DoesNotExist as exc:
                raise Http404(str(exc)) from exc
            except REFUSALS as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("已登记补拍"))
            return redirect(f"{reverse('admin:diploma_photo_retakes')}?year={year or ''}")
        rows = retake_list(request.user, cohort_students(year)) if year else []
        context = self._context(
            request,
            _("补拍名单"),
            rows=rows,
            year=year,
            years=graduation_years(),
            reasons=RetakeReason.choices,
            may_register=can_write(request.user),
        )
        return TemplateResponse(request, "diploma/admin/retakes.html", context)

    def retakes_file(self, request: HttpRequest) -> HttpResponse:
        """补拍名单 as xlsx, for the agency's retake day; scoped like the page."""
        year = self._year(request)
        rows = retake_list(request.user, cohort_students(year)) if year else []
        header = [_("院系"), _("学号"), _("姓名"), _("考生号"), _("原因"), _("补拍登记")]
        body = [
            [
                r.student.college.name,
                r.student.student_number or "",
                r.student.name,
                r.student.exam_number,
                r.why,
                f"{r.retake.registered_at:%Y-%m-%d} {r.retake.get_reason_display()}" if r.retake else "",
            ]
            for r in rows
        ]
        name = _("%(year)s届补拍名单") % {"year": year} if year else _("补拍名单")
        return download(xlsx(header, body, _("补拍名单")), export_name(name, user=request.user))
