"""图像采集与校对 (DIP-9, JL28, SH三(五)3): the agency's capture records, the photos, the student's check, retakes.

One ``PhotoCapture`` per student: the designated agency's capture (date, the
photo's file name on the national platform) and, once the zip of JPEGs is
imported, the photo itself. From 40 days after capture the student checks it
(``check_state``: 待校对 → 确认无误 | 报告有误); a new capture or a new photo puts it
back to 待校对 (``recapture``). Students without a photo register for a retake
(``PhotoRetake``). The platform file reads ``PhotoCapture.file_name``.
"""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from registrar.models import Student
from registrar.roles import registrar_decides
from registrar.scoping import scoped_queryset

if TYPE_CHECKING:
    from typing import Unpack

    from registrar.transitions import TransitionArgs

# JL28(一): the check opens on the 40th day after capture; it is not a day-40 deadline.
CHECK_OPENS_AFTER_DAYS = 40


class PhotoImportKind(models.TextChoices):
    LIST = "list", _("图像采集名单")
    IMAGES = "images", _("照片压缩包")


class PhotoImport(models.Model):
    """一次图像采集数据导入: the agency's list (xlsx) or its zip of JPEGs, who imported it, what it changed."""

    kind = models.CharField(_("导入内容"), max_length=8, choices=PhotoImportKind.choices)
    file_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("文件摘要"), max_length=64)
    rows = models.PositiveIntegerField(_("条数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    changed = models.PositiveIntegerField(_("变化"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("导入人")
    )
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    objects = scoped_queryset(college=None).as_manager()

    class Meta:
        verbose_name = _("图像采集数据导入")
        verbose_name_plural = _("图像采集数据导入")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"


class CheckState(models.TextChoices):
    """图像校对结论 (JL28(一))."""

    UNCHECKED = "unchecked", _("待校对")
    CONFIRMED = "confirmed", _("确认无误")
    DISPUTED = "disputed", _("报告有误")


def student_checks_own(instance: PhotoCapture, user) -> bool:
    """The photo check is the student's own act (JL28(一)): nobody checks for them."""
    return getattr(user, "student_id", None) is not None and user.student_id == instance.student_id


def photo_path(instance: PhotoCapture, filename: str) -> str:
    """A random name under ``diploma/photos/``: nothing of the zip's member names reaches the disk."""
    return f"diploma/photos/{instance.captured_on:%Y}/{uuid.uuid4().hex}.jpg"


class PhotoCapture(FSMModelMixin, models.Model):
    """图像采集记录: the agency's capture of one student's photo, the photo, and the student's check (DIP-9)."""

    student = models.OneToOneField(
        Student, on_delete=models.PROTECT, related_name="photo_capture", verbose_name=_("学生")
    )
    captured_on = models.DateField(_("采集日期"))
    file_name = models.CharField(
        _("照片文件名"), max_length=100, help_text=_("学历注册上报文件中的照片文件名（采集机构名单所列）")
    )
    source = models.ForeignKey(
        PhotoImport, on_delete=models.PROTECT, related_name="captures", verbose_name=_("采集名单")
    )
    image = models.FileField(_("照片"), upload_to=photo_path, max_length=200, blank=True)
    image_sha256 = models.CharField(_("照片摘要"), max_length=64, blank=True)
    width = models.PositiveIntegerField(_("宽（像素）"), null=True, blank=True)
    height = models.PositiveIntegerField(_("高（像素）"), null=True, blank=True)
    image_source = models.ForeignKey(
        PhotoImport,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="images",
        verbose_name=_("照片压缩包"),
    )
    check_state = FSMField(
        _("校对结论"), max_length=16, choices=CheckState.choices, default=CheckState.UNCHECKED, protected=True
    )
    checked_at = models.DateTimeField(_("校对时间"), null=True, blank=True)
    problem = models.TextField(_("学生报告的问题"), blank=True)

    objects = scoped_queryset(college="student__college", student="student").as_manager()

    class Meta:
        verbose_name = _("图像采集与校对")
        verbose_name_plural = _("图像采集与校对")
        ordering = ["student__student_number", "pk"]
        indexes = [models.Index(fields=["check_state", "captured_on"])]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.captured_on:%Y-%m-%d}）"

    @property
    def check_opens_on(self) -> datetime.date:
        """The first day the student may check the photo (JL28(一): 40 days after capture)."""
        return self.captured_on + datetime.timedelta(days=CHECK_OPENS_AFTER_DAYS)

    S = CheckState

    @transition(
        field=check_state,
        source=S.UNCHECKED,
        target=S.CONFIRMED,
        permission=student_checks_own,
        custom={"label": _("确认照片和信息无误")},
    )
    def confirm(self, **args: Unpack[TransitionArgs]) -> None:
        """The student confirms photo and data (JL28(一))."""
        self.checked_at, self.problem = args["at"], ""

    @transition(
        field=check_state,
        source=S.UNCHECKED,
        target=S.DISPUTED,
        permission=student_checks_own,
        custom={"label": _("报告照片或信息有误")},
    )
    def dispute(self, **args: Unpack[TransitionArgs]) -> None:
        """The student reports what is wrong (JL28(一): 如有异议请及时与学校联系)."""
        self.checked_at, self.problem = args["at"], args.get("reason", "")

    @transition(
        field=check_state,
        source=[S.UNCHECKED, S.CONFIRMED, S.DISPUTED],
        target=S.UNCHECKED,
        permission=registrar_decides,
        custom={"label": _("重新采集，待校对")},
    )
    def recapture(self, **args: Unpack[TransitionArgs]) -> None:
        """A new capture or photo: the student checks again (DIP-9)."""
        self.checked_at, self.problem = None, ""

    del S


class RetakeReason(models.TextChoices):
    MISSED = "missed", _("未参加采集")
    DISPUTED = "disputed", _("校对有误需重拍")
    OTHER = "other", _("其他")


class PhotoRetake(models.Model):
    """补拍登记 (SH三(五)3(3)): a student who missed the capture, registered for the agency's retake.

    Done once a capture dated on or after the registration arrives (``selectors``); never edited.
    """

    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="photo_retakes", verbose_name=_("学生")
    )
    reason = models.CharField(_("原因"), max_length=16, choices=RetakeReason.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = scoped_queryset(college="student__college", student="student").as_manager()

    class Meta:
        verbose_name = _("补拍登记")
        verbose_name_plural = _("补拍登记")
        ordering = ["-registered_at"]

    def __str__(self) -> str:
        return f"{self.student}（{self.get_reason_display()}）"
