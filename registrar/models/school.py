"""The school and its reference data: colleges, majors, academic years and terms, and whose deadlines apply."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registrar import codes
from registrar.scoping import scoped_queryset


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
    term_check_in = models.BooleanField(
        _("学期报到注册"),
        null=True,
        blank=True,
        help_text=_(
            "每学期开学时学生须办理报到注册，因故不能如期报到的须请假（上海海洋大学，ANN-13）。"
            "未设置时按时限规定：上海海洋大学开启，其他关闭（国家规定不要求，学校可以从严，N28）。"
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
        return gettext("%(start)s-%(end)s学年") % {"start": self.start_year, "end": self.start_year + 1}


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

    @classmethod
    def current(cls, today: datetime.date | None = None) -> Term | None:
        """The term under way: the latest that has started, else the first to come."""
        today = today or timezone.localdate()
        started = cls.objects.filter(start_date__lte=today).select_related("academic_year").first()
        return started or cls.objects.select_related("academic_year").order_by("start_date").first()
