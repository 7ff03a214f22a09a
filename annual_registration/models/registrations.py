"""Annual registration (学年电子注册, ANN-1 to ANN-3, ANN-9, ANN-10): one per student and academic year.

``pending → registered (注册学籍) | deferred (暂缓注册) → registered``; a student
who is suspended (休学) or retained (保留学籍) when the year opens gets that
state instead, and returns to ``pending`` when they come back (ANN-3).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition

from registrar.models import AcademicYear, Batch, College, Student
from registrar.roles import registrar_decides
from registrar.scoping import scoped_queryset

if TYPE_CHECKING:
    from typing import Unpack

    from registrar.transitions import TransitionArgs


class AnnualState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("annual registration", "待注册")
    REGISTERED = "registered", pgettext_lazy("annual registration", "已注册")
    DEFERRED = "deferred", pgettext_lazy("annual registration", "暂缓注册")
    RETAINED = "retained", pgettext_lazy("annual registration", "保留学籍")
    SUSPENDED = "suspended", pgettext_lazy("annual registration", "休学")


class DeferralReason(models.TextChoices):
    """Why a registration is deferred (ANN-3): fees unpaid is the common case."""

    FEES_UNPAID = "fees_unpaid", _("未缴费")
    OTHER = "other", _("其他")


class AnnualRegistration(FSMModelMixin, models.Model):
    """学年注册: one student in one academic year (ANN-1).

    ``college`` is the student's college for this year's registration (the
    statistics count by it, ANN-12); a transfer between colleges moves it with
    the student.
    """

    # The roll writes a year's rows in bulk (100,000 at once), so each index and key check here costs
    # every opening: (student, academic_year) is unique, so it serves lookups by student, and the
    # (academic_year, college, state) index lookups by year; neither needs an index of its own. The
    # year and the college are copied, in the roll's one statement, from the locked year and the
    # student row, so the database checks only the student's key (the ORM's PROTECT guards all three).
    student = models.ForeignKey(
        Student,
        on_delete=models.PROTECT,
        related_name="annual_registrations",
        verbose_name=_("学生"),
        db_index=False,
    )
    academic_year = models.ForeignKey(
        AcademicYear,
        on_delete=models.PROTECT,
        related_name="annual_registrations",
        verbose_name=_("学年"),
        db_index=False,
        db_constraint=False,
    )
    college = models.ForeignKey(
        College,
        on_delete=models.PROTECT,
        related_name="annual_registrations",
        verbose_name=_("院系"),
        db_constraint=False,
    )
    state = FSMField(
        _("注册状态"), max_length=16, choices=AnnualState.choices, default=AnnualState.PENDING, protected=True
    )
    deferral_reason = models.CharField(
        _("暂缓原因"), max_length=16, choices=DeferralReason.choices, blank=True
    )
    reason = models.CharField(_("说明"), max_length=200, blank=True)
    registered_on = models.DateField(_("注册日期"), null=True, blank=True)
    state_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    objects = scoped_queryset(college="college", student="student").as_manager()

    class Meta:
        verbose_name = _("学年注册")
        verbose_name_plural = _("学年注册")
        ordering = ["academic_year", "student"]
        constraints = [
            models.UniqueConstraint(fields=["student", "academic_year"], name="annual_once_per_year"),
        ]
        indexes = [models.Index(fields=["academic_year", "college", "state"])]

    def __str__(self) -> str:
        return f"{self.academic_year} {self.student_id}"

    A = AnnualState

    @transition(
        field=state,
        source=[A.PENDING, A.DEFERRED],
        target=A.REGISTERED,
        permission=registrar_decides,
        custom={"label": pgettext_lazy("action", "注册学籍")},
    )
    def register(self, **args: Unpack[TransitionArgs]) -> None:
        """注册学籍 (ANN-1): on the registrar's approval of a college's list, or later once the blocker is gone."""
        self.registered_on = args["at"].date()
        self.deferral_reason, self.state_changed_at = "", args["at"]

    @transition(
        field=state,
        source=A.PENDING,
        target=A.DEFERRED,
        permission=registrar_decides,
        custom={"label": pgettext_lazy("action", "暂缓注册")},
    )
    def defer(self, **args: Unpack[TransitionArgs]) -> None:
        """暂缓注册 (ANN-3), e.g. fees unpaid; the reason is the item's."""
        self.state_changed_at = args["at"]

    @transition(
        field=state,
        source=[A.PENDING, A.DEFERRED],
        target=A.SUSPENDED,
        custom={"label": pgettext_lazy("action", "转为休学")},
    )
    def suspend(self, **args: Unpack[TransitionArgs]) -> None:
        """The student was suspended (休学) during the year: the registration follows (ANN-3)."""
        self.state_changed_at = args["at"]

    @transition(
        field=state,
        source=[A.PENDING, A.DEFERRED],
        target=A.RETAINED,
        custom={"label": pgettext_lazy("action", "转为保留学籍")},
    )
    def retain(self, **args: Unpack[TransitionArgs]) -> None:
        """The student's 学籍 was retained (保留学籍) during the year: the registration follows (ANN-3)."""
        self.state_changed_at = args["at"]

    @transition(
        field=state,
        source=[A.SUSPENDED, A.RETAINED],
        target=A.PENDING,
        custom={"label": pgettext_lazy("action", "恢复待注册")},
    )
    def reopen(self, **args: Unpack[TransitionArgs]) -> None:
        """The student came back (复学, 恢复学籍): this year's registration is open again (ANN-3)."""
        self.state_changed_at = args["at"]

    del A


