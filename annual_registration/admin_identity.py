"""Staff pages of identity changes (学籍信息变更, ANN-8): the requests, one request's decisions, and the setting.

College staff and the registrar file requests for the students they see; the
registrar office records each decision of the school's approval chain (SEC-1).
Id numbers are masked for everyone but the registrar office (SEC-2); proof files
open only through the scoped download.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annual_registration.models import IdentityChangeRequest, IdentityChangeSettings, IdentityProof
from annual_registration.models.identity import IdentityField, RefusalGround
from annual_registration.services.identity import (
    identity_change_decide,
    identity_change_file,
    identity_settings_save,
    shown_changes,
)
from audit.selectors import subject_history
from registrar import codes
from registrar.admin_base import ScopedAdmin
from registrar.errors import REFUSALS
from registrar.idcard import sees_full_id_numbers
from registrar.models import Student
from registrar.proofs import ACCEPT_ATTRIBUTE
from registrar.roles import can_write, is_registrar
from registrar.sheets.cells import parse_date
from registrar.transitions import user_actions


@admin.register(IdentityChangeRequest)
class IdentityChangeRequestAdmin(ScopedAdmin):
    """学籍信息变更申请 (ANN-8): filed by the student, the college or the registrar; decided by the registrar."""

    editable = False
    list_display = ["student_number", "student_name", "college", "changes", "state", "chain", "filed_at"]
    list_filter = ["state", "chain", "student__college"]
    search_fields = ["student__student_number", "student__name"]
    list_select_related = ["student", "student__college"]

    @admin.display(description=gettext_lazy("学号"), ordering="student__student_number")
    def student_number(self, obj: IdentityChangeRequest) -> str:
        return obj.student.student_number or ""

    @admin.display(description=gettext_lazy("姓名"), ordering="student__name")
    def student_name(self, obj: IdentityChangeRequest) -> str:
        return obj.student.name

    @admin.display(description=gettext_lazy("院系"))
    def college(self, obj: IdentityChangeRequest) -> str:
        return str(obj.student.college)

    @admin.display(description=gettext_lazy("变更内容（证件号码脱敏）"))
    def changes(self, obj: IdentityChangeRequest) -> str:
        return "；".join(f"{field}：{before} → {after}" for field, before, after in shown_changes(obj))

    def has_add_permission(self, request) -> bool:
        return can_write(request.user)

    def get_urls(self):
        return [
            path(
                "file/",
                self.admin_site.admin_view(self.file_view),
                name="annual_registration_identitychangerequest_file",
            ),
            path(
                "<int:pk>/detail/",
                self.admin_site.admin_view(self.detail_view),
                name="annual_registration_identitychangerequest_detail",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:annual_registration_identitychangerequest_file")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not str(object_id).isdigit() or len(str(object_id)) > 18:
            raise Http404
        return redirect("admin:annual_registration_identitychangerequest_detail", pk=object_id)

    def _context(self, request: HttpRequest, title: str) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title}

    def file_view(self, request: HttpRequest) -> HttpResponse:
        """提交学籍信息变更申请 for a student of one's colleges (ANN-8): fields, values, reason, proof."""
        if not can_write(request.user):
            raise PermissionDenied(_("无权申请学籍信息变更"))
        if request.method == "POST":
            filed = self._file(request)
            if filed is not None:
                messages.success(request, _("申请已提交"))
                return redirect("admin:annual_registration_identitychangerequest_detail", pk=filed.pk)
        context = {
            **self._context(request, _("提交学籍信息变更申请")),
            "fields": IdentityField.choices,
            "ethnicities": codes.Ethnicity.choices,
            "accept": ACCEPT_ATTRIBUTE,
            "post": request.POST,
        }
        return TemplateResponse(request, "annual_registration/admin/identity_file.html", context)

    def _file(self, request: HttpRequest) -> IdentityChangeRequest | None:
        number = request.POST.get("student_number", "").strip()
        student = (
            Student.objects.for_user(request.user).filter(student_number=number).first() if number else None
        )
        if student is None:
            messages.error(
                request, _("没有学号为%(number)s的学生（或不在本人权限范围内）") % {"number": number[:20]}
            )
            return None
        requested = {
            field: request.POST.get(f"value_{field}", "")
            for field in request.POST.getlist("fields")
            if field in IdentityField.values
        }
        try:
            return identity_change_file(
                actor=request.user,
                student_id=student.pk,
                requested=requested,
                reason=request.POST.get("reason", ""),
                proofs=request.FILES.getlist("proofs"),
                gaokao_data_error=request.POST.get("gaokao_data_error") == "1",
            )
        except REFUSALS as exc:
            messages.error(request, str(exc))
            return None

    def detail_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """One request: the values before and after, reason, proof, history and the decisions now possible."""
        change = (
            self.get_queryset(request)
            .filter(pk=pk)
            .select_related("student", "student__college", "filed_by")
            .prefetch_related("proofs")
            .first()
        )
        if change is None:
            raise Http404
        if request.method == "POST":
            self._decide(request, change)
            return redirect("admin:annual_registration_identitychangerequest_detail", pk=change.pk)
        registrar = is_registrar(request.user)
        context = {
            **self._context(request, str(change)),
            "change": change,
            "changes": shown_changes(change, full_id_number=sees_full_id_numbers(request.user)),
            "proofs": change.proofs.all(),
            "history": subject_history(change, reader=request.user),
            "decisions": user_actions(request.user, change) if registrar else [],
            "grounds": RefusalGround.choices,
            "today": timezone.localdate(),
        }
        return TemplateResponse(request, "annual_registration/admin/identity_detail.html", context)

    def _decide(self, request: HttpRequest, change: IdentityChangeRequest) -> None:
        post = request.POST
        try:
            day = parse_date(post["date"]) if post.get("date") else None
        except ValueError:
            messages.error(request, _("日期格式应为YYYY-MM-DD"))
            return
        try:
            identity_change_decide(
                actor=request.user,
                request_id=change.pk,
                transition=post.get("transition", ""),
                date=day,
                document_number=post.get("document_number", ""),
                reason=post.get("reason", ""),
                ground=post.get("ground", ""),
            )
        except REFUSALS as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已办理"))


