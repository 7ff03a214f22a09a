"""The Chinese names of the audit actions annual registration records (SEC-3); imported by ``ready()``."""

from django.utils.translation import gettext_lazy as _

from annual_registration.models import AnnualRegistration, FeeStatus, TermCheckIn
from audit.labels import register_actions, register_change_keys, register_transitions
from registrar.models import Student

register_transitions("annual_registration.registration", AnnualRegistration, context=_("学年注册"))
register_transitions("annual_registration.check_in", TermCheckIn, context=_("学期报到注册"))
register_actions(
    {
        "annual_registration.registration.open": _("列入学年注册名册"),
        "annual_registration.roll.open": _("开启学年注册"),
        "annual_registration.fee.import": _("导入缴费数据"),
        "annual_registration.fee.update": _("缴费情况变更"),
        "annual_registration.list.items_save": _("保存学年注册名单条目"),
        "annual_registration.list.items_fill": _("将待注册学生加入名单"),
        "annual_registration.check_in.open": _("列入学期报到名册"),
        "annual_registration.check_in_roll.open": _("开启学期报到注册"),
    }
)

# A fee update is recorded on the student, whose row holds no fee status: its keys named here.
register_change_keys(
    Student,
    {
        "fee_status": (_("缴费情况"), dict(FeeStatus.choices)),
        "academic_year": (
            _("学年"),
            lambda year: _("%(start)s-%(end)s学年") % {"start": year, "end": int(year) + 1},
        ),
    },
)
