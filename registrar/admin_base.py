"""The base of every admin page: scoped reads, role-based rights, writes through services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError

from registrar.roles import STAFF_ROLES, is_registrar, role_of


class ScopedAdmin(admin.ModelAdmin):
    """Staff see what ``for_user`` gives them; only the registrar edits, and only through a service.

    Subclasses that hold workflow data set ``editable = False``: their rows
    change through the workflow's own actions, never through the change form.
    """

    editable = True

    def get_queryset(self, request):
        return self.model.objects.for_user(request.user)

    def has_module_permission(self, request) -> bool:
        return role_of(request.user) in STAFF_ROLES

    def has_view_permission(self, request, obj=None) -> bool:
        return role_of(request.user) in STAFF_ROLES

    def has_add_permission(self, request) -> bool:
        return self.editable and is_registrar(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.editable and is_registrar(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.editable and is_registrar(request.user)

    def save_model(self, request, obj, form, change) -> None:
        from registrar.services import reference_save

        reference_save(actor=request.user, instance=obj, changed=form.changed_data if change else ())

    def delete_model(self, request, obj) -> None:
        from registrar.services import reference_delete

        try:
            reference_delete(actor=request.user, instance=obj)
        except ProtectedError:
            messages.error(request, f"“{obj}”仍被其他记录引用，不能删除")
        except PermissionDenied as exc:
            messages.error(request, str(exc))

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
