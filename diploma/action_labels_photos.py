"""The Chinese names of the audit actions of photos and the pre-check (SEC-3); imported by ``ready()``.

The check's moves (确认, 报告有误, 重新采集) are named by ``PhotoCapture``'s
transition declarations.
"""

from django.utils.translation import gettext_lazy as _

from audit.labels import register_actions, register_transitions
from diploma.models.photos import PhotoCapture

register_transitions("diploma.photo_capture", PhotoCapture, field="check_state", context=_("图像校对"))
register_actions(
    {
        "diploma.photo_capture.import": _("导入图像采集记录"),
        "diploma.photo_capture.image": _("导入学生照片"),
        "diploma.photo_import.list": _("导入图像采集名单"),
        "diploma.photo_import.images": _("导入照片压缩包"),
        "diploma.photo_retake.register": _("登记补拍"),
    }
)