class FeeStatus(models.TextChoices):
    """缴费情况 from finance; a loan or aid arranged counts as paid (ANN-10)."""

    PAID = "paid", _("已缴费")
    UNPAID = "unpaid", _("未缴费")
    AID = "aid", _("已办理助学贷款或缓缴")


class FeeImport(models.Model):
    """一次缴费数据导入: the finance office's file, who imported it, how many rows."""

    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.PROTECT, related_name="fee_imports", verbose_name=_("学年")
    )
    file_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("文件摘要"), max_length=64)
    row_count = models.PositiveIntegerField(_("行数"), default=0)
    imported_by = models.ForeignKey(
        "registrar.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("导入人")
    )
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    objects = scoped_queryset(college=None).as_manager()

    class Meta:
        verbose_name = _("缴费数据导入")
        verbose_name_plural = _("缴费数据导入")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.academic_year} {self.file_name}"


class FeeRecord(models.Model):
    """One student's fee status for one year, as finance last reported it (ANN-10)."""

    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="fees", verbose_name=_("学生")
    )
    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.PROTECT, related_name="fees", verbose_name=_("学年")
    )
    status = models.CharField(_("缴费情况"), max_length=8, choices=FeeStatus.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    source = models.ForeignKey(
        FeeImport, on_delete=models.PROTECT, related_name="records", verbose_name=_("导入批次")
    )

    objects = scoped_queryset(college="student__college", student="student").as_manager()

    class Meta:
        verbose_name = _("缴费情况")
        verbose_name_plural = _("缴费情况")
        constraints = [models.UniqueConstraint(fields=["student", "academic_year"], name="fee_once_per_year")]

    def __str__(self) -> str:
        return f"{self.student_id} {self.get_status_display()}"


class AnnualOutcome(models.TextChoices):
    """What a college's annual-registration list says of a student (ANN-2, ANN-3)."""

    REGISTER = "register", _("注册学籍")
    DEFER = "defer", _("暂缓注册")


class AnnualItem(models.Model):
    """One student in a college's annual-registration list (``Batch`` of kind ``annual_registration``)."""

    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="annual_items", verbose_name=_("名单")
    )
    registration = models.ForeignKey(
        AnnualRegistration, on_delete=models.PROTECT, related_name="items", verbose_name=_("学年注册")
    )
    outcome = models.CharField(_("注册结论"), max_length=16, choices=AnnualOutcome.choices)
    deferral_reason = models.CharField(
        _("暂缓原因"), max_length=16, choices=DeferralReason.choices, blank=True
    )
    reason = models.CharField(_("说明"), max_length=200, blank=True)

    objects = scoped_queryset(college="batch__college", student="registration__student").as_manager()

    class Meta:
        verbose_name = _("学年注册名单条目")
        verbose_name_plural = _("学年注册名单条目")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["batch", "registration"], name="annual_item_unique")]

    def __str__(self) -> str:
        return f"{self.registration} {self.get_outcome_display()}"


class AnnualList(Batch):
    """学年注册名单: the ``Batch`` rows of kind ``annual_registration``, for their own staff pages."""

    class Meta:
        proxy = True
        verbose_name = _("学年注册名单")
        verbose_name_plural = _("学年注册名单")
