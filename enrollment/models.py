"""Freshman registration (新生学籍注册): admission data, review items, corrections, student feedback.

The state machine of DESIGN.md §2.2 lives on ``AdmissionRecord.state``; the
transitions below are its only table. Services in ``enrollment.services``
call them; the set-based approval path reads their sources from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from registrar import codes
from registrar.idcard import id_number_check
from registrar.models import Batch, College, Major, Student, Term
from registrar.roles import registrar_decides
from registrar.scoping import scoped_queryset

if TYPE_CHECKING:
    from typing import Unpack

    from registrar.transitions import TransitionArgs


class AdmissionState(models.TextChoices):
    IMPORTED = "imported", _("已录取")
    ADMITTED = "admitted", _("办理入学")
    REGISTERED = "registered", _("已注册学籍")
    FORFEITED = "forfeited", _("放弃入学资格")
    DEFERRED = "deferred", _("保留入学资格")
    CANCELLED = "cancelled", _("取消入学资格")


class ReviewOutcome(models.TextChoices):
    """入学资格审查结论 (ENR-3)."""

    PASSED = "passed", _("报到入学")
    FORFEITED = "forfeited", _("放弃入学资格")
    DEFERRED = "deferred", _("保留入学资格")
    CANCELLED = "cancelled", _("取消入学资格")


class AdmissionImport(models.Model):
    """一次录取数据导入: the file, who imported it, and what it changed (ENR-1)."""

    year = models.PositiveSmallIntegerField(_("招生年份"))
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+", verbose_name=_("入学学期"))
    file_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("文件摘要"), max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("导入人"),
    )
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("未变化"), default=0)
    skipped = models.JSONField(_("已审查未更新的考生号"), default=list, blank=True)
    flagged = models.PositiveIntegerField(_("重名重号待核查"), default=0)

    objects = scoped_queryset(college=None).as_manager()

    class Meta:
        verbose_name = _("录取数据导入")
        verbose_name_plural = _("录取数据导入")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.year} {self.file_name}"


class AdmissionRecord(FSMModelMixin, models.Model):
    """录取数据: one admitted candidate, as the province sent it (ENR-1, ENR-7).

    The deadline engine watches ``state``, ``term`` (start of the 3-month
    复查 clock, ENR-5), ``deferral_end`` (ENR-4), ``state_changed_at`` and
    ``rereview_passed_on``.
    """

    year = models.PositiveSmallIntegerField(_("招生年份"))
    exam_number = models.CharField(_("考生号"), max_length=20)
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=codes.Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    id_type = models.CharField(
        _("证件类型"), max_length=1, choices=codes.IdType.choices, default=codes.IdType.RESIDENT_ID
    )
    id_number = models.CharField(_("证件号码"), max_length=30)
    ethnicity = models.CharField(_("民族"), max_length=2, choices=codes.Ethnicity.choices)
    political_status = models.CharField(
        _("政治面貌"),
        max_length=2,
        choices=codes.PoliticalStatus.choices,
        default=codes.PoliticalStatus.MASSES,
    )
    # No index of its own: (college, state) serves the pages, and a bulk import writes fewer indexes.
    major = models.ForeignKey(
        Major, on_delete=models.PROTECT, related_name="+", verbose_name=_("专业"), db_index=False
    )
    # The major's college, copied for scoping: the import sets it from the major, whose own key
    # the database checks. No second key to check per row (half a second per 100,000 rows at
    # commit); the ORM's PROTECT still refuses deleting a college that records name.
    college = models.ForeignKey(
        College,
        on_delete=models.PROTECT,
        related_name="admission_records",
        verbose_name=_("院系"),
        db_index=False,  # the (college, state) index serves lookups by college
        db_constraint=False,
    )
    level = models.CharField(_("层次"), max_length=2, choices=codes.Level.choices)
    program_years = models.DecimalField(_("学制"), max_digits=3, decimal_places=1)
    study_mode = models.CharField(
        _("学习形式"), max_length=1, choices=codes.StudyMode.choices, default=codes.StudyMode.FULL_TIME
    )
    admission_type = models.CharField(
        _("录取类型"), max_length=2, choices=codes.AdmissionType.choices, default=codes.AdmissionType.REGULAR
    )
    entry_date = models.DateField(_("入学日期"))
    remark = models.CharField(_("备注"), max_length=200, blank=True)
    # The first term of the record's year, set by the import; like college, a copy the database
    # does not check again per row (PROTECT still guards the term in the ORM).
    term = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        related_name="admission_records",
        verbose_name=_("入学学期"),
        db_index=False,  # records are read by college and state, and joined to their term, never the reverse
        db_constraint=False,
    )

    state = FSMField(
        _("录取状态"),
        max_length=16,
        choices=AdmissionState.choices,
        default=AdmissionState.IMPORTED,
        protected=True,
    )
    state_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    student = models.OneToOneField(
        Student,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="admission_record",
        verbose_name=_("学生"),
    )
    deferral_end = models.DateField(_("保留入学资格截止日期"), null=True, blank=True)
    deferral_lapsed_on = models.DateField(
        _("保留期满待认定"),
        null=True,
        blank=True,
        help_text=_("保留入学资格期满未申请入学的日期；教务处认定正当理由（延长保留）或视为放弃（ENR-4）"),
    )
    rereview_passed_on = models.DateField(_("入学资格复查通过日期"), null=True, blank=True)
    entered_term_start = models.DateField(
        _("实际入学学期开学日期"),
        null=True,
        blank=True,
        help_text=_("保留入学资格后复查入学的新生，其复查时限从实际入学的学期起算（ENR-4）"),
    )
    identity_conflict = models.BooleanField(
        _("重名重号待核查"), default=False, help_text=_("与其他记录同名同证件号（ENR-9），核清后方可注册")
    )
    confirmed_at = models.DateTimeField(_("学生确认时间"), null=True, blank=True)
    source_hash = models.CharField(_("源数据摘要"), max_length=32, blank=True)
    # Provenance: the import that wrote the record last. Set by that import, in its transaction,
    # to the run it just created; no database key to check once per imported row.
    import_run = models.ForeignKey(
        AdmissionImport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="records",
        db_index=False,
        db_constraint=False,
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(
        verbose_name=_("录取数据变更记录"),
        excluded_fields=["state", "updated_at"],
        cascade_delete_history=False,
    )
    objects = scoped_queryset(college="college", student="student").as_manager()

    class Meta:
        verbose_name = _("录取数据")
        verbose_name_plural = _("录取数据")
        ordering = ["exam_number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "exam_number"], name="admission_exam_number_unique"),
            # Led by id_number, this index also serves the lookups by id number across years
            # (ENR-6, ENR-9), so the records need no second index on it.
            models.UniqueConstraint(
                fields=["id_number", "id_type", "year"], name="admission_id_number_unique_per_year"
            ),
            # ENR-6, ENR-9: one spelling per number, so the index above and 重名重号 compare like with like.
            id_number_check("admission_id_number_ascii"),
            # ENR-4: a deferred record always carries the end of its deferral.
            models.CheckConstraint(
                condition=~Q(state=AdmissionState.DEFERRED) | Q(deferral_end__isnull=False),
                name="admission_deferred_has_end",
            ),
        ]
        indexes = [
            models.Index(fields=["college", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.exam_number}）"

    # Transitions: each holds only its guard and the fields of its target state. ``custom``
    # names the form that offers a single decision: "record" (the record page and the API's
    # decisions), "rereview" (复查); registration has none, it comes only from an approved list.
    A = AdmissionState

    @transition(
        field=state,
        source=A.IMPORTED,
        target=A.ADMITTED,
        custom={"label": pgettext_lazy("action", "报到入学"), "decision": "record"},
        permission=registrar_decides,
    )
    def admit(self, **args: Unpack[TransitionArgs]) -> None:
        """入学资格初步审查通过，办理入学 (ENR-2)."""
        self.state_changed_at = args["at"]

    @transition(
        field=state,
        source=A.DEFERRED,
        target=A.ADMITTED,
        custom={"label": pgettext_lazy("action", "复查通过入学"), "decision": "record"},
        permission=registrar_decides,
    )
    def readmit(self, **args: Unpack[TransitionArgs]) -> None:
        """保留入学资格期满前申请入学，复查合格 (ENR-4); ``date`` starts the term they enter."""
        self.state_changed_at = args["at"]
        self.deferral_end = None
        self.deferral_lapsed_on = None
        self.entered_term_start = args["date"]

    @transition(
        field=state,
        source=A.DEFERRED,
        target=A.DEFERRED,
        custom={"label": pgettext_lazy("action", "正当理由延长保留"), "decision": "record"},
        permission=registrar_decides,
    )
    def extend_deferral(self, **args: Unpack[TransitionArgs]) -> None:
        """期满未申请入学，但有不可抗力等正当理由：保留入学资格延至 ``date`` (ENR-4)."""
        self.state_changed_at = args["at"]
        self.deferral_end = args["date"]
        self.deferral_lapsed_on = None

    @transition(
        field=state,
        source=A.ADMITTED,
        target=A.REGISTERED,
        custom={"label": pgettext_lazy("action", "注册学籍")},
        permission=registrar_decides,
    )
    def register(self, **args: Unpack[TransitionArgs]) -> None:
        """注册学籍 (ENR-2): the registrar approved the list."""
        self.state_changed_at = args["at"]

    @transition(
        field=state,
        source=[A.IMPORTED, A.DEFERRED],
        target=A.FORFEITED,
        custom={"label": pgettext_lazy("action", "放弃入学资格"), "decision": "record"},
        permission=registrar_decides,
    )
    def forfeit(self, **args: Unpack[TransitionArgs]) -> None:
        """放弃入学资格: did not report, gave up, or deferral expired without just cause (ENR-3, ENR-4)."""
        self.state_changed_at = args["at"]
        self.deferral_end = None
        self.deferral_lapsed_on = None

    @transition(
        field=state,
        # ENR-5: also after check-in, when the 复查 finds a freshman unfit for health reasons.
        source=[A.IMPORTED, A.ADMITTED],
        target=A.DEFERRED,
        custom={"label": pgettext_lazy("action", "保留入学资格"), "decision": "record"},
        permission=registrar_decides,
    )
    def defer(self, **args: Unpack[TransitionArgs]) -> None:
        """保留入学资格 until ``date``; no 学籍 meanwhile (ENR-4)."""
        self.state_changed_at = args["at"]
        self.deferral_end = args["date"]

    @transition(
        field=state,
        # ENR-5: after registration only for health reasons; the service asks for the diagnosis (文号).
        source=A.REGISTERED,
        target=A.DEFERRED,
        # Never a hidden first step of another decision (``path_step``): it needs its own diagnosis.
        custom={
            "label": pgettext_lazy("action", "因病保留入学资格"),
            "decision": "record",
            "path_step": False,
        },
        permission=registrar_decides,
    )
    def defer_for_health(self, **args: Unpack[TransitionArgs]) -> None:
        """复查发现身心状况不宜在校学习，经二级甲等以上医院诊断：保留入学资格 until ``date`` (ENR-5).

        The 学籍 ends meanwhile (ENR-4); back, the freshman goes through 复查 again from the term
        they enter, so no 复查 result is kept.
        """
        self.state_changed_at = args["at"]
        self.deferral_end = args["date"]
        self.rereview_passed_on = None

    @transition(
        field=state,
        source=[A.IMPORTED, A.ADMITTED, A.DEFERRED],
        target=A.CANCELLED,
        custom={"label": pgettext_lazy("action", "取消入学资格"), "decision": "record"},
        permission=registrar_decides,
    )
    def cancel(self, **args: Unpack[TransitionArgs]) -> None:
        """取消入学资格: failed check-in review or the review after deferral (ENR-2, ENR-4)."""
        self.state_changed_at = args["at"]
        self.deferral_end = None
        self.deferral_lapsed_on = None

    @transition(
        field=state,
        source=A.REGISTERED,
        target=A.CANCELLED,
        custom={"label": pgettext_lazy("action", "取消学籍"), "decision": "rereview"},
        permission=registrar_decides,
    )
    def revoke(self, **args: Unpack[TransitionArgs]) -> None:
        """复查发现舞弊：取消学籍 (ENR-5, SEC-4); the student's status is deregistered alongside."""
        self.state_changed_at = args["at"]

    @transition(
        field=state,
        source=A.REGISTERED,
        target=A.REGISTERED,
        custom={"label": pgettext_lazy("action", "复查合格"), "decision": "rereview"},
        permission=registrar_decides,
    )
    def pass_rereview(self, **args: Unpack[TransitionArgs]) -> None:
        """入学资格复查合格 (ENR-5) on ``date``."""
        self.rereview_passed_on = args["date"]

    del A


