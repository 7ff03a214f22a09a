"""The staff page of a batch, for every kind: create, fill, upload, mark, submit, approve, return.

An app registers a proxy model of ``Batch`` for its kind with a subclass of
``BatchAdmin`` that names the kind; what the items are comes from the kind's
``BatchItems`` (``registrar.batch_kinds``). Every action calls a service of
``registrar.batches``; the API (``registrar.api_batches``) calls the same ones.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from typing import Any, ClassVar

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from registrar import batches
from registrar.admin_base import ScopedAdmin
from registrar.batch_kinds import BatchItems, ItemInput, items_of
from registrar.errors import REFUSALS
from registrar.models import Batch, College, Term
from registrar.roles import is_college_staff, is_registrar
from registrar.sheets.errors import FileFormatError
from registrar.sheets.limits import read_upload
from registrar.uploads import UploadProgress, error_context, remember_errors


@dataclass(frozen=True)
class PageRow:
    """One item as the page shows it: its key (考生号, 学号), the kind's columns and its end date."""

    item: Any
    key: str
    cells: list[Any]
    end_date: datetime.date | None


# kind → the admin URL name of its batch page, for links that know only the batch (notices).
PAGES: dict[str, str] = {}


def batch_page_url(batch: Batch) -> str:
    """Where a batch is worked on, whatever its kind."""
    return reverse(PAGES[batch.kind], args=[batch.pk])


