"""Identity changes (学籍信息变更, ANN-8): 姓名, 身份证号, 出生日期, 民族, with a reason and proof.

Who approves is the school's setting (``IdentityChangeSettings``), copied onto each
request when it is filed, so that a later change of the setting does not move a
request under way:

* ``school`` — the school reviews and confirms (N19);
* ``school_province`` — the school reviews, the provincial education authority
  approves (JL20: 教育厅);
* ``admissions_office`` — only errors in the 高考 data, changed first by the 生源地
  provincial admissions office, then confirmed by the school (SH二(二)2).

An approved request changes the student through the history-keeping path: the value
before the change stays readable (``Student.history``, N19). Doubtful proof is
refused with its reason (涉嫌弄虚作假的不予受理).
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from registrar.models import School, Student
from registrar.models.school import DeadlinePolicy
from registrar.roles import registrar_decides
from registrar.scoping import scoped_queryset

if TYPE_CHECKING:
    from typing import Unpack

    from registrar.transitions import TransitionArgs


class IdentityField(models.TextChoices):
    """The identity fields a request may change (ANN-8); values are ``Student`` field names."""

    NAME = "name", _("姓名")
    ID_NUMBER = "id_number", _("身份证号")
    BIRTH_DATE = "birth_date", _("出生日期")
    ETHNICITY = "ethnicity", _("民族")


class ApprovalChain(models.TextChoices):
    """Who approves an identity change (ANN-8): a school setting."""

    SCHOOL = "school", _("学校审核确认")
    SCHOOL_PROVINCE = "school_province", _("学校审核后报省级教育行政部门审批")
    ADMISSIONS_OFFICE = "admissions_office", _("仅限高考信息采集错误：生源地省级招生部门修改后由学校确认")


# The chain a school gets until the registrar saves its own setting: the national rule (N19), or the
# school's text when the school follows it (JL20, SH二(二)2).
DEFAULT_CHAIN = {
    DeadlinePolicy.JL: ApprovalChain.SCHOOL_PROVINCE,
    DeadlinePolicy.SH: ApprovalChain.ADMISSIONS_OFFICE,
}
# The birth date is part of a 居民身份证号码: the two may change together by default.
DEFAULT_FIELD_GROUPS = [[IdentityField.ID_NUMBER.value, IdentityField.BIRTH_DATE.value]]


def default_field_groups() -> list[list[str]]:
    return [list(group) for group in DEFAULT_FIELD_GROUPS]


def validate_field_groups(value: object) -> None:
    """A list of groups, each a list of at least two identity fields, each field once per group."""
    known = set(IdentityField.values)
    if not isinstance(value, list) or not all(isinstance(group, list) for group in value):
        raise ValidationError(_("可一并变更的信息应为若干组，每组列出两项或以上"))
    for group in value:
        if len(group) < 2 or len(set(group)) != len(group) or not set(group) <= known:
            raise ValidationError(
                _("每组应列出两项或以上不同的信息，可选：%(fields)s") % {"fields": "、".join(known)}
            )


class IdentityChangeSettings(models.Model):
    """学籍信息变更设置 (ANN-8): the school's approval chain and which fields may change together."""

    school = models.OneToOneField(
        School, on_delete=models.CASCADE, related_name="identity_change_settings", verbose_name=_("学校")
    )
    chain = models.CharField(_("审批流程"), max_length=20, choices=ApprovalChain.choices)
    field_groups = models.JSONField(
        _("可一并变更的信息"),
        default=default_field_groups,
        validators=[validate_field_groups],
        help_text=_(
            "每组列出可在同一申请中一并变更的信息（name 姓名、id_number 身份证号、birth_date 出生日期、"
            'ethnicity 民族），如 [["id_number", "birth_date"]]；不在同一组的信息须分别申请。'
        ),
    )

    objects = scoped_queryset(college=None, public=True).as_manager()

    class Meta:
        verbose_name = _("学籍信息变更设置")
        verbose_name_plural = _("学籍信息变更设置")

    def __str__(self) -> str:
        return f"{self.school}：{self.get_chain_display()}"

    @classmethod
    def for_school(cls, school: School) -> IdentityChangeSettings:
        """The school's saved setting, or the default its deadline policy implies (unsaved)."""
        found = cls.objects.filter(school=school).first()
        if found is not None:
            return found
        chain = DEFAULT_CHAIN.get(school.deadline_policy, ApprovalChain.SCHOOL)
        return cls(school=school, chain=chain, field_groups=default_field_groups())

    def may_change_together(self, fields: set[str]) -> bool:
        """One field always; several only when one group holds them all."""
        return len(fields) <= 1 or any(fields <= set(group) for group in self.field_groups)


