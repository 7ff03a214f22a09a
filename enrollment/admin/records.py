"""Staff pages of admission data: the list, its import, and one record's decisions."""

from __future__ import annotations

import secrets

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrollment import selectors, services
from enrollment.imports import parse_admissions, parse_date
from enrollment.models import (
    AdmissionRecord,
    CorrectionRequest,
    DataReport,
)
from enrollment.services.corrections import shown_values
from registrar.admin_base import ScopedAdmin
from registrar.errors import REFUSALS
from registrar.idcard import mask, search_id_number
from registrar.roles import is_college_staff, is_registrar
from registrar.sheets.errors import FileFormatError
from registrar.sheets.limits import read_upload
from registrar.transitions import declared_names, may_fire, user_actions
from registrar.uploads import UploadProgress, error_context, remember_errors


@admin.register(AdmissionRecord)
class AdmissionRecordAdmin(ScopedAdmin):
    editable = False
    list_display = [
        "exam_number",
        "name",
        "masked_id_number",
        "college",
        "major",
        "state",
        "identity_conflict",
        "confirmed_at",
    ]
    list_filter = [
        "year",
        "state",
        ("deferral_lapsed_on", admin.EmptyFieldListFilter),
        "identity_conflict",
        "admission_type",
        "college",
    ]
    # No partial id number search (SEC-2): with the masked number and the birth date on the page,
    # a few partial searches would give the whole number back. See get_search_results.
    search_fields = ["exam_number", "name"]
    list_select_related = ["college", "major"]
    exclude = ["id_number", "source_hash"]
    readonly_fields = ["masked_id_number"]
    change_list_template = "enrollment/admin/record_changelist.html"

    @admin.display(description=_("证件号码"))
    def masked_id_number(self, obj: AdmissionRecord) -> str:
        return mask(obj.id_number)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in ("id_number", "source_hash")] + [
            "masked_id_number"
        ]

    def get_search_results(self, request, queryset, search_term):
        """By 考生号 or 姓名 for everyone; by id number only the full number, for the registrar office (SEC-2)."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        number = search_id_number(request.user, search_term)
        if number is not None:
            found |= queryset.filter(id_number=number)
        return found, may_have_duplicates

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="enrollment_admissionrecord_import",
            ),
            path(
                "<int:record_id>/detail/",
                self.admin_site.admin_view(self.detail_view),
                name="enrollment_admissionrecord_detail",
            ),
            *super().get_urls(),
        ]

    actions = ["pass_rereview"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not may_fire(request.user, AdmissionRecord(), "pass_rereview"):  # the declaration's permission=
            actions.pop("pass_rereview", None)
        return actions

    @admin.action(description=_("所选学生入学资格复查合格"))
    def pass_rereview(self, request, queryset):
        try:
            count = services.admission_rereview_pass_many(
                actor=request.user, record_ids=list(queryset.values_list("pk", flat=True))
            )
        except REFUSALS as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已登记%(n)d名学生复查合格") % {"n": count})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("admin:enrollment_admissionrecord_detail", record_id=object_id)

    # Decisions on one record that the detail page offers, as declared; registration goes through review lists.
    PAGE_TRANSITIONS = declared_names(AdmissionRecord, decision="record")

    def detail_view(self, request: HttpRequest, record_id: int) -> HttpResponse:
        """One freshman: data (id number masked), history, decisions, corrections (ENR-8), reports (ENR-11)."""
        record = (
            self.get_queryset(request)
            .filter(pk=record_id)
            .select_related("college", "major", "student")
            .first()
        )
        if record is None:
            raise Http404
        if request.method == "POST":
            self._decide(request, record)
            return redirect("admin:enrollment_admissionrecord_detail", record_id=record.pk)
        registrar = is_registrar(request.user)
        transitions = user_actions(request.user, record, decision="record")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": str(record),
            "record": record,
            "masked_id_number": mask(record.id_number),
            "history": selectors.record_history(request.user, record),
            "transitions": transitions if registrar else [],
            "registrar": registrar,
            "can_correct": registrar or is_college_staff(request.user),
            "correctable": services.corrections.CORRECTABLE.items(),
            "corrections": [
                (c, shown_values(c.requested), shown_values(c.answer))
                for c in record.corrections.order_by("-created_at")
            ],
            "reports": record.reports.all(),
            "default_deferral_end": services.default_deferral_end(),
        }
        return TemplateResponse(request, "enrollment/admin/record_detail.html", context)

    def _decide(self, request: HttpRequest, record: AdmissionRecord) -> None:
        post, actor = request.POST, request.user
        action = post.get("action", "")
        try:
            if action == "transition":
                transition = post.get("transition", "")
                # The page's one date field belongs to the decisions that set a deferral's end (ENR-4).
                dated = transition in services.DATED_TRANSITIONS and post.get("deferral_end")
                deferral_end = parse_date(post["deferral_end"]) if dated else None
                services.admission_transition(
                    actor=actor,
                    record_id=record.pk,
                    transition=transition,
                    reason=post.get("reason", ""),
                    document_number=post.get("document_number", "")[:100],
                    deferral_end=deferral_end,
                )
            elif action in ("rereview_pass", "rereview_fail"):
                services.admission_rereview(
                    actor=actor,
                    record_id=record.pk,
                    passed=action == "rereview_pass",
                    # The stored reason stays Chinese whatever the page's language; a failure needs one.
                    reason=post.get("reason", "")
                    or ("入学资格复查合格" if action == "rereview_pass" else ""),
                    document_number=post.get("document_number", "")[:100],
                )
            elif action == "clear_conflict":
                services.admission_clear_conflict(
                    actor=actor, record_id=record.pk, reason=post.get("reason", "")
                )
            elif action == "correction_create":
                services.correction_create(
                    actor=actor,
                    record_id=record.pk,
                    requested={post.get("field", ""): post.get("value", "")},
                    reason=post.get("reason", ""),
                )
            elif action == "correction_send":
                services.correction_send(
                    actor=actor,
                    request_id=int(post.get("request", 0)),
                    document_number=post.get("document_number", "")[:100],
                )
            elif action in ("correction_agreed", "correction_refused"):
                correction = record.corrections.get(pk=int(post.get("request", 0)))
                services.correction_answer(
                    actor=actor,
                    request_id=correction.pk,
                    answer=correction.requested if action == "correction_agreed" else {},
                    note=post.get("note", ""),
                    document_number=post.get("document_number", "")[:100],
                )
            elif action == "correction_apply":
                services.correction_apply(actor=actor, request_id=int(post.get("request", 0)))
            elif action == "report_resolve":
                services.data_report_resolve(
                    actor=actor, report_id=int(post.get("report", 0)), note=post.get("note", "")
                )
            else:
                messages.error(request, _("未知的操作"))
                return
        except (ValueError, CorrectionRequest.DoesNotExist, DataReport.DoesNotExist) as exc:
            messages.error(request, str(exc) or _("输入有误"))
            return
        except REFUSALS as exc:
            messages.error(request, str(exc) or _("无权操作"))
            return
        messages.success(request, _("已办理"))

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import": is_registrar(request.user),
            "year": timezone.localdate().year,
        }
        return super().changelist_view(request, extra_context)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """录取数据导入 page: upload with a progress bar, every row error on the page and as a sheet."""
        if not is_registrar(request.user):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("导入录取数据"),
            "opts": self.model._meta,
            "year": timezone.localdate().year,
            "token": secrets.token_urlsafe(12),
        }
        if request.method == "POST":
            upload = request.FILES.get("file")
            progress = UploadProgress(request)
            try:
                year = int(request.POST.get("year", ""))
            except ValueError:
                year = 0
            if upload is None or not 2000 <= year <= 2100:
                messages.error(request, _("请选择文件并填写招生年份"))
                return TemplateResponse(request, "enrollment/admin/import.html", context)
            try:
                content = read_upload(upload)
            except FileFormatError as exc:
                messages.error(request, str(exc))
                return TemplateResponse(request, "enrollment/admin/import.html", context)
            progress.reading()
            sheet = parse_admissions(content, upload.name)
            try:
                result = services.admission_import(
                    actor=request.user,
                    year=year,
                    sheet=sheet,
                    file_name=upload.name,
                    dry_run=bool(request.POST.get("dry_run")),
                    progress=progress.service_report,
                )
            except REFUSALS as exc:
                messages.error(request, str(exc))
                return TemplateResponse(request, "enrollment/admin/import.html", context)
            finally:
                progress.done()
            context.update(result=result, year=year)
            if result.errors:
                token = remember_errors(request, content, upload.name, result.errors)
                context.update(error_context(result.errors, token=token))
        return TemplateResponse(request, "enrollment/admin/import.html", context)


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(ScopedAdmin):
    editable = False
    list_display = [
        "record",
        "state",
        "document_number",
        "created_at",
        "sent_at",
        "answered_at",
        "applied_at",
    ]
    list_filter = ["state"]
    # The values are shown with the id number masked, to every role, as on the record's page (SEC-2).
    exclude = ["requested", "answer"]
    readonly_fields = [
        "record",
        "requested_values",
        "reason",
        "state",
        "answer_values",
        "answer_note",
        "document_number",
    ]

    @admin.display(description=_("申请更正为"))
    def requested_values(self, obj: CorrectionRequest) -> str:
        return shown_values(obj.requested)

    @admin.display(description=_("省招生部门答复的数据"))
    def answer_values(self, obj: CorrectionRequest) -> str:
        return shown_values(obj.answer)


@admin.register(DataReport)
class DataReportAdmin(ScopedAdmin):
    editable = False
    list_display = ["record", "description", "created_at", "resolved_at"]
    readonly_fields = ["record", "description", "created_at", "resolved_at"]