class ReviewItem(models.Model):
    """One freshman in a review list (``Batch`` of kind ``freshman_review``) with its outcome (ENR-3)."""

    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="review_items", verbose_name=_("批次")
    )
    record = models.ForeignKey(
        AdmissionRecord, on_delete=models.PROTECT, related_name="review_items", verbose_name=_("录取数据")
    )
    outcome = models.CharField(_("审查结论"), max_length=16, choices=ReviewOutcome.choices)
    deferral_end = models.DateField(_("保留入学资格截止日期"), null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)

    objects = scoped_queryset(college="batch__college", student="record__student").as_manager()

    class Meta:
        verbose_name = _("审查名单条目")
        verbose_name_plural = _("审查名单条目")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["batch", "record"], name="review_item_unique")]

    def __str__(self) -> str:
        return f"{self.record} {self.get_outcome_display()}"


class CorrectionState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SENT = "sent", _("已报省招生部门")
    ANSWERED = "answered", _("已答复")
    APPLIED = "applied", _("已更正")


class CorrectionRequest(FSMModelMixin, models.Model):
    """录取数据更正申请 to the provincial admissions office (ENR-8); registration follows the answer."""

    record = models.ForeignKey(
        AdmissionRecord, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("录取数据")
    )
    requested = models.JSONField(_("申请更正为"), default=dict)
    reason = models.TextField(_("原因"))
    state = FSMField(
        _("状态"),
        max_length=16,
        choices=CorrectionState.choices,
        default=CorrectionState.DRAFT,
        protected=True,
    )
    answer = models.JSONField(_("省招生部门答复的数据"), default=dict, blank=True)
    answer_note = models.TextField(_("答复说明"), blank=True)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("申请人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    applied_at = models.DateTimeField(_("更正时间"), null=True, blank=True)

    objects = scoped_queryset(college="record__college", student="record__student").as_manager()

    class Meta:
        verbose_name = _("录取数据更正申请")
        verbose_name_plural = _("录取数据更正申请")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.record} {self.get_state_display()}"

    C = CorrectionState

    @transition(
        field=state,
        source=C.DRAFT,
        target=C.SENT,
        custom={"label": pgettext_lazy("action", "报送省招生部门")},
        permission=registrar_decides,
    )
    def send(self, **args: Unpack[TransitionArgs]) -> None:
        self.sent_at = args["at"]

    @transition(
        field=state,
        source=C.SENT,
        target=C.ANSWERED,
        custom={"label": pgettext_lazy("action", "登记答复")},
        permission=registrar_decides,
    )
    def record_answer(self, **args: Unpack[TransitionArgs]) -> None:
        """The province's answer: the values it confirmed (``details``) and its note (``reason``)."""
        self.answered_at, self.answer, self.answer_note = args["at"], args["details"], args["reason"]

    @transition(
        field=state,
        source=C.ANSWERED,
        target=C.APPLIED,
        custom={"label": pgettext_lazy("action", "按答复更正")},
        permission=registrar_decides,
    )
    def apply(self, **args: Unpack[TransitionArgs]) -> None:
        self.applied_at = args["at"]

    del C


