"""Which rules apply: the national defaults, replaced by the school's policy variant, replaced by the school."""

from __future__ import annotations

from deadlines.models import DeadlineRule
from registrar.models import DeadlinePolicy, School


def rules_effective(*, school: School | None = None, include_disabled: bool = False) -> list[DeadlineRule]:
    """The one rule per code that governs this school (ANN-2, ANN-6: the seeds' variants are settings)."""
    school = school if school is not None else School.current()
    policy = school.deadline_policy if school is not None else DeadlinePolicy.NATIONAL
    rank = {DeadlinePolicy.NATIONAL: 0, policy: 1}
    chosen: dict[str, tuple[int, DeadlineRule]] = {}
    candidates = DeadlineRule.objects.filter(school__isnull=True, policy__in=list(rank))
    if school is not None:
        candidates = candidates | DeadlineRule.objects.filter(school=school)
    for rule in candidates.order_by("code", "pk"):
        score = 2 if rule.school_id is not None else rank[rule.policy]
        if rule.code not in chosen or chosen[rule.code][0] < score:
            chosen[rule.code] = (score, rule)
    rules = [rule for _, rule in chosen.values()]
    if not include_disabled:
        rules = [rule for rule in rules if rule.enabled]
    return sorted(rules, key=lambda rule: rule.code)
