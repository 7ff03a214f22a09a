"""Scheduled checks of the audit trail."""

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
    """Daily deadline scan; the engine arrives with the deadline issue."""
    return {"as_of": as_of}
