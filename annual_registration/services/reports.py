"""学年电子注册情况统计表报送 (ANN-12): one report per school and year, with when and by whom it was sent."""

from __future__ import annotations

import datetime
import hashlib

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from annual_registration.exports import statistics_xlsx
from annual_registration.models import StatisticsReport
from annual_registration.reports import annual_statistics
from audit.services import audit_record
from registrar.errors import DomainError
from registrar.models import AcademicYear, School, User
from registrar.roles import is_registrar


def _already_sent(report: StatisticsReport) -> DomainError:
    return DomainError(
        _("%(year)s的统计表已于%(day)s由%(who)s报送，每学年只报送一次")
        % {
            "year": report.academic_year,
            "day": f"{report.sent_on:%Y-%m-%d}",
            "who": report.sent_by.get_full_name() or report.sent_by.get_username(),
        }
    )


@transaction.atomic
def statistics_report_send(
    *,
    actor: User,
    academic_year: AcademicYear,
    sent_on: datetime.date | None,
    recipient: str,
    document_number: str = "",
) -> StatisticsReport:
    """报送学年电子注册情况统计表 (ANN-12): the registrar's, once per school and year.

    The whole school's table as it stands is kept with the report (its figures and
    the digest of the file), so that what went to the province can be shown again.
    """
    if not is_registrar(actor):
        raise PermissionDenied(_("只有教务处可以报送统计表"))
    school = School.current()
    if school is None:
        raise DomainError(_("请先登记学校信息"))
    existing = StatisticsReport.objects.filter(school=school, academic_year=academic_year).first()
    if existing is not None:
        raise _already_sent(existing)
    recipient = (recipient or "").strip()
    if not recipient:
        raise DomainError(_("请填写报送单位"))
    if sent_on is None or sent_on > timezone.localdate():
        raise DomainError(_("请填写报送日期（不晚于今天）"))
    statistics = annual_statistics(actor, academic_year)
    if statistics.total.on_roll == 0:
        raise DomainError(_("%(year)s尚未开启学年注册，没有可报送的数据") % {"year": academic_year})
    content = statistics_xlsx(statistics)
    try:
        with transaction.atomic():
            report = StatisticsReport.objects.create(
                school=school,
                academic_year=academic_year,
                figures=statistics.as_figures(),
                sha256=hashlib.sha256(content).hexdigest(),
                recipient=recipient[:100],
                document_number=(document_number or "").strip()[:100],
                sent_on=sent_on,
                sent_by=actor,
            )
    except IntegrityError:  # another registrar recorded it meanwhile
        raise _already_sent(
            StatisticsReport.objects.get(school=school, academic_year=academic_year)
        ) from None
    audit_record(
        actor=actor,
        action="annual_registration.statistics.send",
        subject=report,
        after={
            "academic_year": academic_year.start_year,
            "sent_on": sent_on.isoformat(),
            "recipient": report.recipient,
            "on_roll": statistics.total.on_roll,
            "in_school": statistics.total.in_school,
        },
        document_number=report.document_number,
    )
    return report