class BatchAdmin(ScopedAdmin):
    """The list of one kind's batches, its creation page and each batch's page."""

    kind: ClassVar[str]
    editable = False
    list_display = ["__str__", "college", "term", "state", "submitted_at", "decided_at"]
    list_filter = ["state", ("college", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["college", "term__academic_year"]
    detail_template = "registrar/batches/detail.html"

    def __init__(self, model, admin_site) -> None:
        super().__init__(model, admin_site)
        PAGES[self.kind] = f"admin:{self.url_prefix}_detail"

    @property
    def url_prefix(self) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}"

    @property
    def items(self) -> BatchItems:
        return items_of(self.kind)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind=self.kind)

    def has_add_permission(self, request) -> bool:
        return is_registrar(request.user) or is_college_staff(request.user)

    def get_urls(self):
        return [
            path("new/", self.admin_site.admin_view(self.create_view), name=f"{self.url_prefix}_new"),
            path(
                "<int:batch_id>/review/",
                self.admin_site.admin_view(self.detail_view),
                name=f"{self.url_prefix}_detail",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect(f"admin:{self.url_prefix}_new")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect(f"admin:{self.url_prefix}_detail", batch_id=object_id)

    def _context(self, request: HttpRequest, **values) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "texts": self.items.texts,
            "key_label": self.items.key_label,
            "outcome_label": self.items.outcome_label,
            "has_end_date": bool(self.items.end_date_field),
            "columns": [column.header for column in self.items.columns],
            "changelist_url": reverse(f"admin:{self.url_prefix}_changelist"),
            **values,
        }

    def create_view(self, request: HttpRequest) -> HttpResponse:
        """新建名单: a college the user may act for, and a term."""
        colleges = College.objects.for_user(request.user)
        terms = Term.objects.select_related("academic_year").order_by("-start_date")[:6]
        if request.method == "POST":
            college = colleges.filter(pk=request.POST.get("college")).first()
            term = Term.objects.filter(pk=request.POST.get("term")).first()
            if college is None or term is None:
                messages.error(request, _("请选择院系和学期"))
            else:
                try:
                    batch = batches.batch_create(
                        actor=request.user,
                        kind=self.kind,
                        college=college,
                        term=term,
                        title=request.POST.get("title", "")[:100],
                    )
                except REFUSALS as exc:
                    messages.error(request, str(exc))
                else:
                    return redirect(f"admin:{self.url_prefix}_detail", batch_id=batch.pk)
        context = self._context(request, title=self.items.texts["new"], colleges=colleges, terms=terms)
        return TemplateResponse(request, "registrar/batches/new.html", context)

    def detail_view(self, request: HttpRequest, batch_id: int) -> HttpResponse:
        """A list: its items, the upload and marks while editable, and the decision buttons."""
        batch = self.get_queryset(request).filter(pk=batch_id).select_related("college", "term").first()
        if batch is None:
            raise Http404
        context = self._context(
            request,
            title=str(batch),
            batch=batch,
            outcomes=self.items.outcomes.choices,
            token=secrets.token_urlsafe(12),
        )
        if request.method == "POST":
            response = self._handle(request, batch, context)
            if response is not None:
                return response
            batch = self.get_queryset(request).get(pk=batch_id)
            context["batch"] = batch
        context["actions"] = batches.batch_actions(user=request.user, batch=batch)
        context["needs_comment"] = any(name != "submit" for name, _label in context["actions"])
        context["editable"] = batches.can_edit(request.user, batch)
        context["rows"] = self._rows(batch)
        if context["editable"]:
            context["candidates"] = [
                (self.items.candidate_key(c), self._cells(c, candidate=True))
                for c in self.items.candidates(request.user, batch)
            ]
        return TemplateResponse(request, self.detail_template, context)

    def _rows(self, batch: Batch) -> list[PageRow]:
        """Every item of the list, ordered by key, with the page's columns."""
        handler = self.items
        paths = [handler.key_path, *(column.path for column in handler.columns)]
        related = {p.rsplit(".", 1)[0].replace(".", "__") for p in paths if "." in p}
        items = handler.item_model._default_manager.filter(batch=batch).select_related(*sorted(related))
        rows = [
            PageRow(
                item=item,
                key=str(_resolve(item, handler.key_path)),
                cells=self._cells(item),
                end_date=getattr(item, handler.end_date_field, None) if handler.end_date_field else None,
            )
            for item in items
        ]
        return sorted(rows, key=lambda row: row.key)

    def _cells(self, obj: object, *, candidate: bool = False) -> list:
        """The page's columns of one item, or of a candidate (whose paths start one step further in)."""
        cells = []
        for column in self.items.columns:
            if candidate and column.item_only:
                cells.append("")
                continue
            path = column.path.split(".", 1)[1] if candidate else column.path
            cells.append(_resolve(obj, path))
        return cells

    def _handle(self, request: HttpRequest, batch: Batch, context: dict) -> HttpResponse | None:
        action = request.POST.get("action", "")
        here = HttpResponseRedirect(reverse(f"admin:{self.url_prefix}_detail", args=[batch.pk]))
        handlers = {
            "upload": self._upload,
            "mark": self._mark,
            "fill": self._fill,
            "submit": self._submit,
            "approve": self._approve,
            "send_back": self._send_back,
            **self.extra_actions(),
        }
        handler = handlers.get(action)
        if handler is None:
            messages.error(request, _("未知的操作"))
            return here
        try:
            response = handler(request, batch, context)
        except batches.BatchInvalid as exc:
            context["problems"] = exc.problems
            return None
        except batches.BatchConflict as exc:
            messages.error(request, str(exc))
        except REFUSALS as exc:
            messages.error(request, str(exc) or _("无权操作"))
        else:
            if response is not False:
                return response
            return None
        return here

    def extra_actions(self) -> dict:
        """Actions a kind's page adds (e.g. the initial passwords of freshmen), by name."""
        return {}

    def _here(self, batch: Batch) -> HttpResponse:
        return HttpResponseRedirect(reverse(f"admin:{self.url_prefix}_detail", args=[batch.pk]))

    def _upload(self, request: HttpRequest, batch: Batch, context: dict) -> HttpResponse | bool:
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("请选择要上传的文件"))
            return self._here(batch)
        # Who may change the list is checked before the file is read (SEC-1).
        if not batches.may_perform(request.user, batch, "submit"):
            raise PermissionDenied(_("只能修改本学院的名单"))
        try:
            content = read_upload(upload)
        except FileFormatError as exc:
            messages.error(request, str(exc))
            return self._here(batch)
        progress = UploadProgress(request)
        progress.reading()
        try:
            parsed = self.items.parse(content, upload.name)
            errors = batches.batch_items_upload(
                actor=request.user, batch_id=batch.pk, kind=self.kind, parsed=parsed
            )
        finally:
            progress.done()
        if errors:
            token = remember_errors(request, content, upload.name, errors)
            context.update(error_context(errors, token=token))
            return False
        messages.success(request, self._summary(batch, _("已上传%(n)d名") % {"n": len(parsed.items)}))
        return self._here(batch)

    def _summary(self, batch: Batch, head: str) -> str:
        """``head`` and the list's outcomes: 已上传120名：报到入学 115名，保留入学资格 3名…"""
        labels = dict(self.items.outcomes.choices)
        counts = self.items.outcome_counts(batch)
        parts = [
            _("%(outcome)s %(n)d名") % {"outcome": labels[value], "n": counts[value]}
            for value in labels
            if counts.get(value)
        ]
        return f"{head}：{'，'.join(parts)}" if parts else head

    def _mark(self, request: HttpRequest, batch: Batch, context: dict) -> HttpResponse | bool:
        """保存 the outcomes chosen on the page: ``outcome_<key>`` and ``reason_<key>`` per person."""
        items = [
            ItemInput(
                key=name.removeprefix("outcome_"),
                outcome=outcome,
                reason=request.POST.get(f"reason_{name.removeprefix('outcome_')}", "")[:200],
            )
            for name, outcome in request.POST.items()
            if name.startswith("outcome_") and outcome
        ]
        errors = batches.batch_items_save(
            actor=request.user, batch_id=batch.pk, kind=self.kind, items=items, replace=False
        )
        if errors:
            context.update(error_context(errors))
            return False
        messages.success(request, _("已保存%(n)d名学生的结论") % {"n": len(items)})
        return self._here(batch)

    def _fill(self, request: HttpRequest, batch: Batch, context: dict) -> HttpResponse:
        count = batches.batch_items_fill(actor=request.user, batch_id=batch.pk, kind=self.kind)
        messages.success(request, _("已加入%(n)d名学生") % {"n": count})
        return self._here(batch)

    def _submit(self, request: HttpRequest, batch: Batch, context: dict) -> HttpResponse:
        batches.batch_submit(actor=request.user, batch_id=batch.pk, kind=self.kind)
        messages.success(request, _("名单已提交，等待教务处审批"))
        return self._here(batch)

    def _approve(self, request: HttpRequest, batch: Batch, context: dict) -> HttpResponse:
        batches.batch_approve(
            actor=request.user,
            batch_id=batch.pk,
            kind=self.kind,
            comment=request.POST.get("comment", ""),
            document_number=request.POST.get("document_number", "")[:100],
        )
        messages.success(request, self.items.texts.get("approved") or _("名单已审批通过"))
        return self._here(batch)

    def _send_back(self, request: HttpRequest, batch: Batch, context: dict) -> HttpResponse:
        batches.batch_return(
            actor=request.user, batch_id=batch.pk, kind=self.kind, comment=request.POST.get("comment", "")
        )
        messages.success(request, _("名单已退回学院"))
        return self._here(batch)


def _resolve(obj: object, dotted: str) -> object:
    """``record.major.name`` of an item; a method at the end (``get_state_display``) is called."""
    for name in dotted.split("."):
        obj = getattr(obj, name, None)
        if obj is None:
            return ""
    return obj() if callable(obj) else obj
