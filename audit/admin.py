"""Audit events: readable in scope, never changed (SEC-3).

Each event reads as people read it (issue 10, item 4): the action's Chinese name
(``audit.labels``), the subject named (录取数据 张三（26110101000001）), and before/after
as the fields that changed, old → new, with the field's label and choice names
(``audit.selectors``). Id numbers are masked for every role (SEC-2): the registrar
reads full numbers on the record's own page, never from the audit trail. The codes
stay below the labels, small, for support and the filters.
"""

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from audit.labels import action_choices, action_label
from audit.models import AuditEvent
from audit.selectors import EMPTY, HistoryEntry, event_entries, subject_labels, subject_type_label
from registrar.admin_base import ScopedAdmin


class ActionFilter(admin.SimpleListFilter):
    """操作, by its Chinese label; the code stays the filter's value."""

    title = _("操作")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        actions = model_admin.get_queryset(request).order_by().values_list("action", flat=True).distinct()
        return action_choices(list(actions))

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class SubjectTypeFilter(admin.SimpleListFilter):
    """对象类型, by the model's name (录取数据, 批次), not its code."""

    title = _("对象类型")
    parameter_name = "subject_type"

    def lookups(self, request, model_admin):
        types = model_admin.get_queryset(request).order_by().values_list("subject_type", flat=True).distinct()
        return sorted(((t, subject_type_label(t)) for t in types), key=lambda pair: (pair[1], pair[0]))

    def queryset(self, request, queryset):
        return queryset.filter(subject_type=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ScopedAdmin):
    editable = False
    list_display = [
        "id",
        "occurred_at",
        "actor_name",
        "action_display",
        "subject_display",
        "college",
        "document_number",
    ]
    list_select_related = ["college"]
    list_filter = [ActionFilter, SubjectTypeFilter]
    search_fields = ["subject_id", "document_number", "actor_name"]
    date_hierarchy = "occurred_at"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "action_display",
                    "occurred_at",
                    "actor",
                    "subject_display",
                    "student",
                    "college",
                    "reason",
                    "document_number",
                    "changes_display",
                ]
            },
        ),
        (_("审计链"), {"classes": ["collapse"], "fields": ["actor_name", "prev_hash", "hash", "key_id"]}),
    ]
    readonly_fields = [
        "action_display",
        "subject_display",
        "changes_display",
        *(f.name for f in AuditEvent._meta.fields if f.name not in ("before", "after")),
    ]

    def get_changelist_instance(self, request):
        """The page's events, each with its subject's name: one query per subject type, not per row."""
        changelist = super().get_changelist_instance(request)
        events = list(changelist.result_list)  # fills the page's cache: the rows the template shows
        names = subject_labels(events)
        for event in events:
            event.subject_label = names[(event.subject_type, event.subject_id)]
        return changelist

    def _entry(self, obj: AuditEvent) -> HistoryEntry:
        entry = getattr(obj, "_entry", None)
        if entry is None:
            entry = obj._entry = event_entries([obj])[obj.pk]
        return entry

    @admin.display(description=_("操作"), ordering="action")
    def action_display(self, obj: AuditEvent) -> str:
        """The action's Chinese name, its code below it (for support and the filter)."""
        return format_html('{}<br><small class="quiet">{}</small>', action_label(obj.action), obj.action)

    @admin.display(description=_("对象"), ordering="subject_type")
    def subject_display(self, obj: AuditEvent) -> str:
        label = getattr(obj, "subject_label", None) or self._entry(obj).subject
        return format_html(
            '{}<br><small class="quiet">{} #{}</small>', label, obj.subject_type, obj.subject_id
        )

    @admin.display(description=_("变更内容"))
    def changes_display(self, obj: AuditEvent) -> str:
        """Before and after as the fields that changed: 字段：旧值 → 新值 (id numbers masked, SEC-2)."""
        changes = self._entry(obj).changes
        if not changes:
            return EMPTY
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td><td>→</td><td>{}</td></tr>",
            ((c.field, c.before, c.after) for c in changes),
        )
        return format_html(
            '<table class="audit-changes"><thead><tr><th>{}</th><th>{}</th><th></th><th>{}</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            _("字段"),
            _("变更前"),
            _("变更后"),
            rows,
        )
