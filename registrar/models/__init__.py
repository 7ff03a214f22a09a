"""The core domain: school, colleges, majors, terms, students, users and the work calendar."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from axes.models import AccessAttempt
from django.contrib.auth.models import AbstractUser
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from registrar import codes
from registrar.idcard import id_number_check
from registrar.roles import Role, college_acts, registrar_decides
from registrar.scoping import scoped_queryset

if TYPE_CHECKING:
    from typing import Unpack

    from registrar.transitions import TransitionArgs


class DeadlinePolicy(models.TextChoices):
    """Which text's deadlines apply: the school's (``School.deadline_policy``) and a rule row's.

    The national rule is the floor (N28): a school's variant only tightens it (POLICY.md ANN-2, ANN-6,
    ANN-12, DIP-11).
    """

    NATIONAL = "national", _("国家规定（默认）")
    JL = "jl", _("吉林师范大学")
    SH = "sh", _("上海海洋大学")
    DL = "dl", _("大连科技学院")


class School(models.Model):
    """学校: one per installation."""

    code = models.CharField(
        _("学校代码"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^\d{5}$", _("学校代码为5位数字"))],
    )
    name = models.CharField(_("学校名称"), max_length=100)
    president_name = models.CharField(_("校(院)长姓名"), max_length=50)
    school_type = models.CharField(
        _("办学类型"), max_length=1, choices=codes.SchoolType.choices, default=codes.SchoolType.REGULAR
    )
    credit_system = models.BooleanField(_("实行学分制"), default=False)
    deadline_policy = models.CharField(
        _("时限规定"),
        max_length=16,
        choices=DeadlinePolicy.choices,
        default=DeadlinePolicy.NATIONAL,
        help_text=_(
            "国家规定是底线，学校规定只能更严（N28）。吉林师范大学：10月30日前上报学年注册统计表；"
            "上海海洋大学：学籍异动30个工作日内更新，结业换发毕业证书10月底注册；"
            "大连科技学院：学院9月底前报送暂缓注册名单。"
        ),
    )
    deferral_months = models.PositiveSmallIntegerField(
        _("保留入学资格期限（月）"), default=12, validators=[MinValueValidator(1)]
    )

    objects = scoped_queryset(college=None, public=True).as_manager()

    class Meta:
        verbose_name = _("学校")
        verbose_name_plural = _("学校")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @classmethod
    def current(cls) -> School | None:
        return cls.objects.order_by("pk").first()


class College(models.Model):
    """二级学院 / 院系 (FY)."""

    code = models.CharField(_("院系代码"), max_length=20, unique=True)
    name = models.CharField(_("院系名称"), max_length=100, unique=True)

    objects = scoped_queryset(college="pk").as_manager()

    class Meta:
        verbose_name = _("二级学院")
        verbose_name_plural = _("二级学院")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Major(models.Model):
    """专业 (ZYDM / ZYMC)."""

    code = models.CharField(_("专业代码"), max_length=20)
    name = models.CharField(_("专业名称"), max_length=100)
    college = models.ForeignKey(
        College, on_delete=models.PROTECT, related_name="majors", verbose_name=_("院系")
    )
    level = models.CharField(_("层次"), max_length=2, choices=codes.Level.choices)
    program_years = models.DecimalField(
        _("学制"), max_digits=3, decimal_places=1, validators=[MinValueValidator(Decimal("1"))]
    )

    objects = scoped_queryset(college="college").as_manager()

    class Meta:
        verbose_name = _("专业")
        verbose_name_plural = _("专业")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["code", "level"], name="major_code_level_unique")]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class AcademicYear(models.Model):
    """学年, e.g. 2026-2027, named by its first calendar year."""

    start_year = models.PositiveSmallIntegerField(_("起始年份"), unique=True)

    objects = scoped_queryset(college=None, public=True).as_manager()

    class Meta:
        verbose_name = _("学年")
        verbose_name_plural = _("学年")
        ordering = ["-start_year"]

    def __str__(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}学年"


class Term(models.Model):
    """学期; its start date starts the clocks of ENR-5 and ANN-2."""

    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.PROTECT, related_name="terms", verbose_name=_("学年")
    )
    number = models.PositiveSmallIntegerField(_("学期"), choices=[(1, _("第一学期")), (2, _("第二学期"))])
    start_date = models.DateField(_("开学日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)

    objects = scoped_queryset(college=None, public=True).as_manager()

    class Meta:
        verbose_name = _("学期")
        verbose_name_plural = _("学期")
        ordering = ["-start_date"]
        constraints = [models.UniqueConstraint(fields=["academic_year", "number"], name="term_unique")]

    def __str__(self) -> str:
        return f"{self.academic_year}{self.get_number_display()}"


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
        """年级: the year of entry."""
        return self.entry_date.year

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


class User(AbstractUser):
    """A person who signs in, with one role. College staff are linked to colleges; a student to a Student."""

    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.STUDENT)
    colleges = models.ManyToManyField(College, blank=True, related_name="staff", verbose_name=_("负责院系"))
    student = models.OneToOneField(
        Student,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account",
        verbose_name=_("学生"),
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class ScheduleYear(models.Model):
    """A year whose State Council holiday schedule the registrar has entered in full.

    For such a year the ``WorkdayOverride`` rows and weekends decide alone; for
    other years the chinese-calendar library does, or, for a year it does not
    know, weekends do, provisionally.
    """

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(
        _("依据文件"), max_length=200, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知")
    )

    objects = scoped_queryset(college=None, public=True).as_manager()

    class Meta:
        verbose_name = _("法定节假日安排年度")
        verbose_name_plural = _("法定节假日安排年度")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class WorkdayOverride(models.Model):
    """A day the registrar marks as a holiday or a make-up workday (调休); wins over the library."""

    day = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    objects = scoped_queryset(college=None, public=True).as_manager()

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["-day"]

    def __str__(self) -> str:
        kind = "工作日" if self.is_workday else "休息日"
        return f"{self.day:%Y-%m-%d} {kind}"


class BatchKind(models.TextChoices):
    """批次种类: which app's items a batch holds."""

    FRESHMAN_REVIEW = "freshman_review", _("新生入学资格审查名单")
    ANNUAL_REGISTRATION = "annual_registration", _("学年注册名单")
    DIPLOMA = "diploma", _("学历注册名单")


