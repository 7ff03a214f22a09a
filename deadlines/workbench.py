"""Deadlines on the staff home page (issue 10, item 2): what falls due soon and what is overdue.

College staff see their colleges' items due in the next working days and their overdue items; the
registrar sees the overdue items by rule; the auditor sees overdue and resolved-late counts by rule
and college, how they went month by month, and which rules are not monitored because no app
provides their subjects yet (shown as such, never as "no violations"). Registered with the
workbench by ``DeadlinesConfig.ready()``; each count is one scoped query.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncMonth
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from deadlines.models import DeadlineReminder, DeadlineRule, DeadlineViolation, ViolationState
from deadlines.registry import get_kind
from deadlines.rules import rules_effective
from registrar.calendar import add_workdays
from registrar.roles import Role, role_of
from registrar.workbench import REGISTRAR_OFFICE, HomeSection, chart_options, home_section

MONTHS_CHARTED = 12


def rule_is_monitored(rule: DeadlineRule) -> bool:
    """Whether an app provides the rule's subjects with the clock it runs on (the scan skips it otherwise)."""
    kind = get_kind(rule.kind)
    return kind is not None and rule.clock in kind.clocks


def _dashboard_url(**filters: str) -> str:
    return f"{reverse('deadlines:dashboard')}?{urlencode(filters)}"


@home_section(order=40)
def college_deadlines(request: HttpRequest) -> HomeSection | None:
    """时限: the college's subjects due within the reminder window, and its overdue items, by rule."""
    if role_of(request.user) != Role.COLLEGE_STAFF:
        return None
    today = timezone.localdate()
    workdays = settings.DEADLINE_REMINDER_WORKDAYS
    until = add_workdays(today, workdays).day
    due_soon = list(
        DeadlineReminder.objects.for_user(request.user)
        .filter(due_date__gte=today, due_date__lte=until)
        .values("rule__code", "rule__name")
        .annotate(count=Count("subject_id", distinct=True), first_due=Max("due_date"))
        .order_by("rule__code")
    )
    overdue = list(
        DeadlineViolation.objects.for_user(request.user)
        .filter(state=ViolationState.OPEN)
        .values("rule__code", "rule__name")
        .annotate(count=Count("pk"), days_late=Max("days_late"))
        .order_by("rule__code")
    )
    for row in overdue:
        row["url"] = _dashboard_url(rule=row["rule__code"], state=ViolationState.OPEN)
    return HomeSection(
        "deadlines",
        _("时限提醒与逾期"),
        "admin/workbench/deadlines_college.html",
        {
            "workdays": workdays,
            "until": until,
            "due_soon": due_soon,
            "overdue": overdue,
            "overdue_total": sum(row["count"] for row in overdue),
            "dashboard_url": reverse("deadlines:dashboard"),
        },
    )


@home_section(order=50)
def overdue_by_rule(request: HttpRequest) -> HomeSection | None:
    """逾期未办（按规则）: the registrar's open violations per rule, with the worst delay."""
    if role_of(request.user) not in REGISTRAR_OFFICE:
        return None
    rows = list(
        DeadlineViolation.objects.for_user(request.user)
        .filter(state=ViolationState.OPEN)
        .values("rule__code", "rule__name")
        .annotate(count=Count("pk"), colleges=Count("college", distinct=True), days_late=Max("days_late"))
        .order_by("-count", "rule__code")
    )
    for row in rows:
        row["url"] = _dashboard_url(rule=row["rule__code"], state=ViolationState.OPEN)
    return HomeSection(
        "overdue",
        _("逾期未办（按规则）"),
        "admin/workbench/overdue_by_rule.html",
        {
            "rows": rows,
            "total": sum(row["count"] for row in rows),
            "dashboard_url": reverse("deadlines:dashboard"),
        },
    )


@home_section(order=15)
def audit_overview(request: HttpRequest) -> HomeSection | None:
    """The auditor's view: every governing rule with its overdue and resolved-late counts per college,
    or "未监控" when no app provides its subjects; and the violations found month by month."""
    if role_of(request.user) != Role.AUDITOR:
        return None
    counts = list(
        DeadlineViolation.objects.for_user(request.user)
        .filter(state__in=[ViolationState.OPEN, ViolationState.RESOLVED])
        .values("rule__code", "college__name")
        .annotate(
            open=Count("pk", filter=Q(state=ViolationState.OPEN)),
            resolved=Count("pk", filter=Q(state=ViolationState.RESOLVED)),
        )
        .order_by("rule__code", "college__name")
    )
    by_rule: dict[str, list[dict]] = defaultdict(list)
    for row in counts:
        by_rule[row["rule__code"]].append(row)
    rules = []
    for rule in rules_effective():
        monitored = rule_is_monitored(rule)
        colleges = by_rule.get(rule.code, [])
        rules.append(
            {
                "rule": rule,
                "monitored": monitored,
                "colleges": colleges,
                "open": sum(row["open"] for row in colleges),
                "resolved": sum(row["resolved"] for row in colleges),
                "url": _dashboard_url(rule=rule.code),
            }
        )
    return HomeSection(
        "audit",
        _("各时限规则的逾期情况"),
        "admin/workbench/audit_rules.html",
        {
            "rules": rules,
            "unmonitored": [row for row in rules if not row["monitored"]],
            "chart": json.dumps(_monthly_chart(request), ensure_ascii=False),
            "chart_options": chart_options(stacked=True),
            "months": MONTHS_CHARTED,
            "dashboard_url": reverse("deadlines:dashboard"),
        },
        width="full",
    )


def _monthly_chart(request: HttpRequest) -> dict:
    """Violations found per month over the last months: still open, and resolved late (one query)."""
    today = timezone.localdate()
    months = []
    year, month = today.year, today.month
    for _step in range(MONTHS_CHARTED):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    months.reverse()
    rows = (
        DeadlineViolation.objects.for_user(request.user)
        .filter(opened_on__gte=months[0], state__in=[ViolationState.OPEN, ViolationState.RESOLVED])
        .annotate(month=TruncMonth("opened_on"))
        .values("month")
        .annotate(
            open=Count("pk", filter=Q(state=ViolationState.OPEN)),
            resolved=Count("pk", filter=Q(state=ViolationState.RESOLVED)),
        )
    )
    found = {_month_start(row["month"]): row for row in rows}
    return {
        "labels": [f"{month:%Y-%m}" for month in months],
        "datasets": [
            {
                "label": _("逾期未办"),
                "data": [found.get(month, {}).get("open", 0) for month in months],
                "backgroundColor": "#c2410c",
            },
            {
                "label": _("逾期办结"),
                "data": [found.get(month, {}).get("resolved", 0) for month in months],
                "backgroundColor": "#356aa3",
            },
        ],
    }


def _month_start(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.replace(day=1)
