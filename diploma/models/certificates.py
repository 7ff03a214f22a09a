"""学历证书 (DIP-1 to DIP-12): the certificate, its number sequence, corrections, 证明书 and annotations.

A certificate is drafted for an expected graduate whose outcome is 毕业 or 结业,
pre-checked (预审), then registered on the graduation date with its 18-digit
number (DESIGN §2.2). A registered certificate never changes (DIP-6): the
database refuses an UPDATE of its fields and any DELETE (migration 0002); a
correction approved by the provincial authority, or a 结业→毕业 exchange
(DIP-11), registers a new version that supersedes it, both readable. What is
said of a certificate later (辅修, 证明书, exchange) is an annotation row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from diploma.models.graduates import ExpectedGraduate
from registrar import codes
from registrar.models import College, Major, School, Student
from registrar.roles import registrar_decides
from registrar.scoping import scoped_queryset

if TYPE_CHECKING:
    from typing import Unpack

    from registrar.transitions import TransitionArgs


class CertificateKind(models.TextChoices):
    """证书种类 (DIP-1)."""

    GRADUATION = "graduation", _("毕业证书")
    COMPLETION = "completion", _("结业证书")


class CertificateState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PRECHECKED = "prechecked", _("预审通过")
    REGISTERED = "registered", _("已注册")
    REVOKED = "revoked", _("已注销")
    SUPERSEDED = "superseded", _("已被新版本取代")


# States whose rows the database keeps as they are (DIP-6): only the declared moves out of
# ``registered`` may touch them, and then only the fields those moves set.
FROZEN_STATES = (CertificateState.REGISTERED, CertificateState.REVOKED, CertificateState.SUPERSEDED)


class Certificate(FSMModelMixin, models.Model):
    """学历证书: the data registered for one graduate, equal to the paper certificate (DIP-3).

    The identity and placement fields are copied from the student when the
    certificate is drafted and again when it is registered; from then on they
    are the record and never change (DIP-6).
    """

    graduate = models.ForeignKey(
        ExpectedGraduate, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("预计毕业生")
    )
    # No index of its own on student, major, school, registered_by: lookups by student use the
    # (student, state) index, and the others are never looked up by; each index costs every registration.
    student = models.ForeignKey(
        Student,
        on_delete=models.PROTECT,
        related_name="diploma_certificates",
        verbose_name=_("学生"),
        db_index=False,
    )
    college = models.ForeignKey(
        College, on_delete=models.PROTECT, related_name="+", verbose_name=_("院系"), db_index=False
    )
    major = models.ForeignKey(
        Major, on_delete=models.PROTECT, related_name="+", verbose_name=_("专业"), db_index=False
    )
    kind = models.CharField(_("证书种类"), max_length=16, choices=CertificateKind.choices)
    state = FSMField(
        _("状态"),
        max_length=16,
        choices=CertificateState.choices,
        default=CertificateState.DRAFT,
        protected=True,
    )
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("取代的版本"),
    )
    # The certificate's fields (DIP-3, N17, JL27, SH三(五)1(3)).
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="+", verbose_name=_("学校"), db_index=False
    )
    school_name = models.CharField(_("学校名称"), max_length=100)
    president_name = models.CharField(_("校(院)长姓名"), max_length=50)
    school_type = models.CharField(_("办学类型"), max_length=1, choices=codes.SchoolType.choices)
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=codes.Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    ethnicity = models.CharField(_("民族"), max_length=2, choices=codes.Ethnicity.choices)
    political_status = models.CharField(_("政治面貌"), max_length=2, choices=codes.PoliticalStatus.choices)
    id_type = models.CharField(_("证件类型"), max_length=1, choices=codes.IdType.choices)
    id_number = models.CharField(_("证件号码"), max_length=30)
    exam_number = models.CharField(_("考生号"), max_length=20, blank=True)
    student_number = models.CharField(_("学号"), max_length=20, blank=True)
    major_code = models.CharField(_("专业代码"), max_length=20)
    major_name = models.CharField(_("专业名称"), max_length=100)
    level = models.CharField(_("层次"), max_length=2, choices=codes.Level.choices)
    program_years = models.DecimalField(_("学制"), max_digits=3, decimal_places=1)
    study_mode = models.CharField(_("学习形式"), max_length=1, choices=codes.StudyMode.choices)
    entry_date = models.DateField(_("入学日期"))
    graduation_date = models.DateField(_("毕业日期"))
    graduation_year = models.PositiveSmallIntegerField(_("毕业年份"))
    # Given at registration (DIP-5: 发证日期 = 毕业日期; the number, DESIGN §2.2).
    certificate_number = models.CharField(_("证书编号"), max_length=18, blank=True)
    sequence = models.PositiveIntegerField(_("顺序号"), null=True, blank=True)
    issued_on = models.DateField(_("发证日期"), null=True, blank=True)
    prechecked_at = models.DateTimeField(_("预审时间"), null=True, blank=True)
    registered_at = models.DateTimeField(_("注册时间"), null=True, blank=True)
    registered_by = models.ForeignKey(
        "registrar.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("注册人"),
        db_index=False,
    )
    # 注销 (SEC-4) and superseding by a new version (DIP-6, DIP-11).
    revoked_on = models.DateField(_("注销日期"), null=True, blank=True)
    revocation_reason = models.CharField(_("注销原因"), max_length=500, blank=True)
    revocation_document_number = models.CharField(_("注销文号"), max_length=100, blank=True)
    superseded_at = models.DateTimeField(_("被取代时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = scoped_queryset(college="college", student="student").as_manager()

    class Meta:
        verbose_name = _("学历证书")
        verbose_name_plural = _("学历证书")
        ordering = ["certificate_number", "pk"]
        constraints = [
            # DIP-2: one registered certificate per student and level.
            models.UniqueConstraint(
                fields=["student", "level"],
                condition=Q(state="registered"),
                name="certificate_one_registered_per_level",
                violation_error_message=_("该学生在此层次已有注册的学历证书"),
            ),
            # One certificate in the making per expected graduate.
            models.UniqueConstraint(
                fields=["graduate"],
                condition=Q(state__in=["draft", "prechecked"]),
                name="certificate_one_open_per_graduate",
            ),
            # A number belongs to one certificate; its later versions keep it (DIP-11).
            models.UniqueConstraint(
                fields=["certificate_number", "version"],
                condition=~Q(certificate_number=""),
                name="certificate_number_version_unique",
            ),
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=Q(state="registered"),
                name="certificate_number_registered_unique",
            ),
            models.CheckConstraint(
                condition=Q(certificate_number="") | Q(certificate_number__regex=r"^[0-9]{18}$"),
                name="certificate_number_18_digits",
            ),
        ]
        indexes = [
            models.Index(fields=["college", "state"]),
            models.Index(fields=["student", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.certificate_number or _('（未编号）')}"

    S = CertificateState

    @transition(
        field=state,
        source=S.DRAFT,
        target=S.PRECHECKED,
        permission=registrar_decides,
        custom={"label": _("预审通过")},
    )
    def precheck(self, **args: Unpack[TransitionArgs]) -> None:
        """预审通过 (DIP-10): the platform's pre-check found nothing."""
        self.prechecked_at = args["at"]

    @transition(
        field=state,
        source=S.PRECHECKED,
        target=S.DRAFT,
        permission=registrar_decides,
        custom={"label": _("退回重新预审")},
    )
    def reopen(self, **args: Unpack[TransitionArgs]) -> None:
        """Back to draft: something changed since the pre-check, which runs again."""
        self.prechecked_at = None

    @transition(
        field=state,
        source=S.PRECHECKED,
        target=S.REGISTERED,
        permission=registrar_decides,
        custom={"label": _("注册")},
    )
    def register(self, **args: Unpack[TransitionArgs]) -> None:
        """学历证书电子注册 (DIP-5, DIP-10): the number and 发证日期 are each row's own."""
        self.registered_at, self.registered_by = args["at"], args["by"]

    @transition(
        field=state,
        source=S.REGISTERED,
        target=S.REVOKED,
        permission=registrar_decides,
        custom={"label": _("注销")},
    )
    def revoke(self, **args: Unpack[TransitionArgs]) -> None:
        """注销 (SEC-4): with the decision's date, reason and 文号."""
        self.revoked_on = args["date"]
        self.revocation_reason = args.get("reason", "")
        self.revocation_document_number = args.get("document_number", "")

    @transition(
        field=state,
        source=S.REGISTERED,
        target=S.SUPERSEDED,
        permission=registrar_decides,
        custom={"label": _("由新版本取代")},
    )
    def supersede(self, **args: Unpack[TransitionArgs]) -> None:
        """A correction (DIP-6) or a 结业→毕业 exchange (DIP-11) registered a new version."""
        self.superseded_at = args["at"]

    del S


