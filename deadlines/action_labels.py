"""The Chinese names of the audit actions of the deadline scan (SEC-3); imported by ``DeadlinesConfig.ready()``."""

from django.utils.translation import gettext_lazy as _

from audit.labels import register_actions, register_change_keys
from audit.selectors import subject_type_label
from deadlines.models import DeadlineRule, DeadlineViolation

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


def _rule_name(code: str) -> str:
    return DeadlineRule.objects.filter(code=code).values_list("name", flat=True).first() or code


def _subject(reference: str) -> str:
    """``app.model:id`` as 学年注册#533."""
    subject_type, _sep, subject_id = reference.rpartition(":")
    return f"{subject_type_label(subject_type)}#{subject_id}" if subject_type else reference


# A violation's event records its rule by code and its subject as ``app.model:id``: named here.
register_change_keys(
    DeadlineViolation, {"rule": (_("时限规则"), _rule_name), "subject": (_("对象"), _subject)}
)
