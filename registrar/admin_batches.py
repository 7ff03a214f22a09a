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
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from registrar import batches
from registrar.admin_base import ScopedAdmin
from registrar.batch_kinds import BatchItems, ItemInput, items_of, resolve
from registrar.errors import REFUSALS
from registrar.models import Batch, BatchKind, BatchState, College, Term
from registrar.proofs import ACCEPT_ATTRIBUTE, read_proofs
from registrar.roles import is_college_staff, is_registrar
from registrar.sheets.cells import parse_date
from registrar.sheets.errors import FileFormatError
from registrar.sheets.limits import read_upload
from registrar.sheets.tables import RowError
from registrar.uploads import UploadProgress, error_context, remember_errors


@dataclass(frozen=True)
class PageRow:
    """One item as the page shows it: its key (考生号, 学号), the kind's columns and its end date."""

    item: Any
    key: str
    cells: list[Any]
    end_date: datetime.date | None
    outcome: str = ""
    outcome_label: str = ""


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
        """新建名单: a college the user may act for, and a term (the current one unless chosen); a name by default."""
        colleges = College.objects.for_user(request.user)
        terms = Term.objects.select_related("academic_year").order_by("-start_date")[:6]
        current = Term.current()
        if request.method == "POST":
            college = colleges.filter(pk=request.POST.get("college")).first()
            term = (
                Term.objects.filter(pk=request.POST.get("term")).first() if request.POST.get("term") else None
            )
            if college is None:
                messages.error(request, _("请选择院系"))
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
        context = self._context(
            request,
            title=self.items.texts["new"],
            colleges=colleges,
            terms=terms,
            current_term=current,
            kind_label=BatchKind(self.kind).label,
        )
        return TemplateResponse(request, "registrar/batches/new.html", context)

    def detail_view(self, request: HttpRequest, batch_id: int) -> HttpResponse:
        """A list: its summary, its items (searched, filtered, paged), the marks and changes of many at
        once while editable, the proofs, and the decision buttons (approval asks for confirmation)."""
        batch = self.get_queryset(request).filter(pk=batch_id).select_related("college", "term").first()
        if batch is None:
            raise Http404
        context = self._context(
            request,
            title=str(batch),
            batch=batch,
            outcomes=self.items.outcomes.choices,
            token=secrets.token_urlsafe(12),
            detail_url=reverse(f"admin:{self.url_prefix}_detail", args=[batch.pk]),
        )
        if request.method == "POST":
            response = self._handle(request, batch, context)
            if response is not None:
                return response
            batch = self.get_queryset(request).filter(pk=batch_id).first()
            if batch is None:  # deleted
                return redirect(f"admin:{self.url_prefix}_changelist")
            context["batch"] = batch
        context["actions"] = batches.batch_actions(user=request.user, batch=batch)
        context["editable"] = batches.can_edit(request.user, batch)
        context["deletable"] = context["editable"] and batch.state == BatchState.DRAFT
        context["summary"] = self.items.summary(batch)
        context["exceptions"] = set(self.items.exception_outcomes)
        context["needs_document"] = bool(batches.document_problems(self.items, batch, ""))
        context["attachments"] = list(batch.attachments.select_related("uploaded_by"))
        context["accept"] = ACCEPT_ATTRIBUTE
        context["default_end_date"] = self.items.default_end_date()
        context.update(self._page(request, batch))
        if context["editable"] and request.GET.get("show") == "candidates":
            context["candidates"] = self._candidates(request, batch)
        if context.get("confirm_approve"):
            context["exception_rows"] = self._exception_rows(batch)
        return TemplateResponse(request, self.detail_template, context)

    # ---------------------------------------------------------------- the items, as the page shows them
    PER_PAGE = 50

    def _filtered(self, request: HttpRequest, batch: Batch):
        """The list's items matching the page's search (考生号/学号 or 姓名) and outcome filter."""
        handler = self.items
        items = handler.search(handler.items(batch), request.GET.get("q", ""))
        outcome = request.GET.get("outcome", "")
        if outcome in handler.outcomes.values:
            items = items.filter(**{handler.outcome_field: outcome})
        return items

    def _page(self, request: HttpRequest, batch: Batch) -> dict:
        items = self._filtered(request, batch)
        page = Paginator(items, self.PER_PAGE).get_page(request.GET.get("page"))
        return {
            "rows": [self._row(item) for item in page.object_list],
            "page_obj": page,
            "total": self.items.item_model._default_manager.filter(batch=batch).count(),
            "matching": page.paginator.count,
            "q": request.GET.get("q", ""),
            "outcome_filter": request.GET.get("outcome", ""),
            "query": _query(request, exclude="page"),
        }

    def _row(self, item: Any) -> PageRow:
        handler = self.items
        return PageRow(
            item=item,
            key=str(resolve(item, handler.key_path)),
            cells=self._cells(item),
            end_date=getattr(item, handler.end_date_field, None) if handler.end_date_field else None,
            outcome=getattr(item, handler.outcome_field),
            outcome_label=str(dict(handler.outcomes.choices).get(getattr(item, handler.outcome_field), "")),
        )

    def _exception_rows(self, batch: Batch) -> list[PageRow]:
        """The people with an exceptional outcome (取消, 放弃, 保留), for the registrar to read before approving."""
        handler = self.items
        if not handler.exception_outcomes:
            return []
        items = handler.items(batch).filter(**{f"{handler.outcome_field}__in": handler.exception_outcomes})
        order = {o: i for i, o in enumerate(handler.exception_outcomes)}
        rows = [self._row(item) for item in items[:200]]
        return sorted(rows, key=lambda row: order[row.outcome])

    def _candidates(self, request: HttpRequest, batch: Batch) -> list[tuple[str, list]]:
        """Who may still be added, matching the search, at most 200."""
        text = request.GET.get("cq", "").strip()
        found = []
        for candidate in self.items.candidates(request.user, batch, limit=5000):
            key = self.items.candidate_key(candidate)
            cells = self._cells(candidate, candidate=True)
            if not text or key.startswith(text) or (cells and text in str(cells[0])):
                found.append((key, cells))
            if len(found) >= 200:
                break
        return found

    def _cells(self, obj: object, *, candidate: bool = False) -> list:
        """The page's columns of one item, or of a candidate (whose paths start one step further in)."""
        cells = []
        for column in self.items.columns:
            if candidate and column.item_only:
                cells.append("")
                continue
            path = column.path.split(".", 1)[1] if candidate else column.path
            cells.append(resolve(obj, path))
        return cells

    # ---------------------------------------------------------------- actions
    def _handle(self, request: HttpRequest, batch: Batch, context: dict) -> HttpResponse | None:
        action = request.POST.get("action", "")
        here = self._here(batch, request)
        handlers = {
            "upload": self._upload,
            "mark": self._mark,
            "bulk": self._bulk,
            "remove": self._remove,
            "fill": self._fill,
            "delete": self._delete,
            "attach": self._attach,
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

    def _here(self, batch: Batch, request: HttpRequest | None = None) -> HttpResponse:
        """Back to the list's page, keeping its search, filter and page."""
        url = reverse(f"admin:{self.url_prefix}_detail", args=[batch.pk])
        query = _query(request) if request is not None else ""
        return HttpResponseRedirect(f"{url}?{query}" if query else url)

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
        messages.success(
            request, self._summary(batch, _("已上传%(n)d行，名单现有") % {"n": len(parsed.items)})
        )
        return self._here(batch)

    def _summary(self, batch: Batch, head: str) -> str:
        """``head`` and the list's outcomes, exceptions first: 已上传120行，名单现有：取消入学资格 1名，报到入学 115名…"""
        parts = [
            _("%(outcome)s %(n)d名") % {"outcome": label, "n": n}
            for _v, label, n in self.items.summary(batch)
        ]
        return f"{head}：{'，'.join(parts)}" if parts else head

    def _mark(self, request: HttpRequest, batch: Batch, context: dict) -> HttpResponse | bool:
        """保存 the outcomes chosen on the page: ``outcome_<key>``, ``end_<key>`` and ``reason_<key>`` per person."""
        handler = self.items
        items = []
        bad_dates = []
        for name, outcome in request.POST.items():
            if not name.startswith("outcome_") or not outcome:
                continue
            key = name.removeprefix("outcome_")
            end_date = None
            if outcome in handler.dated_outcomes:
                text = request.POST.get(f"end_{key}", "")
                end_date = _date(text)
                if text and end_date is None:
                    bad_dates.append(
                        RowError(
                            0,
                            str(handler.end_date_label),
                            _("%(key)s：日期格式应为2026-09-01") % {"key": key},
                        )
                    )
            items.append(
                ItemInput(
                    key=key,
                    outcome=outcome,
                    end_date=end_date,
                    reason=request.POST.get(f"reason_{key}", "")[:200],
                )
            )
        errors = bad_dates or batches.batch_items_save(
            actor=request.user, batch_id=batch.pk, kind=self.kind, items=items, replace=False
        )
        if errors:
            context.update(error_context(errors))
            return False
        messages.success(
            request, self._summary(batch, _("已保存%(n)d名学生的结论，名单现有") % {"n": len(items)})
        )
        return self._here(batch, request)

    def _selected(self, request: HttpRequest, batch: Batch) -> list[str]:
        """The people a change of many applies to: those ticked, or every one the search and filter find."""
        if request.POST.get("all_matching") == "1":
            handler = self.items
            keys = self._filtered(request, batch).values_list(handler.lookup(handler.key_path), flat=True)
            return [str(k) for k in keys]
        return request.POST.getlist("selected")

    def _bulk(self, request: HttpRequest, batch: Batch, context: dict) -> HttpResponse | bool:
        """批量设置结论: the chosen outcome (with its end date and reason) for every selected person."""
        keys = self._selected(request, batch)
        if not keys:
            messages.error(request, _("请先勾选学生，或选择“应用于筛选出的全部学生”"))
            return self._here(batch, request)
        text = request.POST.get("bulk_end_date", "")
        end_date = _date(text)
        if text and end_date is None:
            messages.error(request, _("截止日期格式应为2026-09-01"))
            return self._here(batch, request)
        errors = batches.batch_items_set_outcome(
            actor=request.user,
            batch_id=batch.pk,
            kind=self.kind,
            keys=keys,
            outcome=request.POST.get("bulk_outcome", ""),
            end_date=end_date,
            reason=request.POST.get("bulk_reason", "")[:200],
        )
        if errors:
            context.update(error_context(errors))
            return False
        messages.success(
            request, self._summary(batch, _("已为%(n)d名学生设置结论，名单现有") % {"n": len(keys)})
        )
        return self._here(batch, request)

    def _remove(self, request: HttpRequest, batch: Batch, context: dict) -> HttpResponse:
        keys = self._selected(request, batch)
        if not keys:
            messages.error(request, _("请先勾选要移除的学生"))
            return self._here(batch, request)
        count = batches.batch_items_remove(actor=request.user, batch_id=batch.pk, kind=self.kind, keys=keys)
        messages.success(request, _("已从名单中移除%(n)d名学生") % {"n": count})
        return self._here(batch)

    def _fill(self, request: HttpRequest, batch: Batch, context: dict) -> HttpResponse:
        count = batches.batch_items_fill(actor=request.user, batch_id=batch.pk, kind=self.kind)
        messages.success(request, _("已加入%(n)d名学生") % {"n": count})
        return self._here(batch)

    def _delete(self, request: HttpRequest, batch: Batch, context: dict) -> HttpResponse:
        batches.batch_delete(actor=request.user, batch_id=batch.pk, kind=self.kind)
        messages.success(request, _("名单“%(name)s”已删除") % {"name": batch})
        return redirect(f"admin:{self.url_prefix}_changelist")

    def _attach(self, request: HttpRequest, batch: Batch, context: dict) -> HttpResponse:
        """补充证明材料: the role and the list's state first, then each file bounded in size and type."""
        if not batches.can_edit(request.user, batch):
            raise PermissionDenied(_("只能为本学院草稿或已退回的名单补充证明材料"))
        proofs = read_proofs(request.FILES.getlist("proofs"))
        count = batches.batch_attachments_add(
            actor=request.user, batch_id=batch.pk, kind=self.kind, proofs=proofs
        )
        messages.success(request, _("已上传%(n)d个证明材料") % {"n": count})
        return self._here(batch)

    def _submit(self, request: HttpRequest, batch: Batch, context: dict) -> HttpResponse:
        batches.batch_submit(actor=request.user, batch_id=batch.pk, kind=self.kind)
        messages.success(request, _("名单已提交，等待教务处审批"))
        return self._here(batch)

    def _approve(self, request: HttpRequest, batch: Batch, context: dict) -> HttpResponse | bool:
        """审批通过, after the registrar has seen the summary (exceptions first) and confirmed."""
        if request.POST.get("confirmed") != "1":
            if "approve" not in dict(batches.batch_actions(user=request.user, batch=batch)):
                raise batches.BatchConflict(
                    _("名单当前状态为“%(state)s”，不能审批通过（可能已被他人处理）")
                    % {"state": batch.get_state_display()}
                )
            context["confirm_approve"] = True
            context["document_number"] = request.POST.get("document_number", "")
            context["comment"] = request.POST.get("comment", "")
            return False
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
            actor=request.user,
            batch_id=batch.pk,
            kind=self.kind,
            comment=request.POST.get("comment", ""),
            attachments_requested=request.POST.get("attachments_requested") == "1",
        )
        messages.success(request, _("名单已退回学院"))
        return self._here(batch)


def _date(text: str) -> datetime.date | None:
    """A date the page's date input sent (2026-09-01), None when empty or not a date."""
    try:
        return parse_date(text) if text.strip() else None
    except ValueError:
        return None


def _query(request: HttpRequest, exclude: str = "") -> str:
    """The page's search, filter and page as a query string (the page's own GET, kept across actions)."""
    kept = {
        k: v
        for k, v in request.GET.items()
        if k in ("q", "outcome", "page", "show", "cq") and k != exclude and v
    }
    return urlencode(kept)
