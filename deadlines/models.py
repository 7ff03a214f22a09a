"""The deadline engine's data (时限): rules as data, one violation per rule and subject, reminders.

The tables keep the names they had while the engine lived in the audit app
(``audit_deadlinerule`` …): the move to this app changed no table, so nothing
was locked or copied and the app's database role kept its grants.
"""

from django.apps import apps
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from registrar.models import DeadlinePolicy
from registrar.scoping import scoped_queryset


class Clock(models.TextChoices):
    """What starts a deadline's clock."""

    TERM_START = "term_start", _("开学日期")
    DECISION_DATE = "decision_date", _("学籍处理（发文）日期")
    PHOTO_CAPTURE = "photo_capture", _("图像采集日期")
    GRADUATION_DATE = "graduation_date", _("毕（结）业日期")
    DEFERRAL_END = "deferral_end", _("保留入学资格期满日期")
    PERIOD_END = "period_end", _("休学（保留学籍）期满日期")


class DeadlineUnit(models.TextChoices):
    MONTHS = "months", _("自然月")
    DAYS = "days", _("自然日")
    WORKDAYS = "workdays", _("工作日")
    FIXED_DATE = "fixed_date", _("每年固定日期")


class DeadlineRule(models.Model):
    """时限规则: a kind of subject, what starts its clock, and how long it runs.

    The national values are the rows with ``policy=national``; a row of the
    school's ``deadline_policy`` replaces the national row of the same code, and
    a row tied to the school itself replaces both.
    """

    code = models.SlugField(_("规则代码"), max_length=64)
    name = models.CharField(_("规则名称"), max_length=100)
    kind = models.CharField(_("监控对象种类"), max_length=64)
    clock = models.CharField(_("起算事件"), max_length=32, choices=Clock.choices)
    unit = models.CharField(_("时限单位"), max_length=16, choices=DeadlineUnit.choices)
    length = models.PositiveSmallIntegerField(_("时限长度"), default=0)
    fixed_day = models.CharField(
        _("固定日期（月-日）"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$", _("请按“10-30”的格式填写"))],
    )
    enabled = models.BooleanField(_("启用"), default=True)
    policy = models.CharField(
        _("依据"), max_length=16, choices=DeadlinePolicy.choices, default=DeadlinePolicy.NATIONAL
    )
    school = models.ForeignKey(
        "registrar.School",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deadline_rules",
        verbose_name=_("本校覆盖"),
    )
    rule_ids = models.CharField(_("政策条目"), max_length=50, blank=True, help_text=_("如：ANN-2"))
    basis = models.CharField(_("依据条文"), max_length=200, blank=True)

    objects = scoped_queryset(college=None, public=True).as_manager()

    class Meta:
        db_table = "audit_deadlinerule"
        verbose_name = _("时限规则")
        verbose_name_plural = _("时限规则")
        ordering = ["code", "policy"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "policy"],
                condition=models.Q(school__isnull=True),
                name="deadline_rule_one_per_policy",
            ),
            models.UniqueConstraint(
                fields=["code", "school"],
                condition=models.Q(school__isnull=False),
                name="deadline_rule_one_per_school",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_policy_display() if self.school_id is None else self.school}）"

    @property
    def term_text(self) -> str:
        """The deadline as people say it: “3个自然月”, “15个工作日”, “每年10-30前”, “当日”."""
        if self.unit == DeadlineUnit.FIXED_DATE:
            return f"{self.fixed_day}前"
        if self.length == 0:
            return "当日"  # due on the clock's own date (a deferral's end)
        return f"{self.length}个{self.get_unit_display()}"

    def clean(self) -> None:
        from deadlines.registry import validate_rule

        validate_rule(self)


class DeadlineScan(models.Model):
    """One run of the deadline scan (时限检查), with what it changed."""

    as_of = models.DateField(_("检查日期"))
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    rules = models.PositiveIntegerField(_("检查规则数"), default=0)
    opened = models.PositiveIntegerField(_("新增逾期"), default=0)
    resolved = models.PositiveIntegerField(_("办结"), default=0)
    reopened = models.PositiveIntegerField(_("重新打开"), default=0)
    withdrawn = models.PositiveIntegerField(_("撤销"), default=0)
    reminders = models.PositiveIntegerField(_("提醒"), default=0)

    objects = scoped_queryset(college=None, public=False).as_manager()

    class Meta:
        db_table = "audit_deadlinescan"
        verbose_name = _("时限检查记录")
        verbose_name_plural = _("时限检查记录")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.as_of:%Y-%m-%d} #{self.pk}"


class ViolationState(models.TextChoices):
    OPEN = "open", _("逾期未办")
    RESOLVED = "resolved", _("逾期办结")
    WITHDRAWN = "withdrawn", _("已撤销")


