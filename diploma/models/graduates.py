"""预计毕业生 and their 毕(结)业结论: who graduates this year, and what the colleges' lists decided.

The registrar builds the expected-graduate list set-based from in-school students
by expected graduation date (journey 1). Each college then submits its graduation
outcome list (毕业 / 结业 / 肄业, a ``Batch`` of kind ``graduation_outcome``); the
registrar's approval moves each graduate's ``outcome`` through its declared
transition. 肄业 is never diploma-registered (DIP-1): it becomes a 肄业证书 record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from registrar import codes
from registrar.models import Batch, College, Major, Student
from registrar.roles import registrar_decides
from registrar.scoping import scoped_queryset

if TYPE_CHECKING:
    from typing import Unpack

    from registrar.transitions import TransitionArgs


class GraduationOutcome(models.TextChoices):
    """毕(结)业结论 (DIP-1): pending until the college's list is approved."""

    PENDING = "pending", _("待定")
    GRADUATED = "graduated", _("毕业")
    COMPLETED = "completed", _("结业")
    ATTENDED = "attended", _("肄业")


# The outcomes a certificate is registered for (DIP-1); 肄业 is not registered.
CERTIFIED_OUTCOMES = (GraduationOutcome.GRADUATED, GraduationOutcome.COMPLETED)


class ExpectedGraduate(FSMModelMixin, models.Model):
    """预计毕业生: one student expected to graduate in one year, and their 毕(结)业结论.

    ``college``, ``major`` and ``level`` are the student's when the list was built
    (rebuilding refreshes them while the outcome is pending); they place the row
    for scoping and the statistics.
    """

    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="expected_graduations", verbose_name=_("学生")
    )
    graduation_year = models.PositiveSmallIntegerField(_("毕业年份"))
    graduation_date = models.DateField(_("毕业日期"))
    college = models.ForeignKey(
        College, on_delete=models.PROTECT, related_name="+", verbose_name=_("院系"), db_index=False
    )
    major = models.ForeignKey(Major, on_delete=models.PROTECT, related_name="+", verbose_name=_("专业"))
    level = models.CharField(_("层次"), max_length=2, choices=codes.Level.choices)
    outcome = FSMField(
        _("毕(结)业结论"),
        max_length=16,
        choices=GraduationOutcome.choices,
        default=GraduationOutcome.PENDING,
        protected=True,
    )
    outcome_decided_at = models.DateTimeField(_("结论审批时间"), null=True, blank=True)
    outcome_document_number = models.CharField(_("结论文号"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("列入时间"), auto_now_add=True)

    objects = scoped_queryset(college="college", student="student").as_manager()

    class Meta:
        verbose_name = _("预计毕业生")
        verbose_name_plural = _("预计毕业生")
        ordering = ["-graduation_year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["student", "graduation_year"], name="expected_graduate_unique")
        ]
        indexes = [models.Index(fields=["college", "graduation_year", "outcome"])]

    def __str__(self) -> str:
        return f"{self.graduation_year}届 {self.student}"

    G = GraduationOutcome

    @transition(
        field=outcome,
        source=G.PENDING,
        target=G.GRADUATED,
        permission=registrar_decides,
        custom={"label": _("毕业")},
    )
    def graduate(self, **args: Unpack[TransitionArgs]) -> None:
        """毕业, from the approved outcome list (DIP-1)."""
        self.outcome_decided_at = args["at"]
        self.outcome_document_number = args.get("document_number", "")

    @transition(
        field=outcome,
        source=G.PENDING,
        target=G.COMPLETED,
        permission=registrar_decides,
        custom={"label": _("结业")},
    )
    def complete(self, **args: Unpack[TransitionArgs]) -> None:
        """结业, from the approved outcome list (DIP-1)."""
        self.outcome_decided_at = args["at"]
        self.outcome_document_number = args.get("document_number", "")

    @transition(
        field=outcome,
        source=G.PENDING,
        target=G.ATTENDED,
        permission=registrar_decides,
        custom={"label": _("肄业")},
    )
    def attend(self, **args: Unpack[TransitionArgs]) -> None:
        """肄业: not diploma-registered; a 肄业证书 record instead (DIP-1, ANN-7)."""
        self.outcome_decided_at = args["at"]
        self.outcome_document_number = args.get("document_number", "")

    @transition(
        field=outcome,
        source=G.COMPLETED,
        target=G.GRADUATED,
        permission=registrar_decides,
        custom={"label": _("结业换发毕业证书")},
    )
    def exchange(self, **args: Unpack[TransitionArgs]) -> None:
        """结业换毕业 (DIP-11): the graduate now meets the requirements."""
        self.outcome_decided_at = args["at"]
        self.outcome_document_number = args.get("document_number", "")

    del G


class OutcomeItem(models.Model):
    """One graduate in a college's graduation outcome list (``Batch`` of kind ``graduation_outcome``)."""

    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="outcome_items", verbose_name=_("名单")
    )
    graduate = models.ForeignKey(
        ExpectedGraduate, on_delete=models.PROTECT, related_name="items", verbose_name=_("预计毕业生")
    )
    outcome = models.CharField(
        _("毕(结)业结论"),
        max_length=16,
        choices=[c for c in GraduationOutcome.choices if c[0] != GraduationOutcome.PENDING],
    )
    reason = models.CharField(_("说明"), max_length=200, blank=True)

    objects = scoped_queryset(college="batch__college", student="graduate__student").as_manager()

    class Meta:
        verbose_name = _("毕业结论名单条目")
        verbose_name_plural = _("毕业结论名单条目")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["batch", "graduate"], name="outcome_item_unique")]

    def __str__(self) -> str:
        return f"{self.graduate} {self.get_outcome_display()}"


class OutcomeList(Batch):
    """毕业结论名单: the ``Batch`` rows of kind ``graduation_outcome``, for their own staff pages."""

    class Meta:
        proxy = True
        verbose_name = _("毕业结论名单")
        verbose_name_plural = _("毕业结论名单")
