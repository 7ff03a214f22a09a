"""The Chinese names of the audit actions the core records (SEC-3); imported by ``RegistrarConfig.ready()``."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.labels import register_actions, register_model_writes, register_transitions
from registrar.models import Batch, Student

# ``registrar.services.reference_save`` / ``reference_delete`` and every ``<model>.create`` of a service.
register_model_writes(
    {
        "create": pgettext_lazy("audit action", "新增"),
        "update": pgettext_lazy("audit action", "修改"),
        "delete": pgettext_lazy("audit action", "删除"),
    }
)
register_transitions("registrar.student", Student, "student_status")
register_transitions("registrar.batch", Batch, context=_("名单"))
register_actions(
    {
        "registrar.user.set_credentials": _("重设账号密码"),
        "registrar.student.demo_create": _("生成演示学生"),
        "account.lockout_lift": _("解除登录锁定"),
        "account.lockouts_forget_old": _("清理过期的登录失败记录"),
        "registrar.notice.send": _("发送通知"),
        "registrar.notice.read": _("阅读通知"),
        "registrar.batch.items_remove": _("从名单中移除学生"),
        "registrar.batch.items_outcome": _("批量设置名单结论"),
        "registrar.batch.delete": _("删除名单草稿"),
        "registrar.batch.attachments_add": _("补充名单证明材料"),
        "registrar.export": _("导出个人数据文件"),
    }
)
