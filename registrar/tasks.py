"""Work of the core done after commit or on a schedule: the outbox, sign-in failures, decision notices."""

from celery import shared_task


@shared_task
def drain_outbox() -> int:
    """Every minute: hand the follow-up tasks that found no broker at commit time to it now."""
    from registrar.outbox import outbox_drain

    return outbox_drain()


@shared_task
def forget_old_sign_in_failures() -> int:
    """Daily: sign-in failure records older than SIGN_IN_FAILURES_KEEP_DAYS go (registrar.lockouts)."""
    from registrar.lockouts import lockouts_forget_old

    return lockouts_forget_old()


@shared_task
def batch_decided(batch_id: int) -> int:
    """After a list is approved or returned: its college's staff are told, in-app and by mail."""
    from registrar.notices import batch_decision_notify

    return batch_decision_notify(batch_id)
