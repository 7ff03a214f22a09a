"""通知 page: each staff member's own notices; opening one marks it read and leads to what it is about."""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from registrar.admin_base import ThemedAdmin
from registrar.models import Notice
from registrar.notices import notice_read
from registrar.roles import STAFF_ROLES, role_of


class ReadFilter(admin.SimpleListFilter):
    title = _("阅读情况")
    parameter_name = "read"

    def lookups(self, request, model_admin):
        return [("no", _("未读")), ("yes", _("已读"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(read_at__isnull=self.value() == "no")
        return queryset


@admin.register(Notice)
class NoticeAdmin(ThemedAdmin):
    list_display = ["title", "created_at", "read"]
    list_filter = [ReadFilter]
    ordering = ["-created_at"]

    def get_queryset(self, request):
        return Notice.objects.for_user(request.user)

    @admin.display(description=_("已读"), boolean=False)
    def read(self, notice: Notice) -> str:
        return _("已读") if notice.read_at else _("未读")

    def has_module_permission(self, request) -> bool:
        return role_of(request.user) in STAFF_ROLES

    def has_view_permission(self, request, obj=None) -> bool:
        return role_of(request.user) in STAFF_ROLES

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Opening a notice: it is read now, and the page it is about opens."""
        if not (object_id.isascii() and object_id.isdigit() and 0 < int(object_id) < 2**63):
            raise Http404
        try:
            notice = notice_read(user=request.user, notice_id=int(object_id))
        except Notice.DoesNotExist as exc:
            raise Http404 from exc
        if notice.link.startswith("/"):
            return redirect(notice.link)
        return super().change_view(request, object_id, form_url, extra_context)