@admin.register(IdentityProof)
class IdentityProofAdmin(ScopedAdmin):
    """证明材料 (ANN-8): opened from their request's page only, by its college's staff and the registrar office.

    Proof of identity is not the auditor's to read (SEC-2); the file downloads as an
    attachment that no browser runs.
    """

    editable = False

    def has_module_permission(self, request) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return can_write(request.user)

    def get_urls(self):
        return [
            path(
                "<int:pk>/download/",
                self.admin_site.admin_view(self.download_view),
                name="annual_registration_identityproof_download",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        raise Http404

    def change_view(self, request, object_id, form_url="", extra_context=None):
        raise Http404

    def download_view(self, request: HttpRequest, pk: int) -> FileResponse:
        proof = self.get_queryset(request).filter(pk=pk).first() if can_write(request.user) else None
        if proof is None:
            raise Http404(_("文件不存在"))
        try:
            handle = proof.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404(_("文件不存在")) from exc
        response = FileResponse(
            handle, as_attachment=True, filename=proof.original_name, content_type=proof.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class SettingsForm(forms.ModelForm):
    class Meta:
        model = IdentityChangeSettings
        fields = ["chain", "field_groups"]


@admin.register(IdentityChangeSettings)
class IdentityChangeSettingsAdmin(ScopedAdmin):
    """学籍信息变更设置 (ANN-8): the approval chain and which fields may change together; the registrar's."""

    form = SettingsForm
    list_display = ["school", "chain", "field_groups"]

    def has_add_permission(self, request) -> bool:
        return is_registrar(request.user) and not IdentityChangeSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        saved = identity_settings_save(
            actor=request.user,
            chain=form.cleaned_data["chain"],
            field_groups=form.cleaned_data["field_groups"],
        )
        obj.pk, obj.school = saved.pk, saved.school
