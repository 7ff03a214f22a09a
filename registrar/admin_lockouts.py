"""登录锁定 page: the registrar sees the accounts locked by failed sign-ins and lifts a lock (SEC-3)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from registrar.admin_base import RegistrarOnlyAdmin
from registrar.lockouts import lockout_is_active, lockout_lift, lockouts_active, with_account_failures
from registrar.models import SignInLockout


class LockedNowFilter(admin.SimpleListFilter):
    title = _("状态")
    parameter_name = "locked"

    def lookups(self, request, model_admin):
        return [("yes", _("锁定中"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=lockouts_active().values("pk"))
        return queryset


@admin.register(SignInLockout)
class SignInLockoutAdmin(RegistrarOnlyAdmin):
    """Read-only list of failure records; deleting one (or the action) lifts the lock through the service."""

    deletable = True  # lifting a lockout deletes its failure record

    list_display = ["account", "address", "failures", "account_total", "last_attempt", "locked_now"]
    list_filter = [LockedNowFilter]
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]
    # django-axes has no Chinese labels: the columns carry their own.
    fields = ["account", "address", "browser", "failures", "last_attempt"]
    readonly_fields = fields
    actions = ["lift"]

    @admin.display(description=_("账号"), ordering="username")
    def account(self, obj: SignInLockout) -> str:
        return obj.username

    @admin.display(description=_("来源地址"), ordering="ip_address")
    def address(self, obj: SignInLockout) -> str:
        return obj.ip_address or ""

    @admin.display(description=_("浏览器"))
    def browser(self, obj: SignInLockout) -> str:
        return obj.user_agent

    @admin.display(description=_("连续失败次数"), ordering="failures_since_start")
    def failures(self, obj: SignInLockout) -> int:
        return obj.failures_since_start

    @admin.display(description=_("账号失败合计"))
    def account_total(self, obj: SignInLockout) -> int:
        """The account's failures within the cool-off time, from every address and browser: what locks it."""
        return obj.account_failures or 0

    @admin.display(description=_("最近一次尝试"), ordering="attempt_time")
    def last_attempt(self, obj: SignInLockout):
        return obj.attempt_time

    @admin.display(boolean=True, description=_("锁定中"))
    def locked_now(self, obj: SignInLockout) -> bool:
        return lockout_is_active(obj)

    def get_queryset(self, request):
        return with_account_failures(super().get_queryset(request))

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("解除所选账号的登录锁定"), permissions=["delete"])
    def lift(self, request, queryset) -> None:
        count = lockout_lift(actor=request.user, lockout_ids=queryset.values_list("pk", flat=True))
        messages.success(
            request, ngettext("已解除%(n)d条登录锁定", "已解除%(n)d条登录锁定", count) % {"n": count}
        )

    def delete_model(self, request, obj) -> None:
        lockout_lift(actor=request.user, lockout_ids=[obj.pk])

    def delete_queryset(self, request, queryset) -> None:
        lockout_lift(actor=request.user, lockout_ids=queryset.values_list("pk", flat=True))
