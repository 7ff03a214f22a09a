"""Scheduled work of annual registration."""

from celery import shared_task


@shared_task
def lapse_status_change_periods() -> int:
    """Daily: a 休学 or 保留学籍 that ended without 复学 becomes a case for the registrar, never a 退学."""
    from annual_registration.services.changes import status_changes_lapse

    return status_changes_lapse()