class IdentityState(models.TextChoices):
    SUBMITTED = "submitted", _("待学校审核")
    ADMISSIONS_CONFIRMED = "admissions_confirmed", _("生源地招生部门已修改，待学校确认")
    SCHOOL_APPROVED = "school_approved", _("学校审核通过，待省级教育行政部门审批")
    APPLIED = "applied", _("已变更")
    REFUSED = "refused", _("不予变更")


OPEN_IDENTITY_STATES = (
    IdentityState.SUBMITTED,
    IdentityState.ADMISSIONS_CONFIRMED,
    IdentityState.SCHOOL_APPROVED,
)


class RefusalGround(models.TextChoices):
    """Why a request is refused (ANN-8)."""

    DOUBTFUL_PROOF = "doubtful_proof", _("证明材料涉嫌弄虚作假")
    INSUFFICIENT_PROOF = "insufficient_proof", _("证明材料不足或不具法定效力")
    NOT_ALLOWED = "not_allowed", _("不符合学校信息变更规定")
    OTHER = "other", _("其他原因")


def _school_confirms_last(request: IdentityChangeRequest) -> bool:
    """The school's approval is the last step: chain ``school``, or ``admissions_office`` once the office changed it."""
    if request.chain == ApprovalChain.SCHOOL:
        return request.state == IdentityState.SUBMITTED
    return (
        request.chain == ApprovalChain.ADMISSIONS_OFFICE
        and request.state == IdentityState.ADMISSIONS_CONFIRMED
    )


def _province_approves(request: IdentityChangeRequest) -> bool:
    return request.chain == ApprovalChain.SCHOOL_PROVINCE


def _admissions_office_first(request: IdentityChangeRequest) -> bool:
    return request.chain == ApprovalChain.ADMISSIONS_OFFICE


