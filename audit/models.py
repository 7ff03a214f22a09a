"""The audit trail: append-only events chained by keyed hashes so that tampering is evident (SEC-3)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.labels import action_label
from registrar.scoping import scoped_queryset

GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    """One recorded write: who did what to which subject, with the before and after values.

    Rows are never updated or deleted (a PostgreSQL trigger refuses it, and
    the app's database role may only SELECT and INSERT them); each carries the
    HMAC of its content and of the previous event under the key ``key_id``
    names (empty: plain SHA-256, for events recorded before keying).

    Actor, student and college are kept as ids the hash covers, without
    database foreign keys: an event can never be changed, so the keys could
    only block deletions (the ORM's PROTECT still refuses deleting a user,
    student or college that events name) while costing every bulk approval
    one deferred check per event and key at commit.
    """

    occurred_at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        db_constraint=False,
        db_index=False,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=64)
    subject_type = models.CharField(_("对象类型"), max_length=64)
    subject_id = models.CharField(_("对象编号"), max_length=64)
    student = models.ForeignKey(
        "registrar.Student",
        null=True,
        blank=True,
        db_constraint=False,
        on_delete=models.PROTECT,
        related_name="audit_events",
        verbose_name=_("学生"),
    )
    college = models.ForeignKey(
        "registrar.College",
        null=True,
        blank=True,
        db_constraint=False,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("院系"),
    )
    before = models.JSONField(_("变更前"), default=dict, blank=True)
    after = models.JSONField(_("变更后"), default=dict, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    prev_hash = models.CharField(_("前一事件哈希"), max_length=64)
    # Not indexed: every index costs the bulk writes of an approval; the chain itself is the check.
    hash = models.CharField(_("哈希"), max_length=64)
    key_id = models.CharField(_("密钥编号"), max_length=8, blank=True, default="")

    objects = scoped_queryset(college="college", student="student").as_manager()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {action_label(self.action)}"
