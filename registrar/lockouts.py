"""Sign-in lockouts (django-axes): which accounts are locked, and lifting a lock (SEC-3).

Failures are counted per account and per account and address
(``AXES_LOCKOUT_PARAMETERS``), never per address alone: guesses at made-up
names lock nothing real, and users behind one proxy do not lock each other
out. A success resets only the failures of the account that signed in.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from axes.helpers import get_cool_off
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import EventSpec, audit_record, audit_record_many
from registrar.models import SignInLockout, User
from registrar.roles import is_registrar


def _cutoff() -> datetime.datetime:
    return timezone.now() - get_cool_off()


def _failures_of_account(cutoff: datetime.datetime) -> Subquery:
    """The account's failures within the cool-off time, summed over its records: django-axes keeps one
    record per address and browser, and locks the account on the sum (``AXES_LOCKOUT_PARAMETERS``)."""
    return Subquery(
        SignInLockout.objects.filter(username=OuterRef("username"), attempt_time__gte=cutoff)
        .values("username")
        .annotate(total=Sum("failures_since_start"))
        .values("total")[:1]
    )


def with_account_failures(
    queryset: QuerySet[SignInLockout], cutoff: datetime.datetime | None = None
) -> QuerySet[SignInLockout]:
    """Each record with ``account_failures``: its account's failures within the cool-off time."""
    return queryset.annotate(account_failures=_failures_of_account(cutoff or _cutoff()))


def lockouts_active() -> QuerySet[SignInLockout]:
    """Failure records of the accounts locked now: their failures within the cool-off time, from every
    address and browser, reach the limit."""
    cutoff = _cutoff()
    recent = SignInLockout.objects.filter(attempt_time__gte=cutoff)
    return with_account_failures(recent, cutoff).filter(account_failures__gte=settings.AXES_FAILURE_LIMIT)


def lockout_is_active(record: SignInLockout) -> bool:
    """Whether this failure record is one of an account locked now."""
    if record.attempt_time < _cutoff():
        return False
    failures = getattr(record, "account_failures", None)
    if failures is None:
        failures = with_account_failures(SignInLockout.objects.filter(pk=record.pk))[0].account_failures
    return (failures or 0) >= settings.AXES_FAILURE_LIMIT


@transaction.atomic
def lockout_lift(*, actor: User, lockout_ids: Iterable[int], reason: str = "") -> int:
    """解除登录锁定 (SEC-3): the registrar clears the chosen accounts' failures, from every address and
    browser; one audit event per record.

    Returns how many records were cleared.
    """
    if not is_registrar(actor):
        raise PermissionDenied(_("只有教务处可以解除登录锁定"))
    chosen = list(lockout_ids)
    accounts = SignInLockout.objects.filter(pk__in=chosen, username__isnull=False).values("username")
    records = list(
        SignInLockout.objects.select_for_update()
        .filter(Q(pk__in=chosen) | Q(username__in=accounts))
        .order_by("pk")
    )
    audit_record_many(
        [
            EventSpec(
                action="account.lockout_lift",
                subject=("axes.accessattempt", record.pk),
                actor=actor,
                before={
                    "username": record.username,
                    "ip_address": record.ip_address,
                    "failures": record.failures_since_start,
                    "last_attempt": record.attempt_time.isoformat(),
                },
                after={},
                reason=reason or _("教务处解除登录锁定"),
            )
            for record in records
        ]
    )
    SignInLockout.objects.filter(pk__in=[record.pk for record in records]).delete()
    return len(records)


@transaction.atomic
def lockouts_forget_old() -> int:
    """忘记旧的登录失败记录 (SEC-3): daily, records older than ``SIGN_IN_FAILURES_KEEP_DAYS`` go.

    They lock nothing any more, and guesses at made-up names would otherwise
    pile up; they stay long enough for the registrar to look back at an attack.
    Returns how many went (one audit event records the count).
    """
    cutoff = timezone.now() - datetime.timedelta(days=settings.SIGN_IN_FAILURES_KEEP_DAYS)
    deleted, _ = SignInLockout.objects.filter(attempt_time__lt=cutoff).delete()
    if deleted:
        audit_record(
            actor=None,
            action="account.lockouts_forget_old",
            subject=("axes.accessattempt", "old"),
            after={"deleted": deleted, "before": cutoff.isoformat()},
        )
    return deleted
