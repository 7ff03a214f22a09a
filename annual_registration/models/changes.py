"""学籍异动 and 学籍注销 (ANN-3 to ANN-6): status changes as cases, and what each kind of change does.

A ``StatusChange`` is one student's case: a college files it (draft), submits
it, the registrar approves it with a decision date, a 文号 and the decision
document, or returns it; once approved, the registrar office marks it done on
the national platform (reported). What approval does to the student is data,
one ``ChangeKindSetting`` per kind, which the registrar edits: the 学籍状态
transition it fires, whether the student is still in school, which placement
fields change, whether a period (休学 from–to) is needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition

from registrar import codes
from registrar.models import Batch, College, Student
from registrar.roles import can_write, registrar_decides
from registrar.scoping import scoped_queryset
from registrar.transitions import declared_names

if TYPE_CHECKING:
    from typing import Unpack

    from registrar.transitions import TransitionArgs

Kind = codes.StatusChangeKind

# The placement fields a change may move, by the name a setting and a case use (N12: 院系, 专业, 年级,
# 预计毕业日期, 学制); each is the ``Student`` attribute of the same name but ``grade`` (``grade_year``).
PLACEMENT_FIELDS: dict[str, str] = {
    "college": "college_id",
    "major": "major_id",
    "grade": "grade_year",
    "expected_graduation_date": "expected_graduation_date",
    "program_years": "program_years",
}


def student_transition_choices() -> list[tuple[str, str]]:
    """The 学籍状态 transitions a kind may fire: the ``Student`` declarations, by their labels."""
    from registrar.transitions import transition_label

    return [
        (name, transition_label(Student, name, "student_status"))
        for name in declared_names(Student, "student_status")
    ]


class ChangeKindSetting(models.Model):
    """异动类别设置: what approving a change of this kind does (ANN-4, ANN-5), as data the registrar edits.

    Seeded for every code of ANN-4 by a data migration. ``transition`` names a
    declared ``Student`` transition: its sources say which statuses may take the
    change (复学 only from 休学), its target the resulting status.
    """

    kind = models.CharField(_("异动类别"), max_length=2, choices=Kind.choices, unique=True)
    transition = models.CharField(
        _("学籍状态变更"),
        max_length=32,
        blank=True,
        help_text=_("批准后学生学籍状态如何变化；留空表示学籍状态不变（须为在籍）"),
    )
    in_school = models.BooleanField(_("在校"), default=True, help_text=_("批准后学生是否仍在校学习"))
    changes_college = models.BooleanField(_("变更院系"), default=False)
    changes_major = models.BooleanField(_("变更专业"), default=False)
    changes_grade = models.BooleanField(_("变更年级"), default=False)
    changes_expected_graduation_date = models.BooleanField(_("变更预计毕业日期"), default=False)
    changes_program_years = models.BooleanField(_("变更学制"), default=False)
    needs_period = models.BooleanField(_("须填写起止日期"), default=False, help_text=_("如休学、保留学籍"))
    needs_other_school = models.BooleanField(
        _("须填写转入（转出）学校"), default=False, help_text=_("转学：转入须填写原学校，转出须填写去向学校")
    )
    hidden_under_credit_system = models.BooleanField(
        _("学分制学校不显示"),
        default=False,
        help_text=_("实行学分制的学校无需标注留级、降级、跳级（N12）；取消勾选即可使用"),
    )
    enabled = models.BooleanField(_("启用"), default=True)

    objects = scoped_queryset(college=None, public=True).as_manager()

    class Meta:
        verbose_name = _("异动类别设置")
        verbose_name_plural = _("异动类别设置")
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.kind} {self.get_kind_display()}"

    @property
    def is_deregistration(self) -> bool:
        """学籍注销 (ANN-5): 退学, 取消学籍, 开除学籍, 死亡."""
        return self.kind in codes.DEREGISTRATION_KINDS

    def placement_fields(self) -> tuple[str, ...]:
        """The placement fields this kind changes, in ``PLACEMENT_FIELDS`` order."""
        return tuple(name for name in PLACEMENT_FIELDS if getattr(self, f"changes_{name}"))

    def clean(self) -> None:
        names = declared_names(Student, "student_status")
        if self.transition and self.transition not in names:
            raise ValidationError({"transition": _("未知的学籍状态变更")})
        if self.is_deregistration and self.transition != "deregister":
            raise ValidationError({"transition": _("学籍注销类别的学籍状态变更只能是“学籍注销”（ANN-5）")})


class ChangeState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("status change", "草稿")
    SUBMITTED = "submitted", pgettext_lazy("status change", "待教务处审批")
    APPROVED = "approved", pgettext_lazy("status change", "已批准，待学信网标注")
    REPORTED = "reported", pgettext_lazy("status change", "已在学信网标注")
    RETURNED = "returned", pgettext_lazy("status change", "已退回")
    WITHDRAWN = "withdrawn", pgettext_lazy("status change", "已撤回")


# A student has at most one of these at a time (the database holds it).
OPEN_STATES = (ChangeState.DRAFT, ChangeState.SUBMITTED, ChangeState.RETURNED)
# Decided: the change has moved the student.
DECIDED_STATES = (ChangeState.APPROVED, ChangeState.REPORTED)


def staff_files(instance, user) -> bool:
    """College staff and the registrar file, submit and withdraw changes; which college's is the caller's scoping."""
    return can_write(user)


class StatusChange(FSMModelMixin, models.Model):
    """学籍异动 / 学籍注销 case of one student (ANN-4, ANN-5).

    ``values_before`` and ``values_after`` hold each field the change moves
    (学籍状态 and the placement fields of ``PLACEMENT_FIELDS``): ``after`` as
    filed, ``before`` as the student had them when the change was approved
    (as filed until then). ``batch`` is the college's list that carried it, if any.
    """

    # Empty only for a transfer-in (转入) not yet approved: the person holds no 学籍 here until then,
    # and ``incoming`` says who they are; approval creates the student (``transfer_in``).
    student = models.ForeignKey(
        Student,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="status_changes",
        verbose_name=_("学生"),
    )
    incoming = models.JSONField(
        _("转入学生信息"),
        default=dict,
        blank=True,
        help_text=_("转学（转入）：转入学生的身份和转入后的学号、专业，批准后据此建立学籍"),
    )
    college = models.ForeignKey(
        College,
        on_delete=models.PROTECT,
        related_name="status_changes",
        verbose_name=_("申请院系"),
        help_text=_("提出异动时学生所在院系"),
    )
    kind = models.CharField(_("异动类别"), max_length=2, choices=Kind.choices)
    state = FSMField(
        _("办理状态"), max_length=16, choices=ChangeState.choices, default=ChangeState.DRAFT, protected=True
    )
    reason = models.TextField(_("异动原因"))
    period_start = models.DateField(_("起始日期"), null=True, blank=True)
    period_end = models.DateField(_("截止日期"), null=True, blank=True)
    other_school = models.CharField(_("转入（转出）学校"), max_length=100, blank=True)
    values_before = models.JSONField(_("异动前"), default=dict, blank=True)
    values_after = models.JSONField(_("异动后"), default=dict, blank=True)
    batch = models.ForeignKey(
        Batch,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="status_changes",
        verbose_name=_("异动名单"),
    )
    comment = models.TextField(_("审批意见"), blank=True)
    decision_date = models.DateField(_("学籍处理日期"), null=True, blank=True)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    document_date = models.DateField(
        _("发文日期"), null=True, blank=True, help_text=_("处理决定的发文日期；未填写时按学籍处理日期")
    )
    document = models.FileField(_("处理决定文件"), upload_to="status_changes/%Y/", blank=True)
    period_lapsed_on = models.DateField(
        _("期满未复学（待处理）"),
        null=True,
        blank=True,
        help_text=_("休学或保留学籍期满而未办理复学（恢复学籍）的日期；由教务处处理，不自动退学"),
    )
    period_closed_on = models.DateField(
        _("期满办结日期"), null=True, blank=True, help_text=_("办理复学、恢复学籍或学籍注销的日期")
    )
    created_by = models.ForeignKey(
        "registrar.User", null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("填报人")
    )
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "registrar.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    reported_at = models.DateTimeField(_("学信网标注时间"), null=True, blank=True)

    objects = scoped_queryset(college="college", student="student").as_manager()

    class Meta:
        verbose_name = _("学籍异动")
        verbose_name_plural = _("学籍异动")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Every case names its student, but a transfer-in before approval, whose student is created then.
            models.CheckConstraint(
                condition=Q(student__isnull=False)
                | Q(
                    kind=Kind.TRANSFER_IN, state__in=[s.value for s in (*OPEN_STATES, ChangeState.WITHDRAWN)]
                ),
                name="status_change_names_its_student",
            ),
            # One open change per student at a time: a second one is refused (issue 11, item 3).
            models.UniqueConstraint(
                fields=["student"],
                condition=Q(state__in=[s.value for s in OPEN_STATES]),
                name="status_change_one_open_per_student",
                violation_error_message=_("该学生已有一项未办结的学籍异动"),
            ),
        ]
        indexes = [
            models.Index(fields=["state", "college"]),
            models.Index(fields=["student", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.student_id or self.incoming.get('student_number', '')}"

    @property
    def person(self) -> str:
        """Who the case is about, as pages name them: the student, or the person transferring in."""
        if self.student_id:
            return str(self.student)
        return f"{self.incoming.get('name', '')}（{self.incoming.get('student_number', '')}）"

    @property
    def is_deregistration(self) -> bool:
        return self.kind in codes.DEREGISTRATION_KINDS

    # The batch page reads each item's outcome: a listed change's outcome is its kind.
    @property
    def outcome(self) -> str:
        return self.kind

    def get_outcome_display(self) -> str:
        return self.get_kind_display()

    C = ChangeState

    @transition(
        field=state,
        source=[C.DRAFT, C.RETURNED],
        target=C.SUBMITTED,
        permission=staff_files,
        custom={"label": pgettext_lazy("action", "提交教务处"), "case": True},
    )
    def submit(self, **args: Unpack[TransitionArgs]) -> None:
        """学院提交."""
        self.submitted_at = args["at"]

    @transition(
        field=state,
        source=[C.DRAFT, C.RETURNED],
        target=C.WITHDRAWN,
        permission=staff_files,
        custom={"label": pgettext_lazy("action", "撤回"), "case": True},
    )
    def withdraw(self, **args: Unpack[TransitionArgs]) -> None:
        """撤回 a draft or a returned change: the student may have another one."""

    @transition(
        field=state,
        source=C.SUBMITTED,
        target=C.APPROVED,
        permission=registrar_decides,
        custom={"label": pgettext_lazy("action", "批准"), "case": True},
    )
    def approve(self, **args: Unpack[TransitionArgs]) -> None:
        """学籍处理: the registrar's decision, dated (``date``), with its 文号 and comment."""
        self.decided_by, self.decided_at = args["by"], args["at"]
        self.decision_date = args["date"]
        self.document_number = args.get("document_number", "")
        self.comment = args.get("reason", "")

    @transition(
        field=state,
        source=C.SUBMITTED,
        target=C.RETURNED,
        permission=registrar_decides,
        custom={"label": pgettext_lazy("action", "退回"), "case": True},
    )
    def send_back(self, **args: Unpack[TransitionArgs]) -> None:
        """退回学院修改, with the registrar's reason."""
        self.decided_by, self.decided_at = args["by"], args["at"]
        self.comment = args.get("reason", "")

    @transition(
        field=state,
        source=C.APPROVED,
        target=C.REPORTED,
        permission=registrar_decides,
        custom={"label": pgettext_lazy("action", "标注完成（学信网）"), "case": True},
    )
    def report(self, **args: Unpack[TransitionArgs]) -> None:
        """Marked on the national platform (ANN-5: 15 working days; ANN-6 SH: 30)."""
        self.reported_at = args["at"]

    @transition(
        field=state,
        source=[C.APPROVED, C.REPORTED],
        target=None,
        permission=registrar_decides,
        custom={"label": pgettext_lazy("action", "延长期限"), "case": True},
    )
    def extend_period(self, **args: Unpack[TransitionArgs]) -> None:
        """休学或保留学籍延期 to ``date``: the period's case is settled, the clock runs to the new end."""
        self.period_end = args["date"]
        self.period_lapsed_on = None

    @transition(
        field=state,
        source=[C.APPROVED, C.REPORTED],
        target=None,
        custom={"label": pgettext_lazy("action", "期满未复学，转教务处处理")},
    )
    def lapse(self, **args: Unpack[TransitionArgs]) -> None:
        """The period ended without 复学: a case for the registrar, never an automatic 退学."""
        self.period_lapsed_on = args["date"]

    @transition(
        field=state,
        source=[C.APPROVED, C.REPORTED],
        target=None,
        custom={"label": pgettext_lazy("action", "期满办结")},
    )
    def close_period(self, **args: Unpack[TransitionArgs]) -> None:
        """The student came back (复学, 恢复学籍) or left (学籍注销): the period is over."""
        self.period_closed_on = args["date"]
        self.period_lapsed_on = None

    del C


class ChangeList(Batch):
    """学籍异动名单 (e.g. a class's 转专业): the ``Batch`` rows of kind ``status_change``."""

    class Meta:
        proxy = True
        verbose_name = _("学籍异动名单")
        verbose_name_plural = _("学籍异动名单")
