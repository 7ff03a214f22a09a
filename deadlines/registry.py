"""The registry of deadline kinds: which subjects a kind watches and how to tell that one is done.

A domain app adds its kind with one call from its own ``deadlines`` module,
imported in its ``AppConfig.ready()``::

    register_kind("annual_registration.registration", label=_("学年注册"), subjects=AnnualRegistration.objects.all(), clocks={Clock.TERM_START: "term__start_date"}, college="student__college", student="student", done_on="registered_on")

``subjects`` is every row the kind applies to, done or not; ``clocks`` maps
each clock a rule may choose to the field path or expression giving that
date; ``college`` is the path to the responsible college; ``done_on`` is the
path or expression of the date it was done, NULL while it is not. Everything
is evaluated in SQL by the scan: no Python loop over subjects.

The keys expected by the rule definitions are in ``deadlines.defaults``:
``annual_registration.registration``, ``annual_registration.deregistration``,
``annual_registration.status_change``, ``diploma.photo_check``,
``diploma.registration`` and ``diploma.completion_exchange`` wait for their apps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.db.models.expressions import BaseExpression
from django.utils.translation import gettext as _

Expression = str | BaseExpression


@dataclass(frozen=True)
class DeadlineKind:
    key: str
    label: str
    subjects: models.QuerySet
    clocks: Mapping[str, Expression]
    college: Expression
    done_on: Expression
    student: Expression | None = None
    subject_label: Expression | None = None

    @property
    def model(self) -> type[models.Model]:
        return self.subjects.model

    @property
    def subject_type(self) -> str:
        return self.model._meta.label_lower

    def queryset(self) -> models.QuerySet:
        return self.subjects.all()


_KINDS: dict[str, DeadlineKind] = {}


def _expression(value: Expression) -> BaseExpression:
    return F(value) if isinstance(value, str) else value


def register_kind(
    key: str,
    *,
    label: str,
    subjects: models.QuerySet | models.Manager,
    clocks: Mapping[str, Expression],
    college: Expression,
    done_on: Expression,
    student: Expression | None = None,
    subject_label: Expression | None = None,
) -> DeadlineKind:
    """Add (or replace) a kind of deadline subject; one call from a domain app's ``ready()``."""
    if not clocks:
        raise ValueError(f"kind {key} needs at least one clock")
    kind = DeadlineKind(
        key=key,
        label=str(label),
        subjects=subjects.all(),
        clocks={clock: _expression(expr) for clock, expr in clocks.items()},
        college=_expression(college),
        done_on=_expression(done_on),
        student=_expression(student) if student is not None else None,
        subject_label=_expression(subject_label) if subject_label is not None else None,
    )
    _KINDS[key] = kind
    return kind


def unregister_kind(key: str) -> None:
    _KINDS.pop(key, None)


def get_kind(key: str) -> DeadlineKind | None:
    return _KINDS.get(key)


def registered_kinds() -> dict[str, DeadlineKind]:
    return dict(_KINDS)


def validate_rule(rule) -> None:
    """A rule's unit, length and fixed date agree, and its clock is one its kind offers."""
    from deadlines.models import DeadlineUnit

    errors: dict[str, str] = {}
    if rule.unit == DeadlineUnit.FIXED_DATE:
        if not rule.fixed_day:
            errors["fixed_day"] = _("按固定日期计算的规则须填写“月-日”，如 10-30")
        else:
            month, day = (int(part) for part in rule.fixed_day.split("-"))
            if day > (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31):
                errors["fixed_day"] = _("%(day)s 不是有效日期") % {"day": rule.fixed_day}
    elif rule.unit in (DeadlineUnit.MONTHS, DeadlineUnit.WORKDAYS) and (rule.length or 0) < 1:
        errors["length"] = _("按自然月或工作日计算的时限长度至少为1")
    kind = get_kind(rule.kind)
    if kind is not None and rule.clock not in kind.clocks:
        offered = "、".join(kind.clocks)
        errors["clock"] = _("“%(kind)s”的起算事件只能是：%(clocks)s") % {
            "kind": kind.label,
            "clocks": offered,
        }
    if errors:
        raise ValidationError(errors)
