"""The Chinese names of the audit actions of the deadline scan (SEC-3); imported by ``DeadlinesConfig.ready()``."""

from django.utils.translation import gettext_lazy as _

from audit.labels import register_actions

register_actions(
    {
        "deadline.scan": _("时限检查"),
        "deadline.violation.open": _("发现逾期未办"),
        "deadline.violation.resolve_late": _("逾期办结"),
        "deadline.violation.resolve": _("逾期事项办结"),
        "deadline.violation.reopen": _("逾期事项重新打开"),
        "deadline.violation.withdraw": _("逾期事项撤销"),
        "deadline.violation.change": _("逾期事项状态变更"),
    }
)
