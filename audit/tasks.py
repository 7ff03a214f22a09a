"""Scheduled checks: the audit chain and the deadline scan (both daily, at settings.DEADLINE_SCAN_HOUR)."""

import datetime
import logging

from celery import shared_task

from audit.chain import chain_check, chain_head
from audit.checkpoints import checkpoint_write

logger = logging.getLogger(__name__)


@shared_task
def verify_audit_chain() -> dict:
    """Daily: walk the chain against its checkpoints, log loudly when broken, else sign a checkpoint (SEC-6)."""
    head, broken = chain_check()
    if broken is not None:
        logger.error("audit chain broken: %s", broken.describe())
        return {"checked": head.count, "broken_event_id": broken.event_id}
    checkpoint_write(head=head)
    return {"checked": head.count, "broken_event_id": None}


@shared_task
def checkpoint_audit_chain() -> int:
    """After a bulk write: sign a checkpoint of the chain's committed head (SEC-3); return its event count."""
    head = chain_head()
    checkpoint_write(head=head)
    return head.count


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
