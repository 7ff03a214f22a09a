"""What every app's API shares: who may call it, the fields every endpoint reads alike, row errors.

Endpoints refuse students and the auditor's writes first (``StaffRole``), then look the
object up in the user's scope (another college's object is a 404, never a 403), and only
then check that the registrar decides (``RegistrarDecides``) and read the input.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import permissions, serializers

from registrar.roles import STAFF_ROLES, can_write, is_registrar, role_of
from registrar.sheets.tables import RowError

# The largest id PostgreSQL's bigint holds: ids in the input are checked against it (400, not a 500).
MAX_ID = 2**63 - 1


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="行号（表头为第1行；0表示整个文件）")
    column = serializers.CharField()
    reason = serializers.CharField()


def row_errors(errors: list[RowError]) -> list[dict]:
    """Row errors as the API answers them: row, column, reason."""
    return [{"row": e.row, "column": e.column, "reason": e.reason} for e in errors]


def id_field(message, *, required: bool = True) -> serializers.IntegerField:
    """An id in the database's range (required unless said otherwise); anything else is a 400 with ``message``."""
    return serializers.IntegerField(
        required=required,
        min_value=1,
        max_value=MAX_ID,
        error_messages={key: message for key in ("required", "null", "invalid", "min_value", "max_value")},
    )


class StaffRole(permissions.BasePermission):
    """Staff read; the auditor only reads; students and anonymous users have no access (SEC-1)."""

    def has_permission(self, request, view) -> bool:
        role = role_of(request.user)
        if role not in STAFF_ROLES:
            self.message = _("仅限教职工使用")
            return False
        if request.method not in permissions.SAFE_METHODS and not can_write(request.user):
            self.message = _("审计人员只能查看")
            return False
        return True


class RegistrarDecides(permissions.BasePermission):
    """Decisions on a record or a correction are the registrar's (SEC-1); checked after the scoped lookup."""

    def has_object_permission(self, request, view, obj) -> bool:
        if is_registrar(request.user):
            return True
        self.message = _("只有教务处可以办理")
        return False


def required_text(message, **kwargs) -> serializers.CharField:
    """A required text field whose every refusal (missing, blank, null) says ``message``."""
    return serializers.CharField(
        error_messages={"required": message, "blank": message, "null": message}, **kwargs
    )


def document_number_field(**kwargs) -> serializers.CharField:
    """文号: at most 100 characters, as AuditEvent and CorrectionRequest keep it."""
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    if not kwargs["required"]:
        kwargs.setdefault("default", "")
    return serializers.CharField(
        max_length=100,
        error_messages={
            "max_length": gettext_lazy("文号不能超过100个字符"),
            "null": gettext_lazy("文号不能为空值"),
        },
        **kwargs,
    )
