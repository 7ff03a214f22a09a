"""待发任务 page: follow-up tasks that wait for the broker, for the registrar and admins to see (read-only)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from registrar.admin_base import RegistrarOnlyAdmin
from registrar.models import OutboxMessage


class WaitingFilter(admin.SimpleListFilter):
    title = _("状态")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("yes", _("待发送")), ("no", _("已发送"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(sent_at__isnull=self.value() == "yes")
        return queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(RegistrarOnlyAdmin):
    list_display = ["task", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = [WaitingFilter]
    ordering = ["-created_at"]
    readonly_fields = ["task", "kwargs", "created_at", "sent_at", "attempts", "last_error"]
