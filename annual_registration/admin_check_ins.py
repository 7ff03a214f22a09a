"""Staff pages of 学期报到注册 (ANN-13): the term's check-ins, opening a term, 已报到 for many, 请假 for one.

Staff see their colleges' rows; the registrar opens a term; college staff (and the
registrar) record check-ins and leave, always through ``services.check_ins``.
"""

from __future__ import annotations

import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annual_registration.models import CheckInState, TermCheckIn
from annual_registration.services.check_ins import check_in_leave, check_ins_record, term_check_in_open
from registrar.admin_base import ScopedAdmin
from registrar.errors import REFUSALS
from registrar.models import Term
from registrar.roles import can_write, is_registrar


def _changelist(term_id: int | None = None) -> str:
    url = reverse("admin:annual_registration_termcheckin_changelist")
    return f"{url}?term__id__exact={term_id}" if term_id else url


@admin.register(TermCheckIn)
class TermCheckInAdmin(ScopedAdmin):
    """学期报到注册: every student of an open term, 待报到, 已报到 or 请假 (ANN-13)."""

    editable = False
    list_display = [
        "student_number",
        "student_name",
        "college",
        "term",
        "state",
        "checked_in_on",
        "leave",
        "leave_link",
    ]
    list_filter = ["term", "state", ("college", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["student__student_number", "student__name"]
    list_select_related = ["student", "college", "term", "term__academic_year"]
    list_per_page = 100
    actions = ["check_in_selected"]
    change_list_template = "annual_registration/admin/check_in_changelist.html"

    @admin.display(description=gettext_lazy("学号"), ordering="student__student_number")
    def student_number(self, row: TermCheckIn) -> str:
        return row.student.student_number or ""

    @admin.display(description=gettext_lazy("姓名"), ordering="student__name")
    def student_name(self, row: TermCheckIn) -> str:
        return row.student.name

    @admin.display(description=gettext_lazy("请假"))
    def leave(self, row: TermCheckIn) -> str:
        if row.state != CheckInState.ON_LEAVE and not row.leave_reason:
            return ""
        return _("%(reason)s（至%(until)s）") % {
            "reason": row.leave_reason,
            "until": f"{row.leave_until:%Y-%m-%d}" if row.leave_until else "—",
        }

    @admin.display(description=gettext_lazy("办理"))
    def leave_link(self, row: TermCheckIn) -> str:
        if row.state != CheckInState.PENDING:
            return ""
        url = reverse("admin:annual_registration_termcheckin_leave", args=[row.pk])
        return format_html('<a href="{}" class="leave-link">{}</a>', url, _("请假"))

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not can_write(request.user):
            actions.pop("check_in_selected", None)
        return actions

    @admin.action(description=gettext_lazy("所选学生已报到注册"))
    def check_in_selected(self, request, queryset):
        """已报到 for every selected student of one term, in one call of the service (ANN-13)."""
        terms = set(queryset.values_list("term_id", flat=True))
        if len(terms) != 1:
            messages.error(request, _("请只选择同一学期的学生"))
            return
        try:
            count = check_ins_record(
                actor=request.user,
                term_id=terms.pop(),
                student_ids=list(queryset.values_list("student_id", flat=True)),
            )
        except REFUSALS as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已为%(n)d名学生办理报到注册") % {"n": count})

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "is_registrar": is_registrar(request.user)}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        return [
            path(
                "open/",
                self.admin_site.admin_view(self.open_view),
                name="annual_registration_termcheckin_open",
            ),
            path(
                "<int:object_id>/leave/",
                self.admin_site.admin_view(self.leave_view),
                name="annual_registration_termcheckin_leave",
            ),
            *super().get_urls(),
        ]

    def _context(self, request: HttpRequest, title: str) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title}

    def open_view(self, request: HttpRequest) -> HttpResponse:
        """开启学期报到注册 (ANN-13): the registrar picks the term; every in-school student is put on it."""
        if not is_registrar(request.user):
            raise PermissionDenied(_("只有教务处可以开启学期报到注册"))
        if request.method == "POST":
            term = Term.objects.filter(pk=str(request.POST.get("term", "")).strip() or None).first()
            if term is None:
                messages.error(request, _("请选择学期"))
            else:
                try:
                    added = term_check_in_open(actor=request.user, term=term)
                except REFUSALS as exc:
                    messages.error(request, str(exc))
                else:
                    messages.success(
                        request, _("%(term)s报到注册已开启，新增%(n)d名学生") % {"term": term, "n": added}
                    )
                    return redirect(_changelist(term.pk))
        context = {
            **self._context(request, _("开启学期报到注册")),
            "terms": Term.objects.select_related("academic_year")[:6],
        }
        return TemplateResponse(request, "annual_registration/admin/check_in_open.html", context)

    def leave_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """请假 (ANN-13): the reason and the last day of leave, both required."""
        row = self.get_queryset(request).select_related("student", "term").filter(pk=object_id).first()
        if row is None:
            raise Http404(_("报到记录不存在"))
        if not can_write(request.user):
            raise PermissionDenied(_("无权办理报到注册"))
        if request.method == "POST":
            until = _date(request.POST.get("leave_until"))
            try:
                check_in_leave(
                    actor=request.user,
                    term_id=row.term_id,
                    student_id=row.student_id,
                    reason=request.POST.get("leave_reason", ""),
                    until=until,
                )
            except REFUSALS as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("已为%(name)s办理请假") % {"name": row.student.name})
                return redirect(_changelist(row.term_id))
        context = {
            **self._context(request, _("办理请假")),
            "row": row,
            # What was typed stays in the form after a refusal.
            "leave_reason": request.POST.get("leave_reason", ""),
            "leave_until": request.POST.get("leave_until", ""),
        }
        return TemplateResponse(request, "annual_registration/admin/check_in_leave.html", context)


def _date(value: str | None) -> datetime.date | None:
    """A date field's value (YYYY-MM-DD), or None when it is empty or no date: the service then asks for it."""
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None