class IdentityChangeRequest(FSMModelMixin, models.Model):
    """学籍信息变更申请 (ANN-8): the fields and their new values, a reason, proof, and the decisions on it.

    ``requested`` holds the new values in their stored form (a normalised id number,
    an ISO date, an ethnicity code); ``previous`` the values they replace, read when
    the request is filed and again when it is applied.
    """

    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="identity_changes", verbose_name=_("学生")
    )
    requested = models.JSONField(_("申请变更为"))
    previous = models.JSONField(_("变更前"), default=dict)
    reason = models.CharField(_("变更原因"), max_length=500)
    gaokao_data_error = models.BooleanField(_("高考信息采集错误"), default=False)
    chain = models.CharField(_("审批流程"), max_length=20, choices=ApprovalChain.choices)
    state = FSMField(
        _("办理状态"),
        max_length=24,
        choices=IdentityState.choices,
        default=IdentityState.SUBMITTED,
        protected=True,
    )
    admissions_document_number = models.CharField(_("生源地招生部门文号"), max_length=100, blank=True)
    school_document_number = models.CharField(_("学校审核文号"), max_length=100, blank=True)
    province_document_number = models.CharField(_("省级审批文号"), max_length=100, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    refusal_ground = models.CharField(
        _("不予变更的理由"), max_length=24, choices=RefusalGround.choices, blank=True
    )
    refusal_reason = models.CharField(_("不予变更说明"), max_length=500, blank=True)
    filed_by = models.ForeignKey(
        "registrar.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    filed_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    state_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)

    objects = scoped_queryset(college="student__college", student="student").as_manager()

    class Meta:
        verbose_name = _("学籍信息变更申请")
        verbose_name_plural = _("学籍信息变更申请")
        ordering = ["-filed_at", "-pk"]
        constraints = [
            # One request under way per student: a second one waits until the first is decided.
            models.UniqueConstraint(
                fields=["student"],
                condition=models.Q(state__in=[s.value for s in OPEN_IDENTITY_STATES]),
                name="identity_change_one_open_per_student",
                violation_error_message=_("该学生已有办理中的信息变更申请"),
            )
        ]

    def __str__(self) -> str:
        fields = "、".join(str(IdentityField(f).label) for f in self.requested if f in IdentityField.values)
        return _("%(fields)s变更申请") % {"fields": fields}

    S = IdentityState

    @transition(
        field=state,
        source=S.SUBMITTED,
        target=S.ADMISSIONS_CONFIRMED,
        permission=registrar_decides,
        conditions=[_admissions_office_first],
        custom={"label": _("登记生源地招生部门已修改")},
    )
    def confirm_admissions(self, **args: Unpack[TransitionArgs]) -> None:
        """SH二(二)2: the 生源地 provincial admissions office changed the 高考 data first."""
        self.admissions_document_number = args.get("document_number", "")
        self.state_changed_at = args["at"]

    @transition(
        field=state,
        source=[S.SUBMITTED, S.ADMISSIONS_CONFIRMED],
        target=S.APPLIED,
        permission=registrar_decides,
        conditions=[_school_confirms_last],
        custom={"label": _("学校审核通过，予以变更")},
    )
    def approve(self, **args: Unpack[TransitionArgs]) -> None:
        """The school's approval ends the chain (N19): the change is applied."""
        self.school_document_number = args.get("document_number", "")
        self.decided_on, self.state_changed_at = args.get("date"), args["at"]

    @transition(
        field=state,
        source=S.SUBMITTED,
        target=S.SCHOOL_APPROVED,
        permission=registrar_decides,
        conditions=[_province_approves],
        custom={"label": _("学校审核通过，报省级教育行政部门审批")},
    )
    def approve_for_province(self, **args: Unpack[TransitionArgs]) -> None:
        """JL20: the school reviews, the provincial education department approves."""
        self.school_document_number = args.get("document_number", "")
        self.state_changed_at = args["at"]

    @transition(
        field=state,
        source=S.SCHOOL_APPROVED,
        target=S.APPLIED,
        permission=registrar_decides,
        custom={"label": _("省级教育行政部门审批通过，予以变更")},
    )
    def approve_province(self, **args: Unpack[TransitionArgs]) -> None:
        self.province_document_number = args.get("document_number", "")
        self.decided_on, self.state_changed_at = args.get("date"), args["at"]

    @transition(
        field=state,
        source=list(OPEN_IDENTITY_STATES),
        target=S.REFUSED,
        permission=registrar_decides,
        custom={"label": _("不予变更")},
    )
    def refuse(self, **args: Unpack[TransitionArgs]) -> None:
        """Refused with its ground and reason, e.g. proof suspected of forgery (ANN-8)."""
        self.refusal_ground = args.get("details", {}).get("ground", RefusalGround.OTHER)
        self.refusal_reason = args.get("reason", "")
        self.decided_on, self.state_changed_at = args.get("date"), args["at"]

    del S


def proof_path(instance: IdentityProof, filename: str) -> str:
    """A random name under ``identity_proofs/``: nothing of the uploaded name reaches the disk."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"identity_proofs/{instance.request.filed_at:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class IdentityProof(models.Model):
    """证明材料 of an identity change (ANN-8): bounded in size and type, stored under MEDIA_ROOT."""

    request = models.ForeignKey(
        IdentityChangeRequest, on_delete=models.PROTECT, related_name="proofs", verbose_name=_("变更申请")
    )
    file = models.FileField(_("文件"), upload_to=proof_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=50)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("文件摘要"), max_length=64)
    uploaded_by = models.ForeignKey(
        "registrar.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = scoped_queryset(college="request__student__college", student="request__student").as_manager()

    class Meta:
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name
