"""The audit trail: append-only events chained by SHA-256 so that tampering is evident (SEC-3)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from registrar.scoping import scoped_queryset

GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    """One recorded write: who did what to which subject, with the before and after values.

    Rows are never updated or deleted (a PostgreSQL trigger refuses it); each
    carries the hash of its content and of the previous event.
    """

    occurred_at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    subject_type = models.CharField(_("对象类型"), max_length=64)
    subject_id = models.CharField(_("对象编号"), max_length=64)
    student = models.ForeignKey(
        "registrar.Student",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        verbose_name=_("学生"),
    )
    college = models.ForeignKey(
        "registrar.College",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("院系"),
    )
    before = models.JSONField(_("变更前"), default=dict, blank=True)
    after = models.JSONField(_("变更后"), default=dict, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    prev_hash = models.CharField(_("前一事件哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)

    objects = scoped_queryset(college="college", student="student").as_manager()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.subject_type}:{self.subject_id}"