class DeadlineViolation(models.Model):
    """逾期记录: one row per rule and subject, opened, resolved late, reopened or withdrawn by the scan."""

    rule = models.ForeignKey(
        DeadlineRule, on_delete=models.PROTECT, related_name="violations", verbose_name=_("时限规则")
    )
    subject_type = models.CharField(_("对象类型"), max_length=64)
    subject_id = models.BigIntegerField(_("对象编号"))
    college = models.ForeignKey(
        "registrar.College",
        null=True,
        on_delete=models.PROTECT,
        related_name="deadline_violations",
        verbose_name=_("责任院系"),
    )
    student = models.ForeignKey(
        "registrar.Student",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deadline_violations",
        verbose_name=_("学生"),
    )
    clock_start = models.DateField(_("起算日期"))
    due_date = models.DateField(_("截止日期"))
    provisional = models.BooleanField(
        _("暂定"), default=False, help_text=_("截止日期所在年度尚无法定节假日安排，录入后重新计算")
    )
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    days_late = models.IntegerField(_("逾期天数"), default=0)
    state = models.CharField(_("状态"), max_length=16, choices=ViolationState.choices)
    previous_state = models.CharField(
        _("上一状态"), max_length=16, choices=ViolationState.choices, blank=True, default=""
    )
    opened_on = models.DateField(_("发现日期"))
    changed_on = models.DateField(_("状态变更日期"))
    scan = models.ForeignKey(
        DeadlineScan, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("最近检查")
    )

    objects = scoped_queryset(college="college").as_manager()

    class Meta:
        db_table = "audit_deadlineviolation"
        verbose_name = _("逾期记录")
        verbose_name_plural = _("逾期记录")
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject_type", "subject_id"], name="deadline_violation_one_per_subject"
            )
        ]
        indexes = [
            models.Index(fields=["state", "college"]),
            models.Index(fields=["due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.rule.name} {self.subject_type_label}#{self.subject_id}"

    @property
    def subject_type_label(self) -> str:
        """What the subject is, in words (录取数据), not its table's name."""
        try:
            return str(apps.get_model(self.subject_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.subject_type


class DeadlineNotice(models.Model):
    """时限提醒通知: what one college's staff were told about subjects due soon."""

    college = models.ForeignKey(
        "registrar.College", on_delete=models.PROTECT, related_name="deadline_notices", verbose_name=_("院系")
    )
    rule = models.ForeignKey(
        DeadlineRule, on_delete=models.PROTECT, related_name="notices", verbose_name=_("时限规则")
    )
    scan = models.ForeignKey(
        DeadlineScan, null=True, on_delete=models.SET_NULL, related_name="notices", verbose_name=_("检查")
    )
    created_on = models.DateField(_("提醒日期"))
    first_due_date = models.DateField(_("最早截止日期"))
    subject_count = models.PositiveIntegerField(_("待办数量"))
    provisional = models.BooleanField(_("含暂定截止日期"), default=False)
    recipients = models.TextField(_("邮件收件人"), blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    objects = scoped_queryset(college="college").as_manager()

    class Meta:
        db_table = "audit_deadlinenotice"
        verbose_name = _("时限提醒")
        verbose_name_plural = _("时限提醒")
        ordering = ["-created_on", "-id"]

    def __str__(self) -> str:
        return f"{self.college} {self.rule.name} {self.first_due_date:%Y-%m-%d}"

    @property
    def message(self) -> str:
        return (
            f"{self.college}有{self.subject_count}项“{self.rule.name}”将于"
            f"{self.first_due_date:%Y-%m-%d}起到期，请及时办理。"
        )


class DeadlineReminder(models.Model):
    """One subject's reminder for one due date: the unique key keeps it from being sent twice."""

    rule = models.ForeignKey(DeadlineRule, on_delete=models.CASCADE, related_name="+")
    subject_type = models.CharField(max_length=64)
    subject_id = models.BigIntegerField()
    due_date = models.DateField()
    college = models.ForeignKey("registrar.College", null=True, on_delete=models.PROTECT, related_name="+")
    scan = models.ForeignKey(DeadlineScan, null=True, on_delete=models.SET_NULL, related_name="+")
    provisional = models.BooleanField(default=False)
    notice = models.ForeignKey(DeadlineNotice, null=True, on_delete=models.SET_NULL, related_name="reminders")

    objects = scoped_queryset(college="college").as_manager()

    class Meta:
        db_table = "audit_deadlinereminder"
        verbose_name = _("时限提醒明细")
        verbose_name_plural = _("时限提醒明细")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject_type", "subject_id", "due_date"], name="deadline_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_type}:{self.subject_id} {self.due_date:%Y-%m-%d}"
