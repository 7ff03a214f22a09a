"""Deadline rules, violations, notices and scans: readable in scope; only the registrar edits the rules."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from deadlines.models import DeadlineNotice, DeadlineRule, DeadlineScan, DeadlineViolation
from deadlines.registry import get_kind
from registrar.admin_base import ScopedAdmin


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(ScopedAdmin):
    """时限规则: the registrar edits them (through ``reference_save``, audited); others read."""

    # The rule's name is how people know it; its code (a slug the exports and links carry) is on its page.
    list_display = ["name", "policy", "school", "term", "clock", "enabled", "kind_available"]
    list_filter = ["policy", "enabled", "unit"]
    search_fields = ["code", "name"]

    @admin.display(description=_("时限"))
    def term(self, obj: DeadlineRule) -> str:
        return obj.term_text

    @admin.display(description="对象种类已注册", boolean=True)
    def kind_available(self, obj: DeadlineRule) -> bool:
        return get_kind(obj.kind) is not None


@admin.register(DeadlineViolation)
class DeadlineViolationAdmin(ScopedAdmin):
    editable = False
    list_display = [
        "rule",
        "subject_kind",
        "subject_id",
        "college",
        "clock_start",
        "due_date",
        "provisional",
        "done_on",
        "days_late",
        "state",
    ]
    list_filter = ["state", "rule", "college", "provisional"]
    date_hierarchy = "due_date"
    list_select_related = ["rule", "college"]
    # The subject's type in words (录取数据), not its table's name.
    fields = readonly_fields = [
        "subject_kind" if f.name == "subject_type" else f.name for f in DeadlineViolation._meta.fields
    ]

    @admin.display(description=_("对象类型"), ordering="subject_type")
    def subject_kind(self, obj: DeadlineViolation) -> str:
        return obj.subject_type_label


@admin.register(DeadlineNotice)
class DeadlineNoticeAdmin(ScopedAdmin):
    """时限提醒, shown to the responsible college's staff in their pages."""

    editable = False
    list_display = [
        "created_on",
        "college",
        "rule",
        "subject_count",
        "first_due_date",
        "provisional",
        "emailed_at",
    ]
    list_filter = ["college", "rule"]
    list_select_related = ["rule", "college"]
    readonly_fields = [f.name for f in DeadlineNotice._meta.fields]


@admin.register(DeadlineScan)
class DeadlineScanAdmin(ScopedAdmin):
    editable = False
    list_display = [
        "as_of",
        "started_at",
        "finished_at",
        "rules",
        "opened",
        "resolved",
        "reopened",
        "withdrawn",
    ]
    readonly_fields = [f.name for f in DeadlineScan._meta.fields]
