"""Batches (批次 / 名单): the lists colleges submit and the registrar approves or returns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition

from registrar.models.school import College, Term
from registrar.roles import college_acts, registrar_decides
from registrar.scoping import scoped_queryset

if TYPE_CHECKING:
    from typing import Unpack

    from registrar.transitions import TransitionArgs


class BatchKind(models.TextChoices):
    """批次种类: which app's items a batch holds."""

    FRESHMAN_REVIEW = "freshman_review", _("新生入学资格审查名单")
    ANNUAL_REGISTRATION = "annual_registration", _("学年注册名单")
    STATUS_CHANGE = "status_change", _("学籍异动名单")
    DIPLOMA = "diploma", _("学历注册名单")
    GRADUATION_OUTCOME = "graduation_outcome", _("毕业结论名单")


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
    # The registrar's return asked the college for scanned proofs (证明材料) before it submits again.
    attachments_requested = models.BooleanField(_("要求补充证明材料"), default=False)

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


class BatchAttachment(models.Model):
    """证明材料: a scanned proof the college adds to a list, e.g. when the registrar asked for it on return."""

    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("名单")
    )
    file = models.FileField(_("文件"), upload_to="batch-attachments/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=50)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        "registrar.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = scoped_queryset(college="batch__college").as_manager()

    class Meta:
        verbose_name = _("名单证明材料")
        verbose_name_plural = _("名单证明材料")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name
