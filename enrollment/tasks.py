"""Scheduled work of freshman registration."""

from __future__ import annotations

from celery import shared_task


@shared_task
def expire_deferrals() -> int:
    """Daily: deferrals past their end without an application become cases the registrar decides (ENR-4)."""
    from enrollment.services import admission_open_lapsed_deferrals

    return admission_open_lapsed_deferrals()
