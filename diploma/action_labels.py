"""The Chinese names of diploma registration's audit actions (SEC-3); imported by ``DiplomaConfig.ready()``."""

from django.utils.translation import gettext_lazy as _

from audit.labels import register_actions, register_transitions
from diploma.models import Certificate, CertificateCorrection, ExpectedGraduate

register_transitions("diploma.certificate", Certificate, context=_("学历证书"))
register_transitions("diploma.graduate", ExpectedGraduate, "outcome", context=_("毕(结)业结论"))
register_transitions("diploma.correction", CertificateCorrection, context=_("学历证书更正"))
register_actions(
    {
        "diploma.graduate.add": _("列入预计毕业生名单"),
        "diploma.graduates.build": _("生成预计毕业生名单"),
        "diploma.outcomes.items_save": _("登记毕业结论名单"),
        "diploma.outcomes.items_fill": _("加入本学院预计毕业生"),
        "diploma.correction.request": _("提出学历证书更正申请"),
        "diploma.annotation.add": _("学历证书备注"),
        "diploma.attestation.issue": _("出具学历证书遗失证明书"),
    }
)
