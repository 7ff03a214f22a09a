"""The deadline part of the demo: the rules, and one scan so that the auditor's view has something to show."""

from __future__ import annotations

from deadlines.scan import deadline_scan
from deadlines.services import deadline_rules_seed


def load(ctx) -> None:
    deadline_rules_seed(actor=ctx.users.get("registrar"))
    deadline_scan(as_of=ctx.today, actor=ctx.users.get("registrar"))
