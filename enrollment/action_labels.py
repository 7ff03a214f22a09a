"""The Chinese names of the audit actions freshman registration records (SEC-3); imported by ``ready()``.

The transitions' names come from their declarations; the prefixes are those
the services pass to the transition engine (``enrollment.services``).
"""

from django.utils.translation import gettext_lazy as _

from audit.labels import register_actions, register_transitions
from enrollment.models import AdmissionRecord, CorrectionRequest

register_transitions("enrollment.admission", AdmissionRecord)
register_transitions("enrollment.review", AdmissionRecord, context=_("教务处审批通过名单"))
register_transitions("enrollment.rereview", AdmissionRecord, context=_("入学资格复查"))
register_transitions("enrollment.correction", CorrectionRequest, context=_("录取数据更正申请"))
register_actions(
    {
        "enrollment.admission.import": _("录取数据导入"),
        "enrollment.admission.update": _("录取数据更新"),
        "enrollment.admission.correct": _("按省招生部门答复更正录取数据"),
        "enrollment.admission.confirm": _("本人确认信息无误"),
        "enrollment.admission.clear_conflict": _("重名重号已核清"),
        "enrollment.admission.report_error": _("学生报告信息有误"),
        "enrollment.report.resolve": _("学生报告的信息错误已处理"),
        "enrollment.student.passwords_issue": _("生成初始密码单"),
        "enrollment.review.items_save": _("保存审查名单条目"),
        "enrollment.review.items_fill": _("将尚未审查的新生加入名单"),
        "enrollment.deferral.lapsed": _("保留入学资格期满待认定"),
        "enrollment.correction.create": _("申请更正录取数据"),
        "enrollment.rereview.status_cancelled": _("入学资格复查不合格，注销学籍"),
    }
)
