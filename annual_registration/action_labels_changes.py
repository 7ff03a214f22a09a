"""The Chinese names of the audit actions of status changes (SEC-3); imported by ``ready()``.

The cases' moves are named by their declarations (``StatusChange``'s
transitions); the students' 学籍状态 and this year's registration by theirs,
registered by the core and by ``action_labels``.
"""

from django.utils.translation import gettext_lazy as _

from annual_registration.models import StatusChange
from audit.labels import register_actions, register_transitions

register_transitions("annual_registration.change", StatusChange, context=_("学籍异动"))
register_actions(
    {
        "annual_registration.change.file": _("提出学籍异动"),
        "annual_registration.change.update": _("修改学籍异动"),
        "annual_registration.change_list.items_save": _("保存学籍异动名单条目"),
        "annual_registration.change_list.items_fill": _("将学生加入学籍异动名单"),
    }
)
