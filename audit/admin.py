"""Audit events: readable in scope, never changed."""

import json

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from registrar.admin_base import ScopedAdmin
from registrar.idcard import mask_id_numbers


@admin.register(AuditEvent)
class AuditEventAdmin(ScopedAdmin):
    editable = False
    list_display = [
        "id",
        "occurred_at",
        "actor_name",
        "action",
        "subject_type",
        "subject_id",
        "document_number",
    ]
    list_filter = ["action", "subject_type"]
    search_fields = ["subject_id", "document_number", "actor_name"]
    date_hierarchy = "occurred_at"
    # Before and after are shown with every id number masked, to every role (SEC-2): the
    # registrar reads full numbers on the record's own page, never from the audit trail.
    exclude = ["before", "after"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields if f.name not in ("before", "after")] + [
        "masked_before",
        "masked_after",
    ]

    @admin.display(description=_("变更前"))
    def masked_before(self, obj: AuditEvent) -> str:
        return json.dumps(mask_id_numbers(obj.before), ensure_ascii=False)

    @admin.display(description=_("变更后"))
    def masked_after(self, obj: AuditEvent) -> str:
        return json.dumps(mask_id_numbers(obj.after), ensure_ascii=False)
