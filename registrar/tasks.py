"""Periodic work of the core: sending what waits in the task outbox."""

from celery import shared_task


@shared_task
def drain_outbox() -> int:
    """Every minute: hand the follow-up tasks that found no broker at commit time to it now."""
    from registrar.outbox import outbox_drain

    return outbox_drain()
