"""The Chinese names of the audit actions of 学籍记载, identity changes and the statistics report (SEC-3).

Imported by ``AnnualRegistrationConfig.ready()``, next to ``action_labels``.
"""

from django.utils.translation import gettext_lazy as _

from annual_registration.models import IdentityChangeRequest, Punishment
from audit.labels import register_actions, register_transitions

register_transitions("annual_registration.punishment", Punishment)
register_transitions("annual_registration.identity", IdentityChangeRequest, context=_("学籍信息变更申请"))
register_actions(
    {
        "annual_registration.award.record": _("登记奖励"),
        "annual_registration.punishment.record": _("登记处分"),
        "annual_registration.certificate.issue": _("发放肄业证书或学习证明"),
        "annual_registration.identity.file": _("提交学籍信息变更申请"),
        "annual_registration.student.identity_change": _("学籍信息变更（原信息保留）"),
        "annual_registration.admission.identity_change": _("录取数据随高考信息采集错误更正（原信息保留）"),
        "annual_registration.identity_settings.update": _("修改学籍信息变更设置"),
        "annual_registration.statistics.send": _("报送学年电子注册情况统计表"),
    }
)
