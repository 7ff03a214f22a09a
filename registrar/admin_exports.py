"""个人数据导出记录: the registrar office and the auditor list who took which file when (issue 10, item 6)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from registrar.admin_base import ScopedAdmin
from registrar.models import ExportEvent
from registrar.roles import Role, role_of

READERS = (Role.REGISTRAR, Role.ADMIN, Role.AUDITOR)


@admin.register(ExportEvent)
class ExportEventAdmin(ScopedAdmin):
    editable = False
    list_display = ["occurred_at", "actor_name", "file_name", "source", "size"]
    search_fields = ["actor_name"]
    date_hierarchy = "occurred_at"
    ordering = ["-occurred_at", "-id"]
    list_display_links = None

    def has_module_permission(self, request) -> bool:
        return role_of(request.user) in READERS

    def has_view_permission(self, request, obj=None) -> bool:
        return role_of(request.user) in READERS

    @admin.display(description=_("文件"))
    def file_name(self, event: ExportEvent) -> str:
        return (event.after or {}).get("file", "")

    @admin.display(description=_("来源地址"))
    def source(self, event: ExportEvent) -> str:
        return (event.after or {}).get("path", "")

    @admin.display(description=_("大小（字节）"))
    def size(self, event: ExportEvent):
        return (event.after or {}).get("bytes")
