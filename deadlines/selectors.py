"""Reads of deadline violations, always scoped to the user (the auditor's reports, the staff pages)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from deadlines.models import DeadlineNotice, DeadlineRule, DeadlineViolation, ViolationState
from deadlines.registry import get_kind


@dataclass(frozen=True)
class ViolationFilter:
    """Filters of the auditor's view: rule (by code), college, state and a period of due dates."""

    rule: str | None = None
    college: int | None = None
    state: str | None = None
    due_from: datetime.date | None = None
    due_to: datetime.date | None = None


def violations_for(user, filters: ViolationFilter | None = None) -> QuerySet[DeadlineViolation]:
    """逾期记录 visible to ``user`` (college staff: their colleges only), filtered."""
    filters = filters or ViolationFilter()
    queryset = DeadlineViolation.objects.for_user(user).select_related("rule", "college")
    if filters.rule:
        queryset = queryset.filter(rule__code=filters.rule)
    if filters.college:
        queryset = queryset.filter(college_id=filters.college)
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.due_from:
        queryset = queryset.filter(due_date__gte=filters.due_from)
    if filters.due_to:
        queryset = queryset.filter(due_date__lte=filters.due_to)
    return queryset.order_by("due_date", "pk")


def violation_counts_by_college(queryset: QuerySet[DeadlineViolation]) -> list[dict]:
    """Counts per college for the dashboard: open, resolved late, withdrawn, total."""
    return list(
        queryset.order_by()
        .values("college_id", "college__code", "college__name")
        .annotate(
            open=Count("pk", filter=Q(state=ViolationState.OPEN)),
            resolved=Count("pk", filter=Q(state=ViolationState.RESOLVED)),
            withdrawn=Count("pk", filter=Q(state=ViolationState.WITHDRAWN)),
            total=Count("pk"),
        )
        .order_by("college__code")
    )


def rules_for(user) -> QuerySet[DeadlineRule]:
    return DeadlineRule.objects.for_user(user).order_by("code", "policy")


def notices_for(user) -> QuerySet[DeadlineNotice]:
    """时限提醒 of the user's colleges (all of them for school-wide roles)."""
    return DeadlineNotice.objects.for_user(user).select_related("rule", "college")


def subject_labels(violations: list[DeadlineViolation]) -> dict[tuple[str, int], str]:
    """What each subject is, as people read it (its ``str``), fetched once per chunk and type."""
    by_type: dict[str, list[int]] = defaultdict(list)
    kinds = {}
    for violation in violations:
        by_type[violation.subject_type].append(violation.subject_id)
        kinds[violation.subject_type] = get_kind(violation.rule.kind)
    labels: dict[tuple[str, int], str] = {}
    for subject_type, ids in by_type.items():
        kind = kinds[subject_type]
        if kind is None:
            continue
        for pk, obj in kind.model._base_manager.in_bulk(ids).items():
            labels[(subject_type, pk)] = str(obj)
    return labels
