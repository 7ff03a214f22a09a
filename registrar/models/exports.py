"""Who took which file of personal data, when (issue 10, item 6; SEC-3, SEC-5).

Each download of personal data is an event of the audit trail (``registrar.export``), so the
log is as tamper-evident as every other write; ``ExportEvent`` is the registrar's view of it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent

EXPORT_ACTION = "registrar.export"


class ExportEventManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(action=EXPORT_ACTION)

    def for_user(self, user):
        """The registrar office and the auditor read every export; nobody else reads any."""
        from registrar.roles import Role, role_of

        if role_of(user) in (Role.REGISTRAR, Role.ADMIN, Role.AUDITOR):
            return self.get_queryset()
        return self.none()


class ExportEvent(AuditEvent):
    objects = ExportEventManager()

    class Meta:
        proxy = True
        verbose_name = _("个人数据导出记录")
        verbose_name_plural = _("个人数据导出记录")
        default_permissions = ()