class BatchState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    APPROVED = "approved", _("已审批")
    RETURNED = "returned", _("已退回")


class Batch(FSMModelMixin, models.Model):
    """批次 / 名单: a list a college submits and the registrar approves or returns (DESIGN §2.3).

    Items live in each app (e.g. ``enrollment.ReviewItem``); the generic
    workflow, locking and race handling are in ``registrar.batches``.
    """

    kind = models.CharField(_("种类"), max_length=32, choices=BatchKind.choices)
    college = models.ForeignKey(
        College, on_delete=models.PROTECT, related_name="batches", verbose_name=_("院系")
    )
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="batches", verbose_name=_("学期"))
    title = models.CharField(_("名称"), max_length=100, blank=True)
    state = FSMField(
        _("状态"), max_length=16, choices=BatchState.choices, default=BatchState.DRAFT, protected=True
    )
    comment = models.TextField(_("意见"), blank=True)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        "registrar.User", null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        "registrar.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("提交人"),
    )
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

    objects = scoped_queryset(college="college").as_manager()

    class Meta:
        verbose_name = _("批次")
        verbose_name_plural = _("批次")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "college", "state"])]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} #{self.pk}"

    B = BatchState

    @transition(
        field=state,
        source=[B.DRAFT, B.RETURNED],
        target=B.SUBMITTED,
        permission=college_acts,
        custom={"label": pgettext_lazy("action", "提交审批")},
    )
    def submit(self, **args: Unpack[TransitionArgs]) -> None:
        """提交."""
        self.submitted_by, self.submitted_at = args["by"], args["at"]

    @transition(
        field=state,
        source=B.SUBMITTED,
        target=B.APPROVED,
        permission=registrar_decides,
        custom={"label": pgettext_lazy("action", "审批通过")},
    )
    def approve(self, **args: Unpack[TransitionArgs]) -> None:
        """审批通过, with the registrar's comment (``reason``) and 文号."""
        self.decided_by, self.decided_at, self.comment = args["by"], args["at"], args.get("reason", "")
        self.document_number = args.get("document_number", "")

    @transition(
        field=state,
        source=B.SUBMITTED,
        target=B.RETURNED,
        permission=registrar_decides,
        custom={"label": pgettext_lazy("action", "退回")},
    )
    def send_back(self, **args: Unpack[TransitionArgs]) -> None:
        """退回学院修改, with the registrar's comment (``reason``)."""
        self.decided_by, self.decided_at, self.comment = args["by"], args["at"], args.get("reason", "")
        self.document_number = args.get("document_number", "")

    del B


class OutboxMessage(models.Model):
    """A follow-up task written in the transaction of the decision that needs it, sent once a broker takes it.

    A decision commits whether or not the broker is up; the worker's periodic
    drain (``registrar.tasks.drain_outbox``) sends what is still waiting.
    """

    task = models.CharField(_("任务"), max_length=200)
    kwargs = models.JSONField(_("参数"), default=dict)
    created_at = models.DateTimeField(_("写入时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发出时间"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)

    class Meta:
        verbose_name = _("待发任务")
        verbose_name_plural = _("待发任务")
        indexes = [
            models.Index(fields=["created_at"], name="outbox_unsent", condition=Q(sent_at__isnull=True))
        ]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk}"


class SignInLockout(AccessAttempt):
    """A run of failed sign-ins for one account (django-axes' record), as the registrar sees and lifts it."""

    class Meta:
        proxy = True
        verbose_name = _("登录锁定")
        verbose_name_plural = _("登录锁定")
