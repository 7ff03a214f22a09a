"""学年电子注册情况统计表 sent to the province (ANN-12): one school-level report a year, and who sent it when."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from registrar.models import AcademicYear, School
from registrar.scoping import scoped_queryset


class StatisticsReport(models.Model):
    """普通高等学校学生学年电子注册情况统计表 as it went to the province (ANN-12).

    ``figures`` keeps the table as sent (its rows and the school total), so that the
    file can be downloaded again exactly as it was, whatever changed since.
    """

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+", verbose_name=_("学校"))
    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.PROTECT, related_name="statistics_reports", verbose_name=_("学年")
    )
    figures = models.JSONField(_("统计数据（报送时）"))
    sha256 = models.CharField(_("报送文件摘要"), max_length=64)
    recipient = models.CharField(_("报送单位"), max_length=100)
    document_number = models.CharField(_("报送文号"), max_length=100, blank=True)
    sent_on = models.DateField(_("报送日期"))
    sent_by = models.ForeignKey(
        "registrar.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("报送人")
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    # A school-level report: the registrar office's and the auditor's; college staff and students see none.
    objects = scoped_queryset(college=None).as_manager()

    class Meta:
        verbose_name = _("学年电子注册情况统计表")
        verbose_name_plural = _("学年电子注册情况统计表（报送记录）")
        ordering = ["-academic_year__start_year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "academic_year"], name="statistics_report_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.academic_year}{self._meta.verbose_name}"
