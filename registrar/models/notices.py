"""Notices (站内通知): what the system told one user, shown on their pages until read."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeQuerySet(models.QuerySet):
    def for_user(self, user) -> NoticeQuerySet:
        """Everyone reads only their own notices, the registrar and admins included."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)


class Notice(models.Model):
    """站内通知: a list decided, later a deadline due; mailed as well where the user has an address.

    ``key`` names the event it tells about, so that telling twice (a task run
    again) adds nothing.
    """

    recipient = models.ForeignKey(
        "registrar.User", on_delete=models.CASCADE, related_name="notices", verbose_name=_("收件人")
    )
    key = models.CharField(_("事件"), max_length=100)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notice_once_per_event")]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"], name="notice_unread", condition=models.Q(read_at=None)
            )
        ]

    def __str__(self) -> str:
        return self.title
