"""Reads of status changes, scoped to the user (SEC-2): the cases, and their values as people read them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from annual_registration.models import StatusChange
from annual_registration.services.change_rules import FIELD_LABELS
from registrar import codes
from registrar.models import College, Major, User


def changes_for(user: User) -> QuerySet[StatusChange]:
    """The status changes ``user`` may see: their colleges' for college staff, their own for a student."""
    return StatusChange.objects.for_user(user).select_related("student", "college", "batch")


@dataclass(frozen=True)
class ShownValue:
    """One field a change moves, as a page shows it: 专业：英语 → 软件工程."""

    label: str
    before: str
    after: str


def shown_values(changes: Iterable[StatusChange]) -> dict[int, list[ShownValue]]:
    """Each change's fields before and after as people read them: names instead of ids and codes, 学制
    in years (4年), 年级 as 2025级; two queries for any number of changes."""
    changes = list(changes)
    ids = {"college": set(), "major": set()}
    for change in changes:
        for values in (change.values_before, change.values_after):
            for name, found in ids.items():
                if values.get(name):
                    found.add(values[name])
    names = {
        "college": dict(College.objects.filter(pk__in=ids["college"]).values_list("pk", "name")),
        "major": {m.pk: f"{m.name}（{m.code}）" for m in Major.objects.filter(pk__in=ids["major"])},
    }
    statuses = dict(codes.StudentStatus.choices)

    def text(name: str, value) -> str:
        if value in (None, ""):
            return "—"
        if name in names:
            return names[name].get(value, str(value))
        if name == "student_status":
            return str(statuses.get(value, value))
        if name == "program_years":  # stored as "4.0": reads 4年, 2.5年
            return _("%(years)s年") % {"years": f"{Decimal(str(value)).normalize():f}"}
        if name == "grade":
            return _("%(year)s级") % {"year": value}
        return str(value)

    return {
        change.pk: [
            ShownValue(
                str(FIELD_LABELS.get(name, name)),
                text(name, change.values_before.get(name)),
                text(name, after),
            )
            for name, after in change.values_after.items()
        ]
        for change in changes
    }
