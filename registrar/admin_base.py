"""The base of every admin page: scoped reads, role-based rights, writes through services.

Every page wears the staff pages' theme (django-unfold's ``ModelAdmin``, issue 10, item 1); the
third-party pages registered here (django's groups) get it through ``ThemedAdmin`` as well.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.http import Http404
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from unfold import admin as unfold_admin

from registrar.roles import STAFF_ROLES, is_registrar, role_of

_ROW = "__row_key__"  # stands for a row's key in the checkbox's markup
_CHECKBOXES: dict[str | None, tuple[str, str]] = {}


class ThemedAdmin(unfold_admin.ModelAdmin):
    """unfold's ``ModelAdmin``, with each row's checkbox written from its markup, rendered once per language.

    unfold renders the checkbox widget through two templates per row: a third of a 100-row list's time.
    """

    @unfold_admin.display(description=unfold_admin.ModelAdmin.action_checkbox.short_description)
    def action_checkbox(self, obj) -> SafeString:
        language = get_language()
        if language not in _CHECKBOXES:
            markup = unfold_admin.checkbox.render(unfold_admin.helpers.ACTION_CHECKBOX_NAME, _ROW)
            before, _row, after = markup.partition(_ROW)
            _CHECKBOXES[language] = (before, after)
        before, after = _CHECKBOXES[language]
        return mark_safe(before + escape(str(obj.pk)) + after)


class ScopedAdmin(ThemedAdmin):
    """Staff see what ``for_user`` gives them; only the registrar edits, and only through a service.

    Subclasses that hold workflow data set ``editable = False``: their rows
    change through the workflow's own actions, never through the change form.
    """

    editable = True

    def get_queryset(self, request):
        return self.model.objects.for_user(request.user)

    def get_changelist_instance(self, request):
        """A date-hierarchy year, month or day that is no date part is a lookup error, not a 500.

        The admin answers ``IncorrectLookupParameters`` with its own "?e=1" page.
        """
        if self.date_hierarchy:
            limits = {"year": 9999, "month": 12, "day": 31}
            for part, highest in limits.items():
                value = request.GET.get(f"{self.date_hierarchy}__{part}")
                if value is not None and not (
                    value.isascii() and value.isdigit() and 1 <= int(value) <= highest
                ):
                    raise IncorrectLookupParameters(value)
        return super().get_changelist_instance(request)

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


class RegistrarOnlyAdmin(ThemedAdmin):
    """A page of the registrar's own (sign-in lockouts, waiting tasks): read-only, nobody else sees it.

    ``deletable`` lets the registrar delete rows (lifting a lockout is deleting its record).
    """

    deletable = False

    def has_module_permission(self, request) -> bool:
        return is_registrar(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_registrar(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.deletable and is_registrar(request.user)


class ScopedHistoryAdmin(ScopedAdmin, SimpleHistoryAdmin):
    """Object history (simple-history) read through the same scope as the change page (SEC-2).

    History is a record: its pages are read-only for everyone, since reverting
    through the admin would write without the services and their audit events
    (SEC-1). Another college's object, or a version that is not this object's,
    is a 404; a POST to a version is a 403.
    """

    def scoped_object(self, request, object_id: str):
        """The object if the user may see it, else 404 — never its history."""
        try:
            return self.get_queryset(request).get(pk=unquote(object_id))
        except (self.model.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc

    def history_view(self, request, object_id, extra_context=None):
        self.scoped_object(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self.scoped_object(request, object_id)
        try:
            if not obj.history.filter(history_id=version_id).exists():
                raise Http404
        except (ValueError, TypeError) as exc:
            raise Http404 from exc
        if request.method != "GET":
            raise PermissionDenied(_("历史记录只供查看，不能恢复"))
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        match = request.resolver_match
        if match and match.url_name and match.url_name.endswith("_simple_history"):
            excluded = set(self.exclude or ())
            readonly += [
                f.name
                for f in self.opts.fields
                if f.editable and f.name not in excluded and f.name not in readonly
            ]
        return readonly
