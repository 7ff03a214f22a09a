"""Reminders (时限提醒): college staff are told N working days before a due date, once per subject and due date.

N is ``settings.DEADLINE_REMINDER_WORKDAYS``. The unique key of
``DeadlineReminder`` (rule, subject, due date) and INSERT … ON CONFLICT DO
NOTHING keep a reminder from being made twice; each scan groups the new ones
into one ``DeadlineNotice`` per college and rule, shown in the staff pages and
mailed after commit.
"""

from __future__ import annotations

import datetime
import logging
import smtplib

from django.core.mail import send_mail
from django.db import connection
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from deadlines.models import DeadlineNotice, DeadlineReminder, DeadlineRule, DeadlineScan
from deadlines.registry import DeadlineKind
from registrar.models import User
from registrar.roles import Role

logger = logging.getLogger(__name__)
REMINDERS = DeadlineReminder._meta.db_table


def reminders_collect(
    *,
    rule: DeadlineRule,
    kind: DeadlineKind,
    scan: DeadlineScan,
    as_of: datetime.date,
    remind_until: datetime.date,
    dialect,
) -> int:
    """时限提醒 (ANN-2, ANN-5, ENR-5 …): remind subjects not done whose due date falls within N working days.

    Uses the ``deadline_due`` table the scan filled for this rule. Returns how
    many new reminders were made.
    """
    from deadlines.scan import subjects_sql

    d = dialect.date
    subject_sql, subject_params = subjects_sql(kind, rule.clock)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {REMINDERS} (rule_id, subject_type, subject_id, due_date, college_id, scan_id, provisional)
            SELECT %s, %s, s.dl_sid, d.due_date, s.dl_college, %s, d.provisional
            FROM ({subject_sql}) s
            JOIN deadline_due d ON d.clock_start = s.dl_clock
            WHERE (s.dl_done IS NULL OR s.dl_done > %s) AND d.due_date >= %s AND d.due_date <= %s
            ON CONFLICT (rule_id, subject_type, subject_id, due_date) DO NOTHING
            """,
            (rule.pk, kind.subject_type, scan.pk, *subject_params, d(as_of), d(as_of), d(remind_until)),
        )
    fresh = DeadlineReminder.objects.filter(scan=scan, rule=rule, college__isnull=False)
    made = 0
    for group in fresh.values("college").annotate(
        count=Count("pk"), first=Min("due_date"), provisional=Count("pk", filter=Q(provisional=True))
    ):
        notice = DeadlineNotice.objects.create(
            college_id=group["college"],
            rule=rule,
            scan=scan,
            created_on=as_of,
            first_due_date=group["first"],
            subject_count=group["count"],
            provisional=bool(group["provisional"]),
        )
        fresh.filter(college_id=group["college"]).update(notice=notice)
        made += group["count"]
    return made


def notice_recipients(notice: DeadlineNotice) -> list[User]:
    return list(
        User.objects.filter(
            role=Role.COLLEGE_STAFF, is_active=True, colleges=notice.college_id, email__gt=""
        ).order_by("pk")
    )


def notices_send(*, notice_ids: list[int]) -> int:
    """Mail each notice to its college's staff (Django's mail backend); never twice. Returns mails sent."""
    sent = 0
    for notice in DeadlineNotice.objects.filter(pk__in=notice_ids, emailed_at__isnull=True).select_related(
        "rule", "college"
    ):
        recipients = notice_recipients(notice)
        claimed = DeadlineNotice.objects.filter(pk=notice.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now(), recipients=", ".join(user.email for user in recipients)
        )
        if not claimed or not recipients:
            continue
        provisional = _("（含暂定截止日期，法定节假日安排公布后将重新计算）") if notice.provisional else ""
        try:
            send_mail(
                subject=_("【时限提醒】%(rule)s：%(count)s项将到期")
                % {"rule": notice.rule.name, "count": notice.subject_count},
                message=_("%(notice)s%(provisional)s\n\n请登录学籍学历电子注册管理系统查看“时限提醒”。")
                % {"notice": notice.message, "provisional": provisional},
                from_email=None,
                recipient_list=[user.email for user in recipients],
            )
        except (smtplib.SMTPException, OSError):
            # Release the claim: the next scan mails every notice not yet sent.
            DeadlineNotice.objects.filter(pk=notice.pk).update(emailed_at=None)
            logger.exception("deadline notice %s could not be mailed; it will be tried again", notice.pk)
            continue
        sent += 1
    return sent
