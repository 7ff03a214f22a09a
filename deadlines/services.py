"""Writes to the deadline rules. The scan and reminders write through ``scan.deadline_scan``."""

from __future__ import annotations

from django.db import transaction

from audit.services import EventSpec, audit_record_many
from deadlines.defaults import DEFAULT_RULES
from deadlines.models import DeadlineRule


@transaction.atomic
def deadline_rules_seed(*, actor=None) -> list[DeadlineRule]:
    """时限规则初始化 (ENR-4, ENR-5, ANN-2, ANN-5, ANN-6, ANN-12, DIP-5, DIP-9, DIP-11).

    Creates the national rules and the JL, SH and DL variants that are missing;
    rows the registrar has edited are left as they are. Returns the new rows.
    """
    existing = set(DeadlineRule.objects.filter(school__isnull=True).values_list("code", "policy"))
    created = [
        DeadlineRule(**values)
        for values in DEFAULT_RULES
        if (values["code"], values["policy"]) not in existing
    ]
    for rule in created:
        rule.full_clean()
    DeadlineRule.objects.bulk_create(created)
    audit_record_many(
        [
            EventSpec(
                action=f"{DeadlineRule._meta.label_lower}.create",
                subject=rule,
                actor=actor,
                after={
                    "code": rule.code,
                    "policy": rule.policy,
                    "term": rule.term_text,
                    "enabled": rule.enabled,
                },
                reason="初始化时限规则",
            )
            for rule in created
        ]
    )
    return created
