"""Staff pages of freshman registration: admission data and its import, review lists and their decisions.

Every page reads through ``for_user`` and writes through ``enrollment.services``;
the buttons come from the transitions available to the user.
"""

from __future__ import annotations

import secrets

from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrollment import exports, selectors, services
from enrollment.imports import parse_admissions, parse_date, parse_review_results, raw_rows
from enrollment.models import (
    AdmissionRecord,
    CorrectionRequest,
    DataReport,
    ReviewBatch,
    ReviewItem,
    ReviewOutcome,
)
from enrollment.views import download
from registrar.admin_base import ScopedAdmin
from registrar.batches import BatchConflict, BatchInvalid, batch_actions
from registrar.idcard import mask
from registrar.models import BatchKind, College, Term
from registrar.roles import is_college_staff, is_registrar
from registrar.services import DomainError

REFUSALS = (DomainError, PermissionDenied)


def _remember_errors(request: HttpRequest, content: bytes, file_name: str, errors) -> str:
    token = secrets.token_urlsafe(12)
    cache.set(
        f"enrollment:errors:{request.user.pk}:{token}",
        exports.error_sheet(raw_rows(content, file_name), errors),
        3600,
    )
    return token


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
    list_filter = ["year", "state", "identity_conflict", "admission_type", "college"]
    search_fields = ["exam_number", "name", "id_number"]
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

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request, obj)

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
        if not is_registrar(request.user):
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

    # Decisions on one record that the detail page offers; registration goes through review lists.
    PAGE_TRANSITIONS = ("admit", "readmit", "forfeit", "defer", "cancel")

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
        transitions = [
            (t.name, t.custom.get("label", t.name))
            for t in record.get_available_state_transitions()
            if t.name in self.PAGE_TRANSITIONS
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": str(record),
            "record": record,
            "masked_id_number": mask(record.id_number),
            "history": selectors.record_history(record),
            "transitions": transitions if registrar else [],
            "registrar": registrar,
            "can_correct": registrar or is_college_staff(request.user),
            "correctable": services.corrections.CORRECTABLE.items(),
            "corrections": record.corrections.order_by("-created_at"),
            "reports": record.reports.all(),
            "default_deferral_end": services.default_deferral_end(),
        }
        return TemplateResponse(request, "enrollment/admin/record_detail.html", context)

    def _decide(self, request: HttpRequest, record: AdmissionRecord) -> None:
        post, actor = request.POST, request.user
        action = post.get("action", "")
        try:
            if action == "transition":
                deferral_end = parse_date(post["deferral_end"]) if post.get("deferral_end") else None
                services.admission_transition(
                    actor=actor,
                    record_id=record.pk,
                    transition=post.get("transition", ""),
                    reason=post.get("reason", ""),
                    document_number=post.get("document_number", "")[:100],
                    deferral_end=deferral_end,
                )
            elif action in ("rereview_pass", "rereview_fail"):
                services.admission_rereview(
                    actor=actor,
                    record_id=record.pk,
                    passed=action == "rereview_pass",
                    reason=post.get("reason", "") or "入学资格复查合格",
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
            token = request.POST.get("token") or secrets.token_urlsafe(12)
            key = f"enrollment:progress:{request.user.pk}:{token}"
            try:
                year = int(request.POST.get("year", ""))
            except ValueError:
                year = 0
            if upload is None or not 2000 <= year <= 2100:
                messages.error(request, _("请选择文件并填写招生年份"))
                return TemplateResponse(request, "enrollment/admin/import.html", context)
            content = upload.read()
            cache.set(key, {"phase": "读取与校验", "done": 0, "total": 0}, 600)
            sheet = parse_admissions(content, upload.name)

            def progress(done: int, total: int, phase: str) -> None:
                cache.set(key, {"phase": phase, "done": done, "total": total}, 600)

            try:
                result = services.admission_import(
                    actor=request.user,
                    year=year,
                    sheet=sheet,
                    file_name=upload.name,
                    dry_run=bool(request.POST.get("dry_run")),
                    progress=progress,
                )
            except REFUSALS as exc:
                messages.error(request, str(exc))
                return TemplateResponse(request, "enrollment/admin/import.html", context)
            finally:
                cache.set(key, {"phase": "完成", "done": 1, "total": 1}, 600)
            context.update(result=result, year=year)
            if result.errors:
                context["error_token"] = _remember_errors(request, content, upload.name, result.errors)
                context["shown_errors"] = result.errors[:500]
                context["error_count"] = len(result.errors)
        return TemplateResponse(request, "enrollment/admin/import.html", context)


class ReviewItemInline(admin.TabularInline):
    model = ReviewItem
    fields = ["record", "outcome", "deferral_end", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReviewBatch)
class ReviewBatchAdmin(ScopedAdmin):
    editable = False
    list_display = ["__str__", "college", "term", "state", "submitted_at", "decided_at"]
    list_filter = ["state", "college"]
    list_select_related = ["college", "term__academic_year"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind=BatchKind.FRESHMAN_REVIEW)

    def has_add_permission(self, request) -> bool:
        return is_registrar(request.user) or is_college_staff(request.user)

    def get_urls(self):
        return [
            path("new/", self.admin_site.admin_view(self.create_view), name="enrollment_reviewbatch_new"),
            path(
                "<int:batch_id>/review/",
                self.admin_site.admin_view(self.detail_view),
                name="enrollment_reviewbatch_detail",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:enrollment_reviewbatch_new")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("admin:enrollment_reviewbatch_detail", batch_id=object_id)

    def create_view(self, request: HttpRequest) -> HttpResponse:
        """新建审查名单: a college the user may act for, and a term."""
        colleges = College.objects.for_user(request.user)
        terms = Term.objects.select_related("academic_year").order_by("-start_date")[:6]
        if request.method == "POST":
            college = colleges.filter(pk=request.POST.get("college")).first()
            term = Term.objects.filter(pk=request.POST.get("term")).first()
            if college is None or term is None:
                messages.error(request, _("请选择院系和学期"))
            else:
                try:
                    batch = services.review_batch_create(
                        actor=request.user,
                        college=college,
                        term=term,
                        title=request.POST.get("title", "")[:100],
                    )
                except REFUSALS as exc:
                    messages.error(request, str(exc))
                else:
                    return redirect("admin:enrollment_reviewbatch_detail", batch_id=batch.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("新建入学资格审查名单"),
            "opts": self.model._meta,
            "colleges": colleges,
            "terms": terms,
        }
        return TemplateResponse(request, "enrollment/admin/batch_new.html", context)

    def detail_view(self, request: HttpRequest, batch_id: int) -> HttpResponse:
        """A review list: its items, the upload and marks while editable, and the decision buttons."""
        batch = self.get_queryset(request).filter(pk=batch_id).select_related("college", "term").first()
        if batch is None:
            raise Http404
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": str(batch),
            "batch": batch,
            "outcomes": ReviewOutcome.choices,
        }
        if request.method == "POST":
            response = self._handle(request, batch, context)
            if response is not None:
                return response
            batch = self.get_queryset(request).get(pk=batch_id)
            context["batch"] = batch
        context["actions"] = batch_actions(user=request.user, batch=batch)
        context["needs_comment"] = any(name != "submit" for name, _label in context["actions"])
        context["editable"] = services.review.can_edit(request.user, batch)
        context["items"] = list(
            ReviewItem.objects.filter(batch=batch)
            .select_related("record", "record__major")
            .order_by("record__exam_number")
        )
        if context["editable"]:
            listed = {i.record_id for i in context["items"]}
            context["candidates"] = [
                r
                for r in AdmissionRecord.objects.for_user(request.user)
                .filter(college=batch.college, state__in=services.outcome_sources(ReviewOutcome.PASSED))
                .order_by("exam_number")[:500]
                if r.pk not in listed
            ]
        return TemplateResponse(request, "enrollment/admin/batch_detail.html", context)

    def _handle(self, request: HttpRequest, batch, context) -> HttpResponse | None:
        action = request.POST.get("action", "")
        here = HttpResponseRedirect(reverse("admin:enrollment_reviewbatch_detail", args=[batch.pk]))
        try:
            if action == "upload":
                upload = request.FILES.get("file")
                if upload is None:
                    messages.error(request, _("请选择审查结果表"))
                    return here
                content = upload.read()
                errors = services.review_items_from_sheet(
                    actor=request.user, batch_id=batch.pk, sheet=parse_review_results(content, upload.name)
                )
                if errors:
                    context["shown_errors"] = errors[:500]
                    context["error_count"] = len(errors)
                    context["error_token"] = _remember_errors(request, content, upload.name, errors)
                    return None
                messages.success(request, _("审查结果已上传"))
            elif action == "mark":
                items = []
                for key, outcome in request.POST.items():
                    if key.startswith("outcome_") and outcome:
                        items.append(
                            services.ItemInput(
                                exam_number=key.removeprefix("outcome_"),
                                outcome=outcome,
                                reason=request.POST.get(f"reason_{key.removeprefix('outcome_')}", "")[:200],
                            )
                        )
                errors = services.review_items_save(
                    actor=request.user, batch_id=batch.pk, items=items, replace=False
                )
                if errors:
                    context["shown_errors"] = errors
                    context["error_count"] = len(errors)
                    return None
                messages.success(request, _("已保存%(n)d名学生的审查结论") % {"n": len(items)})
            elif action == "fill":
                count = services.review_items_fill(actor=request.user, batch_id=batch.pk)
                messages.success(request, _("已加入%(n)d名学生") % {"n": count})
            elif action == "submit":
                services.review_batch_submit(actor=request.user, batch_id=batch.pk)
                messages.success(request, _("名单已提交，等待教务处审批"))
            elif action == "approve":
                services.review_batch_approve(
                    actor=request.user,
                    batch_id=batch.pk,
                    comment=request.POST.get("comment", ""),
                    document_number=request.POST.get("document_number", "")[:100],
                )
                messages.success(request, _("名单已审批通过，学籍已注册"))
            elif action == "send_back":
                services.review_batch_return(
                    actor=request.user, batch_id=batch.pk, comment=request.POST.get("comment", "")
                )
                messages.success(request, _("名单已退回学院"))
            elif action == "passwords":
                rows = services.student_passwords_issue(actor=request.user, batch_id=batch.pk)
                return download(exports.password_sheet(rows), f"chushimima_{batch.pk}.xlsx")
            else:
                messages.error(request, _("未知的操作"))
        except BatchInvalid as exc:
            context["problems"] = exc.problems
            return None
        except BatchConflict as exc:
            messages.error(request, str(exc))
        except REFUSALS as exc:
            messages.error(request, str(exc) or _("无权操作"))
        return here


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
    readonly_fields = ["record", "requested", "reason", "state", "answer", "answer_note", "document_number"]


@admin.register(DataReport)
class DataReportAdmin(ScopedAdmin):
    editable = False
    list_display = ["record", "description", "created_at", "resolved_at"]
    readonly_fields = ["record", "description", "created_at", "resolved_at"]