class CertificateSequence(models.Model):
    """The last sequence given per school, 办学类型, year and 层次 (DESIGN §2.2).

    毕业 and 结业 certificates, spring and autumn graduates share it; raised in the
    registering transaction, so a rolled-back registration gives its numbers back.
    """

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+", verbose_name=_("学校"))
    school_type = models.CharField(_("办学类型"), max_length=1, choices=codes.SchoolType.choices)
    year = models.PositiveSmallIntegerField(_("毕业年份"))
    level = models.CharField(_("层次"), max_length=2, choices=codes.Level.choices)
    last = models.PositiveIntegerField(_("已用顺序号"), default=0)

    objects = scoped_queryset(college=None).as_manager()

    class Meta:
        verbose_name = _("证书编号顺序号")
        verbose_name_plural = _("证书编号顺序号")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_type", "year", "level"], name="certificate_sequence_key_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_level_display()} {self.last}"


class CorrectionState(models.TextChoices):
    REQUESTED = "requested", _("待省级教育行政部门审批")
    APPROVED = "approved", _("已批准并更正")
    REJECTED = "rejected", _("未获批准")


class CertificateCorrection(FSMModelMixin, models.Model):
    """学历证书更正: a case with reason and evidence; applied only after the province approves (DIP-6).

    ``changes`` holds the corrected fields (field name → new value). The approval
    registers a new version with the same number that supersedes the old one.
    """

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("学历证书")
    )
    changes = models.JSONField(_("更正内容"))
    reason = models.CharField(_("更正原因"), max_length=500)
    evidence = models.FileField(_("证明材料"), upload_to="diploma/corrections/", blank=True)
    evidence_note = models.CharField(_("证明材料说明"), max_length=200, blank=True)
    state = FSMField(
        _("状态"),
        max_length=16,
        choices=CorrectionState.choices,
        default=CorrectionState.REQUESTED,
        protected=True,
    )
    requested_by = models.ForeignKey(
        "registrar.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    authority = models.CharField(_("审批机关"), max_length=100, blank=True)
    authority_document_number = models.CharField(_("批准文号"), max_length=100, blank=True)
    decided_on = models.DateField(_("批准日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "registrar.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("登记人"),
    )
    decision_note = models.CharField(_("说明"), max_length=500, blank=True)
    new_certificate = models.OneToOneField(
        Certificate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction_applied",
        verbose_name=_("更正后的证书"),
    )

    objects = scoped_queryset(college="certificate__college", student="certificate__student").as_manager()

    class Meta:
        verbose_name = _("学历证书更正")
        verbose_name_plural = _("学历证书更正")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.certificate} {self.get_state_display()}"

    C = CorrectionState

    @transition(
        field=state,
        source=C.REQUESTED,
        target=C.APPROVED,
        permission=registrar_decides,
        custom={"label": _("登记省级批准并更正")},
    )
    def approve(self, **args: Unpack[TransitionArgs]) -> None:
        """The provincial authority approved (DIP-6): its 文号 and date."""
        self.decided_by, self.decided_on = args["by"], args["date"]
        self.authority_document_number = args.get("document_number", "")
        self.decision_note = args.get("reason", "")

    @transition(
        field=state,
        source=C.REQUESTED,
        target=C.REJECTED,
        permission=registrar_decides,
        custom={"label": _("登记未获批准")},
    )
    def reject(self, **args: Unpack[TransitionArgs]) -> None:
        """The provincial authority refused: the certificate stays as it is."""
        self.decided_by, self.decided_on = args["by"], args["date"]
        self.authority_document_number = args.get("document_number", "")
        self.decision_note = args.get("reason", "")

    del C


class AnnotationKind(models.TextChoices):
    """备注 on a registered certificate."""

    MINOR = "minor", _("辅修")
    LOST = "lost", _("遗失补发证明书")
    EXCHANGE = "exchange", _("结业换发毕业证书")
    CORRECTION = "correction", _("更正")


class CertificateAnnotation(models.Model):
    """A note on a registered certificate (DIP-7, DIP-8, DIP-11); append-only like the certificate."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="annotations", verbose_name=_("学历证书")
    )
    kind = models.CharField(_("备注种类"), max_length=16, choices=AnnotationKind.choices)
    text = models.CharField(_("备注"), max_length=500)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    annotated_on = models.DateField(_("备注日期"))
    created_by = models.ForeignKey(
        "registrar.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = scoped_queryset(college="certificate__college", student="certificate__student").as_manager()

    class Meta:
        verbose_name = _("学历证书备注")
        verbose_name_plural = _("学历证书备注")
        ordering = ["annotated_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.text}"


class ReplacementAttestation(models.Model):
    """证明书: issued for a lost certificate, annotated on its record (DIP-7)."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="attestations", verbose_name=_("学历证书")
    )
    number = models.CharField(_("证明书编号"), max_length=30, unique=True)
    issued_on = models.DateField(_("出具日期"))
    reason = models.CharField(_("遗失说明"), max_length=500)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    issued_by = models.ForeignKey(
        "registrar.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("出具人")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = scoped_queryset(college="certificate__college", student="certificate__student").as_manager()

    class Meta:
        verbose_name = _("证明书")
        verbose_name_plural = _("证明书（学历证书遗失）")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.number}（{self.certificate.certificate_number}）"
