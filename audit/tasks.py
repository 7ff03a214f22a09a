"""Scheduled checks: the audit chain and the deadline scan (both daily, at settings.DEADLINE_SCAN_HOUR)."""

import datetime
import logging

from celery import shared_task

from audit.chain import verify_chain

logger = logging.getLogger(__name__)


@shared_task
def verify_audit_chain() -> dict:
    """Daily: walk the chain and log loudly when a link is broken (SEC-6 spot check)."""
    checked, broken = verify_chain()
    if broken is not None:
        logger.error("audit chain broken at event %s: %s", broken.event_id, broken.reason)
        return {"checked": checked, "broken_event_id": broken.event_id}
    return {"checked": checked, "broken_event_id": None}


@shared_task
def scan_deadlines(as_of: str | None = None) -> dict:
    """Daily deadline scan (时限检查): violations, resolutions and reminders; idempotent."""
    from audit.deadlines.scan import deadline_scan

    day = datetime.date.fromisoformat(as_of) if as_of else None
    result = deadline_scan(as_of=day)
    return {"scan_id": result.scan_id, "as_of": result.as_of.isoformat(), **result.counts()}


@shared_task
def send_deadline_notices(notice_ids: list[int]) -> int:
    """Mail the reminders a scan made, after it committed."""
    from audit.deadlines.reminders import notices_send

    return notices_send(notice_ids=notice_ids)
