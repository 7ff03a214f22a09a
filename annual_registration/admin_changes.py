"""Staff pages of status changes (学籍异动, ANN-3 to ANN-6): the cases, filing one, deciding it, the lists, the kinds.

Every page reads through ``for_user`` (another college's case is a 404) and
writes through one service; the buttons are the declared transitions the user
may fire now (``custom={"case": True}``). The decision document is read with
the upload toolkit's bounded read and served only to those who see the case.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annual_registration.admin_transfer_in import transfer_in_view
from annual_registration.models import ChangeKindSetting, ChangeList, StatusChange
from annual_registration.models.changes import student_transition_choices
from annual_registration.selectors_changes import changes_for, shown_values
from annual_registration.services.change_approval import status_change_approve
from annual_registration.services.change_rules import (
    FIELD_LABELS,
    ChangeInput,
    kinds_available,
    resulting_status,
)
from annual_registration.services.changes import (
    status_change_extend_period,
    status_change_file,
    status_change_report_many,
    status_change_return,
    status_change_submit,
    status_change_withdraw,
)
from registrar import codes
from registrar.admin_base import ScopedAdmin
from registrar.admin_batches import BatchAdmin
from registrar.errors import REFUSALS
from registrar.models import BatchKind, College, Major, Student
from registrar.proofs import ACCEPT_ATTRIBUTE, read_decision_document
from registrar.roles import can_write
from registrar.transitions import may_fire, transition_label, user_actions
from registrar.uploads import download

# ---------------------------------------------------------------- forms


class FileForm(forms.Form):
    """提出学籍异动: who, which kind, why, and what the kind asks (period, other school, new placement)."""

    student_number = forms.CharField(label=gettext_lazy("学号"), max_length=20)
    kind = forms.ChoiceField(label=gettext_lazy("异动类别"))
    reason = forms.CharField(
        label=gettext_lazy("异动原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )
    period_start = forms.DateField(
        label=gettext_lazy("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=gettext_lazy("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    other_school = forms.CharField(label=gettext_lazy("转入（转出）学校"), max_length=100, required=False)
    college = forms.ModelChoiceField(
        label=gettext_lazy("异动后院系"), queryset=College.objects.all(), required=False
    )
    major = forms.ModelChoiceField(
        label=gettext_lazy("异动后专业"), queryset=Major.objects.all(), required=False
    )
    grade = forms.IntegerField(
        label=gettext_lazy("异动后年级"), min_value=1950, max_value=2100, required=False
    )
    expected_graduation_date = forms.DateField(
        label=gettext_lazy("异动后预计毕业日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    program_years = forms.DecimalField(
        label=gettext_lazy("异动后学制"),
        max_digits=3,
        decimal_places=1,
        min_value=1,
        max_value=10,
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # 转学（转入） names someone who is no student here yet: it has a page of its own.
        self.fields["kind"].choices = [
            (s.kind, f"{s.kind} {s.get_kind_display()}")
            for s in kinds_available()
            if s.kind != codes.StatusChangeKind.TRANSFER_IN
        ]

    def change_input(self) -> ChangeInput:
        data = self.cleaned_data
        values = {
            "college": data["college"].pk if data["college"] else None,
            "major": data["major"].pk if data["major"] else None,
            "grade": data["grade"],
            "expected_graduation_date": data["expected_graduation_date"],
            "program_years": data["program_years"],
        }
        return ChangeInput(
            kind=data["kind"],
            reason=data["reason"],
            values={name: value for name, value in values.items() if value not in (None, "")},
            period_start=data["period_start"],
            period_end=data["period_end"],
            other_school=data["other_school"],
        )


class ApproveForm(forms.Form):
    """学籍处理: the decision date, its 文号, the document's issue date and the document itself (ANN-5, ANN-6)."""

    decision_date = forms.DateField(
        label=gettext_lazy("学籍处理日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    document_number = forms.CharField(label=gettext_lazy("文号"), max_length=100)
    document_date = forms.DateField(
        label=gettext_lazy("发文日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    document = forms.FileField(
        label=gettext_lazy("处理决定文件"),
        help_text=gettext_lazy("学籍处理决定的扫描件：PDF、JPG 或 PNG"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )
    comment = forms.CharField(label=gettext_lazy("审批意见"), required=False, max_length=500)


class ExtendForm(forms.Form):
    """延长休学（保留学籍）期限."""

    period_end = forms.DateField(
        label=gettext_lazy("新的截止日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=gettext_lazy("延长原因"), max_length=500)
    document_number = forms.CharField(label=gettext_lazy("文号"), max_length=100, required=False)


class LapsedFilter(admin.SimpleListFilter):
    """期满未复学: 休学 or 保留学籍 past its end, waiting for the registrar (issue 11, item 4)."""

    title = gettext_lazy("期满未复学")
    parameter_name = "lapsed"

    def lookups(self, request, model_admin):
        return [("yes", _("待教务处处理"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(period_lapsed_on__isnull=False, period_closed_on__isnull=True)
        return queryset


# ---------------------------------------------------------------- the cases


@admin.register(StatusChange)
class StatusChangeAdmin(ScopedAdmin):
    """学籍异动: every case the user may see, filing, and each case's page with its decisions."""

    editable = False
    list_display = [
        "student_number",
        "student_name",
        "kind",
        "state",
        "college",
        "decision_date",
        "document_number",
        "period_end",
        "period_lapsed_on",
    ]
    list_filter = ["state", "kind", LapsedFilter, "college"]
    search_fields = ["student__student_number", "student__name", "document_number"]
    list_select_related = ["student", "college"]
    actions = ["report_selected"]

    @admin.display(description=gettext_lazy("学号"), ordering="student__student_number")
    def student_number(self, obj: StatusChange) -> str:
        if obj.student is None:  # a transfer-in before approval
            return obj.incoming.get("student_number", "")
        return obj.student.student_number or ""

    @admin.display(description=gettext_lazy("姓名"))
    def student_name(self, obj: StatusChange) -> str:
        return obj.student.name if obj.student is not None else obj.incoming.get("name", "")

    def has_add_permission(self, request) -> bool:
        return can_write(request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not may_fire(request.user, StatusChange(), "report"):  # the declaration's permission=
            actions.pop("report_selected", None)
        return actions

    @admin.action(description=gettext_lazy("所选异动已在学信网标注完成"))
    def report_selected(self, request, queryset):
        try:
            count = status_change_report_many(
                actor=request.user, change_ids=list(queryset.values_list("pk", flat=True))
            )
        except REFUSALS as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已标注%(n)d项学籍异动") % {"n": count})

    def get_urls(self):
        return [
            path(
                "file/",
                self.admin_site.admin_view(self.file_view),
                name="annual_registration_statuschange_file",
            ),
            path(
                "transfer-in/",
                self.admin_site.admin_view(lambda request: transfer_in_view(self, request)),
                name="annual_registration_statuschange_transfer_in",
            ),
            path(
                "<int:change_id>/case/",
                self.admin_site.admin_view(self.detail_view),
                name="annual_registration_statuschange_detail",
            ),
            path(
                "<int:change_id>/document/",
                self.admin_site.admin_view(self.document_view),
                name="annual_registration_statuschange_document",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:annual_registration_statuschange_file")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("admin:annual_registration_statuschange_detail", change_id=object_id)

    def _context(self, request: HttpRequest, **values) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.model._meta, **values}

    def file_view(self, request: HttpRequest) -> HttpResponse:
        """提出学籍异动 for a student of one's colleges; every refusal with its reason (ANN-4, ANN-5)."""
        if not can_write(request.user):
            raise PermissionDenied
        form = FileForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            student = (
                Student.objects.for_user(request.user)
                .filter(student_number=form.cleaned_data["student_number"])
                .first()
            )
            if student is None:
                form.add_error("student_number", _("本人权限范围内没有该学号的学生"))
            else:
                try:
                    change = status_change_file(
                        actor=request.user, student_id=student.pk, given=form.change_input()
                    )
                except REFUSALS as exc:
                    messages.error(request, str(exc))
                else:
                    messages.success(request, _("已保存为草稿，请核对后提交教务处"))
                    return redirect("admin:annual_registration_statuschange_detail", change_id=change.pk)
        context = self._context(request, title=_("提出学籍异动"), form=form, settings=kinds_available())
        return TemplateResponse(request, "annual_registration/admin/change_file.html", context)

    def _change(self, request: HttpRequest, change_id: int) -> StatusChange:
        change = changes_for(request.user).filter(pk=change_id).first()
        if change is None:
            raise Http404
        return change

    def detail_view(self, request: HttpRequest, change_id: int) -> HttpResponse:
        """One case: the student, what changes before → after, the decision, and the moves now possible."""
        change = self._change(request, change_id)
        approve_form, extend_form = ApproveForm(), ExtendForm()
        if request.method == "POST":
            action = request.POST.get("action", "")
            approve_form = ApproveForm(request.POST, request.FILES) if action == "approve" else approve_form
            extend_form = ExtendForm(request.POST) if action == "extend_period" else extend_form
            if self._decide(request, change, action, approve_form, extend_form):
                return redirect("admin:annual_registration_statuschange_detail", change_id=change.pk)
            change = self._change(request, change_id)
        actions = dict(user_actions(request.user, change, case=True))
        if change.period_end is None or change.period_closed_on is not None:
            actions.pop("extend_period", None)
        setting = ChangeKindSetting.objects.filter(kind=change.kind).first()
        target = resulting_status(setting) if setting else None
        context = self._context(
            request,
            title=f"{change.get_kind_display()}：{change.person}",
            change=change,
            values=shown_values([change])[change.pk],
            actions=actions,
            approve_form=approve_form,
            extend_form=extend_form,
            resulting_status=codes.label_of(codes.StudentStatus, target) if target else "",
            deregistration=change.is_deregistration,
            document_url=reverse("admin:annual_registration_statuschange_document", args=[change.pk])
            if change.document
            else "",
        )
        return TemplateResponse(request, "annual_registration/admin/change_detail.html", context)

    def _decide(self, request, change, action, approve_form: ApproveForm, extend_form: ExtendForm) -> bool:
        """Call the one service of ``action``; a refusal is a message on the page (False)."""
        actor = request.user
        try:
            if action == "submit":
                status_change_submit(actor=actor, change_id=change.pk)
            elif action == "withdraw":
                status_change_withdraw(actor=actor, change_id=change.pk)
            elif action == "send_back":
                status_change_return(
                    actor=actor, change_id=change.pk, comment=request.POST.get("comment", "")[:500]
                )
            elif action == "report":
                status_change_report_many(actor=actor, change_ids=[change.pk])
            elif action == "approve":
                if not may_fire(actor, change, "approve"):
                    raise PermissionDenied(_("只有教务处可以审批学籍异动"))
                if not approve_form.is_valid():
                    return False
                data = approve_form.cleaned_data
                status_change_approve(
                    actor=actor,
                    change_id=change.pk,
                    decision_date=data["decision_date"],
                    document_number=data["document_number"],
                    document=read_decision_document(data["document"]),
                    document_date=data["document_date"],
                    comment=data["comment"],
                )
            elif action == "extend_period":
                if not extend_form.is_valid():
                    return False
                data = extend_form.cleaned_data
                status_change_extend_period(
                    actor=actor,
                    change_id=change.pk,
                    period_end=data["period_end"],
                    reason=data["reason"],
                    document_number=data["document_number"],
                )
            else:
                messages.error(request, _("未知的操作"))
                return False
        except (StatusChange.DoesNotExist, *REFUSALS) as exc:
            messages.error(request, str(exc) or _("无权操作"))
            return False
        messages.success(
            request, _("已办理：%(action)s") % {"action": transition_label(StatusChange, action)}
        )
        return True

    def document_view(self, request: HttpRequest, change_id: int) -> HttpResponse:
        """处理决定文件, only for those who see the case (SEC-2)."""
        change = self._change(request, change_id)
        if not change.document:
            raise Http404
        with change.document.open("rb") as handle:
            content = handle.read()
        name = PurePosixPath(change.document.name).name
        return download(content, name, _content_type(name))


def _content_type(name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    return {".pdf": "application/pdf", ".png": "image/png"}.get(suffix, "image/jpeg")


# ---------------------------------------------------------------- lists and kinds


@admin.register(ChangeList)
class ChangeListAdmin(BatchAdmin):
    """学籍异动名单: the core's list page, with each listed change's values before → after."""

    kind = BatchKind.STATUS_CHANGE
    detail_template = "annual_registration/admin/change_list_detail.html"

    def detail_view(self, request: HttpRequest, batch_id: int) -> HttpResponse:
        response = super().detail_view(request, batch_id)
        if isinstance(response, TemplateResponse) and "batch" in response.context_data:
            listed = (
                StatusChange.objects.filter(batch_id=batch_id)
                .select_related("student")
                .order_by("student__student_number")
            )
            shown = shown_values(listed)
            response.context_data["listed"] = [(change, shown[change.pk]) for change in listed]
        return response


class KindSettingForm(forms.ModelForm):
    transition = forms.ChoiceField(label=gettext_lazy("学籍状态变更"), required=False)

    class Meta:
        model = ChangeKindSetting
        fields = [
            "transition",
            "in_school",
            "changes_college",
            "changes_major",
            "changes_grade",
            "changes_expected_graduation_date",
            "changes_program_years",
            "needs_period",
            "needs_other_school",
            "hidden_under_credit_system",
            "enabled",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["transition"].choices = [("", _("（学籍状态不变）")), *student_transition_choices()]


@admin.register(ChangeKindSetting)
class ChangeKindSettingAdmin(ScopedAdmin):
    """异动类别设置 (ANN-4, ANN-5): what each kind does; the registrar edits, everyone on staff reads."""

    form = KindSettingForm
    list_display = [
        "kind",
        "transition_shown",
        "in_school",
        "placement_shown",
        "needs_period",
        "needs_other_school",
        "hidden_under_credit_system",
        "enabled",
    ]
    list_filter = ["enabled", "in_school"]
    readonly_fields = ["kind"]

    @admin.display(description=gettext_lazy("批准后学籍状态"))
    def transition_shown(self, obj: ChangeKindSetting) -> str:
        if not obj.transition:
            return _("不变")
        target = resulting_status(obj)
        return f"{transition_label(Student, obj.transition, 'student_status')} → {codes.label_of(codes.StudentStatus, target)}"

    @admin.display(description=gettext_lazy("变更的学籍信息"))
    def placement_shown(self, obj: ChangeKindSetting) -> str:
        return "、".join(str(FIELD_LABELS[name]) for name in obj.placement_fields()) or "—"

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
