"""The work calendar: years whose holiday schedule is entered in full, and the days marked by hand."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from registrar.scoping import scoped_queryset


class ScheduleYear(models.Model):
    """A year whose State Council holiday schedule the registrar has entered in full.

    For such a year the ``WorkdayOverride`` rows and weekends decide alone; for
    other years the chinese-calendar library does, or, for a year it does not
    know, weekends do, provisionally.
    """

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(
        _("依据文件"), max_length=200, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知")
    )

    objects = scoped_queryset(college=None, public=True).as_manager()

    class Meta:
        verbose_name = _("法定节假日安排年度")
        verbose_name_plural = _("法定节假日安排年度")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class WorkdayOverride(models.Model):
    """A day the registrar marks as a holiday or a make-up workday (调休); wins over the library."""

    day = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    objects = scoped_queryset(college=None, public=True).as_manager()

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["-day"]

    def __str__(self) -> str:
        kind = pgettext("day kind", "工作日") if self.is_workday else pgettext("day kind", "休息日")
        return f"{self.day:%Y-%m-%d} {kind}"