class DataReport(models.Model):
    """学生报告信息有误 (ENR-11): the college answers it, usually with a correction request."""

    record = models.ForeignKey(
        AdmissionRecord, on_delete=models.PROTECT, related_name="reports", verbose_name=_("录取数据")
    )
    description = models.TextField(_("有误的信息"))
    created_at = models.DateTimeField(_("报告时间"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    corrected = models.BooleanField(_("已更正"), null=True, blank=True)
    answer = models.TextField(_("处理说明"), blank=True)

    objects = scoped_queryset(college="record__college", student="record__student").as_manager()

    class Meta:
        verbose_name = _("学生报告的信息错误")
        verbose_name_plural = _("学生报告的信息错误")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.record}: {self.description[:20]}"

    @property
    def outcome(self) -> str:
        """The answer as the student reads it (ENR-11): 待处理, 已更正, or 未更正 with the reason."""
        if self.resolved_at is None:
            return _("待处理")
        if self.corrected:
            return _("已更正")
        return _("未更正：%(reason)s") % {"reason": self.answer} if self.answer else _("未更正")


class ReviewBatch(Batch):
    """入学资格审查名单: the ``Batch`` rows of kind ``freshman_review``, for their own staff pages."""

    class Meta:
        proxy = True
        verbose_name = _("入学资格审查名单")
        verbose_name_plural = _("入学资格审查名单")
