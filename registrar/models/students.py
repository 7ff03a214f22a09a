"""Students (学籍) with the history of their identity fields, and the 学籍状态 state machine."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from registrar import codes
from registrar.idcard import id_number_check
from registrar.models.school import College, Major
from registrar.roles import registrar_decides
from registrar.scoping import scoped_queryset

if TYPE_CHECKING:
    from typing import Unpack

    from registrar.transitions import TransitionArgs


class Student(FSMModelMixin, models.Model):
    """A student holding, or having held, a 学籍 here.

    Identity fields keep their full history (the value before every change
    stays readable, N19). ``student_status`` is a protected state machine:
    only the transitions below change it, through ``registrar.services``.
    """

    # Identity
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=codes.Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=2, choices=codes.Ethnicity.choices)
    birth_date = models.DateField(_("出生日期"))
    id_type = models.CharField(
        _("证件类型"), max_length=1, choices=codes.IdType.choices, default=codes.IdType.RESIDENT_ID
    )
    id_number = models.CharField(_("证件号码"), max_length=30)
    exam_number = models.CharField(_("考生号"), max_length=20, blank=True)
    student_number = models.CharField(_("学号"), max_length=20, unique=True, null=True, blank=True)
    political_status = models.CharField(
        _("政治面貌"),
        max_length=2,
        choices=codes.PoliticalStatus.choices,
        default=codes.PoliticalStatus.MASSES,
    )
    photo = models.FileField(_("照片"), upload_to="photos/", blank=True)
    # Placement
    # No index of its own: the (college, student_status) index below serves lookups by college.
    college = models.ForeignKey(
        College, on_delete=models.PROTECT, related_name="students", verbose_name=_("院系"), db_index=False
    )
    major = models.ForeignKey(
        Major, on_delete=models.PROTECT, related_name="students", verbose_name=_("专业")
    )
    level = models.CharField(_("层次"), max_length=2, choices=codes.Level.choices)
    program_years = models.DecimalField(_("学制"), max_digits=3, decimal_places=1)
    study_mode = models.CharField(
        _("学习形式"), max_length=1, choices=codes.StudyMode.choices, default=codes.StudyMode.FULL_TIME
    )
    admission_type = models.CharField(
        _("录取类型"), max_length=2, choices=codes.AdmissionType.choices, default=codes.AdmissionType.REGULAR
    )
    class_name = models.CharField(_("班级"), max_length=50, blank=True)
    entry_date = models.DateField(_("入学日期"))
    expected_graduation_date = models.DateField(_("预计毕业日期"), null=True, blank=True)
    # 年级 moves with 留级, 降级, 跳级 (ANN-4); empty while it is the year of entry.
    grade_year = models.PositiveSmallIntegerField(
        _("年级"), null=True, blank=True, help_text=_("留级、降级、跳级后所在年级；空表示入学年份")
    )
    # Status
    student_status = FSMField(
        _("学籍状态"),
        max_length=16,
        choices=codes.StudentStatus.choices,
        default=codes.StudentStatus.IN_SCHOOL,
        protected=True,
    )

    # History rows are looked up by student (id) and date only; the other indexes and the
    # user foreign key would cost every bulk registration without serving a query. The
    # ORM still sets history_user to NULL when a user is deleted.
    history = HistoricalRecords(
        verbose_name=_("学生信息变更记录"),
        excluded_fields=["student_status", "photo"],
        cascade_delete_history=False,
        no_db_index=["college", "major", "student_number"],
        user_db_constraint=False,
    )
    objects = scoped_queryset(college="college", student="pk").as_manager()

    class Meta:
        verbose_name = _("学生")
        verbose_name_plural = _("学生")
        ordering = ["student_number", "pk"]
        constraints = [
            # ENR-6: one full-time 学籍 per person at a time, held by the database itself.
            models.UniqueConstraint(
                fields=["id_type", "id_number"],
                condition=Q(student_status__in=[s.value for s in codes.ACTIVE_STUDENT_STATUSES]),
                name="student_one_active_status_per_person",
                violation_error_message=_("该证件号码已有在籍学籍"),
            ),
            # ENR-6: one spelling per number, so the constraint above compares like with like.
            id_number_check("student_id_number_ascii"),
        ]
        indexes = [
            models.Index(fields=["college", "student_status"]),
            models.Index(fields=["id_number"]),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.student_number or self.exam_number}）"

    @property
    def grade(self) -> int:
        """年级: the year of entry, or the grade a 留级, 降级 or 跳级 moved the student to."""
        return self.grade_year or self.entry_date.year

    # 学籍状态 transitions. Services call them (``registrar.services``); each holds only its guard.
    # Their labels are the plain msgids the status pages already translate.
    S = codes.StudentStatus

    @transition(
        field=student_status,
        source=S.IN_SCHOOL,
        target=S.SUSPENDED,
        permission=registrar_decides,
        custom={"label": _("休学")},
    )
    def suspend(self, **args: Unpack[TransitionArgs]) -> None:
        """休学."""

    @transition(
        field=student_status,
        source=S.SUSPENDED,
        target=S.IN_SCHOOL,
        permission=registrar_decides,
        custom={"label": _("复学")},
    )
    def resume(self, **args: Unpack[TransitionArgs]) -> None:
        """复学."""

    @transition(
        field=student_status,
        source=S.IN_SCHOOL,
        target=S.RETAINED,
        permission=registrar_decides,
        custom={"label": _("保留学籍")},
    )
    def retain(self, **args: Unpack[TransitionArgs]) -> None:
        """保留学籍."""

    @transition(
        field=student_status,
        source=S.RETAINED,
        target=S.IN_SCHOOL,
        permission=registrar_decides,
        custom={"label": _("恢复学籍")},
    )
    def restore(self, **args: Unpack[TransitionArgs]) -> None:
        """恢复学籍."""

    @transition(
        field=student_status,
        source=[S.IN_SCHOOL, S.SUSPENDED, S.RETAINED],
        target=S.DEREGISTERED,
        permission=registrar_decides,
        custom={"label": _("学籍注销")},
    )
    def deregister(self, **args: Unpack[TransitionArgs]) -> None:
        """学籍注销: 退学, 取消学籍, 开除学籍, 死亡 (ANN-5)."""

    @transition(
        field=student_status,
        source=S.IN_SCHOOL,
        target=S.ADMISSION_DEFERRED,
        permission=registrar_decides,
        custom={"label": _("保留入学资格（不具有学籍）")},
    )
    def defer_admission(self, **args: Unpack[TransitionArgs]) -> None:
        """保留入学资格 after registration for health reasons (ENR-5): the admission stays, the 学籍 ends (ENR-4)."""

    @transition(
        field=student_status,
        source=S.ADMISSION_DEFERRED,
        target=S.IN_SCHOOL,
        permission=registrar_decides,
        custom={"label": _("保留入学资格后重新注册学籍")},
    )
    def reregister(self, **args: Unpack[TransitionArgs]) -> None:
        """Back from 保留入学资格, the 复查 passed on an approved list: 学籍 again, same 学号 (ENR-4, ENR-5)."""

    @transition(
        field=student_status,
        source=S.IN_SCHOOL,
        target=S.GRADUATED,
        permission=registrar_decides,
        custom={"label": _("毕业")},
    )
    def graduate(self, **args: Unpack[TransitionArgs]) -> None:
        """毕业."""

    @transition(
        field=student_status,
        source=S.IN_SCHOOL,
        target=S.COMPLETED,
        permission=registrar_decides,
        custom={"label": _("结业")},
    )
    def complete(self, **args: Unpack[TransitionArgs]) -> None:
        """结业."""

    @transition(
        field=student_status,
        source=S.COMPLETED,
        target=S.GRADUATED,
        permission=registrar_decides,
        custom={"label": _("结业换发毕业证书")},
    )
    def exchange_completion(self, **args: Unpack[TransitionArgs]) -> None:
        """结业换发毕业证书 (DIP-11)."""

    del S


# simple-history's model of the rows above (``Student.history``), importable by name as before.
HistoricalStudent = Student.history.model
