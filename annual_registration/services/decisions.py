"""One decision on one row: fire its declared transition with the uniform arguments (SEC-1).

For the single-row workflows of this app whose transitions read the row itself
(an identity change's approval chain): the set-based engine fires declarations on
a probe that carries no row data, so these fire on the locked instance instead.
The caller saves the row and records the audit event in the same transaction.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from registrar.errors import DomainError
from registrar.models import User
from registrar.transitions import declared_names, may_fire, transition_label


def fire(
    instance: models.Model,
    name: str,
    *,
    actor: User,
    field: str = "state",
    date: datetime.date | None = None,
    reason: str = "",
    document_number: str = "",
    details: dict[str, Any] | None = None,
) -> str:
    """Fire ``name`` on ``instance`` (locked by the caller): permission, source and conditions; the old state."""
    model = type(instance)
    if name not in declared_names(model, field):
        raise DomainError(_("未知的办理事项：%(name)s") % {"name": name})
    method = getattr(instance, name)
    label = transition_label(model, name, field)
    if not may_fire(actor, instance, name, field):
        raise PermissionDenied(_("无权%(action)s") % {"action": label})
    before = getattr(instance, field)
    if not can_proceed(method):
        shown = getattr(instance, f"get_{field}_display")()
        raise DomainError(_("当前为“%(state)s”，不能%(action)s") % {"state": shown, "action": label})
    method(
        by=actor,
        at=timezone.now(),
        date=date,
        reason=reason,
        document_number=document_number,
        details=details or {},
    )
    return before
