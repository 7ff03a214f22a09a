"""学籍记载 (ANN-7): rewards, punishments and their lifting, and the other certificates the school issues.

A punishment is lifted (解除) by a decision of its own, with a date and a 文号:
the ``lift`` transition, never an edit of the row. The other certificates
(肄业证书, 学习证明) carry a number of their own, drawn per school, year and kind
from ``CertificateCounter`` (one row per key, incremented in the issuing transaction).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition

from deadlines.clocks import add_months
from registrar.models import School, Student
from registrar.roles import registrar_decides
from registrar.scoping import scoped_queryset

if TYPE_CHECKING:
    from typing import Unpack

    from registrar.transitions import TransitionArgs


class AwardLevel(models.TextChoices):
    """奖励级别."""

    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省部级")
    MUNICIPAL = "municipal", _("地市级")
    SCHOOL = "school", _("校级")
    COLLEGE = "college", _("院级")
    OTHER = "other", pgettext_lazy("award level", "其他")


class Award(models.Model):
    """奖励 (ANN-7): what, at which level, when, and who granted it."""

    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="awards", verbose_name=_("学生")
    )
    name = models.CharField(_("奖励名称"), max_length=100)
    level = models.CharField(_("奖励级别"), max_length=16, choices=AwardLevel.choices)
    awarded_on = models.DateField(_("获奖日期"))
    granting_body = models.CharField(_("授予单位"), max_length=100)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "registrar.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = scoped_queryset(college="student__college", student="student").as_manager()

    class Meta:
        verbose_name = _("奖励")
        verbose_name_plural = _("奖励")
        ordering = ["-awarded_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.awarded_on:%Y-%m-%d}）"


class PunishmentKind(models.TextChoices):
    """处分种类 (ANN-7), from the lightest."""

    WARNING = "warning", _("警告")
    SERIOUS_WARNING = "serious_warning", _("严重警告")
    DEMERIT = "demerit", _("记过")
    PROBATION = "probation", _("留校察看")
    EXPULSION = "expulsion", _("开除学籍")


class PunishmentState(models.TextChoices):
    IN_FORCE = "in_force", _("处分期内")
    LIFTED = "lifted", _("已解除")


class Punishment(FSMModelMixin, models.Model):
    """处分 (ANN-7): kind, reason, 文号, date and period; lifted (解除) by a recorded decision.

    开除学籍 has no period and is never lifted; the student's 学籍 ends through a
    deregistration (学籍注销, ANN-5), which is a status change of its own.
    """

    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="punishments", verbose_name=_("学生")
    )
    kind = models.CharField(_("处分种类"), max_length=16, choices=PunishmentKind.choices)
    reason = models.CharField(_("处分原因"), max_length=500)
    document_number = models.CharField(_("处分文号"), max_length=100)
    decided_on = models.DateField(_("处分日期"))
    period_months = models.PositiveSmallIntegerField(_("处分期限（月）"), null=True, blank=True)
    state = FSMField(
        _("处分状态"),
        max_length=16,
        choices=PunishmentState.choices,
        default=PunishmentState.IN_FORCE,
        protected=True,
    )
    lifted_on = models.DateField(_("解除日期"), null=True, blank=True)
    lift_document_number = models.CharField(_("解除文号"), max_length=100, blank=True)
    lift_reason = models.CharField(_("解除说明"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        "registrar.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = scoped_queryset(college="student__college", student="student").as_manager()

    class Meta:
        verbose_name = _("处分")
        verbose_name_plural = _("处分")
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.document_number}）"

    @property
    def period_end(self) -> datetime.date | None:
        """The last day of the punishment's period (处分期满), or None without a period."""
        if not self.period_months:
            return None
        return add_months(self.decided_on, self.period_months)

    @transition(
        field=state,
        source=PunishmentState.IN_FORCE,
        target=PunishmentState.LIFTED,
        permission=registrar_decides,
        custom={"label": _("解除处分")},
    )
    def lift(self, **args: Unpack[TransitionArgs]) -> None:
        """解除处分 (ANN-7): its date, 文号 and reason belong to the lifted state."""
        self.lifted_on = args["date"]
        self.lift_document_number = args.get("document_number", "")
        self.lift_reason = args.get("reason", "")


class CertificateKind(models.TextChoices):
    """Other certificates a student may be issued (ANN-7, N12)."""

    ATTENDANCE = "attendance", _("肄业证书")
    STUDY = "study", _("学习证明")


# The letter of each kind in its numbers (肄业 Y, 学习 X): 学校代码 + year + letter + a 5-digit sequence.
CERTIFICATE_LETTERS = {CertificateKind.ATTENDANCE: "Y", CertificateKind.STUDY: "X"}


class IssuedCertificate(models.Model):
    """其他证书 (ANN-7): a 肄业证书 or 学习证明 issued to a student, with its own number."""

    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="certificates_issued", verbose_name=_("学生")
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+", verbose_name=_("学校"))
    kind = models.CharField(_("证书种类"), max_length=16, choices=CertificateKind.choices)
    year = models.PositiveSmallIntegerField(_("编号年份"))
    sequence = models.PositiveIntegerField(_("顺序号"))
    number = models.CharField(_("证书编号"), max_length=30, unique=True)
    issued_on = models.DateField(_("发证日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    issued_by = models.ForeignKey(
        "registrar.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = scoped_queryset(college="student__college", student="student").as_manager()

    class Meta:
        verbose_name = _("其他证书")
        verbose_name_plural = _("其他证书（肄业证书、学习证明）")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "kind", "sequence"], name="certificate_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class CertificateCounter(models.Model):
    """The last sequence number given per school, year and kind; raised in the issuing transaction."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+", verbose_name=_("学校"))
    year = models.PositiveSmallIntegerField(_("编号年份"))
    kind = models.CharField(_("证书种类"), max_length=16, choices=CertificateKind.choices)
    last = models.PositiveIntegerField(_("已用顺序号"), default=0)

    objects = scoped_queryset(college=None).as_manager()

    class Meta:
        verbose_name = _("证书编号计数")
        verbose_name_plural = _("证书编号计数")
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "kind"], name="certificate_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()} {self.last}"
