"""Audit events: readable in scope, never changed."""

import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.labels import action_choices, action_label
from audit.models import AuditEvent
from registrar.admin_base import ScopedAdmin
from registrar.idcard import mask_id_numbers


class ActionFilter(admin.SimpleListFilter):
    """操作, by its Chinese label; the code stays the filter's value."""

    title = _("操作")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        actions = model_admin.get_queryset(request).order_by().values_list("action", flat=True).distinct()
        return action_choices(list(actions))

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ScopedAdmin):
    editable = False
    list_display = [
        "id",
        "occurred_at",
        "actor_name",
        "action_display",
        "subject_type",
        "subject_id",
        "document_number",
    ]
    list_filter = [ActionFilter, "subject_type"]
    search_fields = ["subject_id", "document_number", "actor_name"]
    date_hierarchy = "occurred_at"
    # Before and after are shown with every id number masked, to every role (SEC-2): the
    # registrar reads full numbers on the record's own page, never from the audit trail.
    exclude = ["before", "after"]
    readonly_fields = [
        "action_display",
        *(f.name for f in AuditEvent._meta.fields if f.name not in ("before", "after")),
        "masked_before",
        "masked_after",
    ]

    @admin.display(description=_("操作"), ordering="action")
    def action_display(self, obj: AuditEvent) -> str:
        """The action's Chinese name, its code below it (for support and the filter)."""
        return format_html('{}<br><small class="quiet">{}</small>', action_label(obj.action), obj.action)

    @admin.display(description=_("变更前"))
    def masked_before(self, obj: AuditEvent) -> str:
        return json.dumps(mask_id_numbers(obj.before), ensure_ascii=False)

    @admin.display(description=_("变更后"))
    def masked_after(self, obj: AuditEvent) -> str:
        return json.dumps(mask_id_numbers(obj.after), ensure_ascii=False)
