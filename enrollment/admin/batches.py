"""Staff pages of review lists: create, fill, upload, mark, submit, approve, return."""

from __future__ import annotations

import secrets

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from enrollment import exports, services
from enrollment.admin.common import REFUSALS, remember_errors
from enrollment.imports import parse_review_results
from enrollment.models import (
    AdmissionRecord,
    ReviewBatch,
    ReviewItem,
    ReviewOutcome,
)
from enrollment.progress import UploadProgress
from enrollment.views import download
from registrar.admin_base import ScopedAdmin
from registrar.batches import BatchConflict, BatchInvalid, batch_actions, may_perform
from registrar.models import BatchKind, College, Term
from registrar.roles import is_college_staff, is_registrar
from registrar.sheets.errors import FileFormatError
from registrar.sheets.limits import read_upload


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
            "token": secrets.token_urlsafe(12),
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
                # Who may change the list is checked before the file is read (SEC-1).
                if not may_perform(request.user, batch, "submit"):
                    raise PermissionDenied(_("只能修改本学院的名单"))
                try:
                    content = read_upload(upload)
                except FileFormatError as exc:
                    messages.error(request, str(exc))
                    return here
                progress = UploadProgress(request)
                progress.reading()
                try:
                    errors = services.review_items_from_sheet(
                        actor=request.user,
                        batch_id=batch.pk,
                        sheet=parse_review_results(content, upload.name),
                    )
                finally:
                    progress.done()
                if errors:
                    context["shown_errors"] = errors[:500]
                    context["error_count"] = len(errors)
                    context["error_token"] = remember_errors(request, content, upload.name, errors)
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
