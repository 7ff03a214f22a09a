"""Scheduled checks of the audit chain: daily (at settings.DEADLINE_SCAN_HOUR), and after a bulk write."""

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
