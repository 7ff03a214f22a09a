"""Audit events: readable in scope, never changed."""

from django.contrib import admin

from audit.models import AuditEvent
from registrar.admin_base import ScopedAdmin


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
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
