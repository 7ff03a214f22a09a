"""报到注册 each term (ANN-13, SH二(二)1): every in-school student checks in, or asks for leave (请假).

``pending (待报到) → checked_in (已报到)``, or ``pending → on_leave (请假) → checked_in``
when the student comes back. Only a school that turns it on keeps it
(``School.term_check_in``): the national rule does not ask for it, a school may (N28).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition

from registrar.models import College, School, Student, Term
from registrar.models.school import DeadlinePolicy
from registrar.roles import can_write
from registrar.scoping import scoped_queryset

if TYPE_CHECKING:
    from typing import Unpack

    from registrar.transitions import TransitionArgs


def term_check_in_required(school: School | None) -> bool:
    """Whether this school asks every student to check in each term (ANN-13).

    The school's own setting when it saved one; else on for the school whose rules say so
    (上海海洋大学, SH二(二)1), off for the others (the national rule does not require it).
    """
    if school is None:
        return False
    if school.term_check_in is not None:
        return school.term_check_in
    return school.deadline_policy == DeadlinePolicy.SH


class CheckInState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("term check-in", "待报到")
    CHECKED_IN = "checked_in", pgettext_lazy("term check-in", "已报到")
    ON_LEAVE = "on_leave", pgettext_lazy("term check-in", "请假")


def college_records(instance, user) -> bool:
    """College staff and the registrar record check-ins and leave; which college's is the caller's scoping."""
    return can_write(user)


class TermCheckIn(FSMModelMixin, models.Model):
    """学期报到注册: one student in one term (ANN-13). ``college`` is the student's when the term opened."""

    student = models.ForeignKey(
        Student,
        on_delete=models.PROTECT,
        related_name="term_check_ins",
        verbose_name=_("学生"),
        db_index=False,
    )
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="check_ins", verbose_name=_("学期"))
    college = models.ForeignKey(
        College, on_delete=models.PROTECT, related_name="term_check_ins", verbose_name=_("院系")
    )
    state = FSMField(
        _("报到状态"),
        max_length=16,
        choices=CheckInState.choices,
        default=CheckInState.PENDING,
        protected=True,
    )
    checked_in_on = models.DateField(_("报到日期"), null=True, blank=True)
    leave_reason = models.CharField(_("请假事由"), max_length=200, blank=True)
    leave_until = models.DateField(_("请假截止日期"), null=True, blank=True)
    state_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    objects = scoped_queryset(college="college", student="student").as_manager()

    class Meta:
        verbose_name = _("学期报到注册")
        verbose_name_plural = _("学期报到注册")
        ordering = ["-term__start_date", "student"]
        constraints = [models.UniqueConstraint(fields=["student", "term"], name="check_in_once_per_term")]
        indexes = [models.Index(fields=["term", "college", "state"])]

    def __str__(self) -> str:
        return f"{self.term} {self.student_id}"

    S = CheckInState

    @transition(
        field=state,
        source=[S.PENDING, S.ON_LEAVE],
        target=S.CHECKED_IN,
        permission=college_records,
        custom={"label": pgettext_lazy("action", "报到注册")},
    )
    def check_in(self, **args: Unpack[TransitionArgs]) -> None:
        """已报到 (ANN-13): recorded by the student's college, on the day it names (today by default)."""
        self.checked_in_on = args.get("date") or timezone.localdate(args["at"])
        self.state_changed_at = args["at"]

    @transition(
        field=state,
        source=S.PENDING,
        target=S.ON_LEAVE,
        permission=college_records,
        custom={"label": pgettext_lazy("action", "请假")},
    )
    def take_leave(self, **args: Unpack[TransitionArgs]) -> None:
        """请假 (ANN-13): a student who cannot check in on time, with the reason and until when."""
        self.leave_reason = args["reason"]
        self.leave_until = args["date"]
        self.state_changed_at = args["at"]

    del S
