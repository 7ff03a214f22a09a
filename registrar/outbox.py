"""The task outbox: follow-up work written with the decision, handed to the broker after commit.

A decision (a batch approved, a deadline scan) writes its follow-up task as an
``OutboxMessage`` row in its own transaction. After commit one attempt is made
to hand it to the broker; if the broker is down the row waits, and the
periodic drain (``registrar.tasks.drain_outbox``, every minute in
``CELERY_BEAT_SCHEDULE`` and so also in ``manage.py run_schedule``) sends it
later. A committed decision therefore never answers an error because of the
broker.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from kombu import Connection
from kombu.exceptions import OperationalError as KombuOperationalError

from registrar.celery import app
from registrar.models import OutboxMessage

logger = logging.getLogger(__name__)

# What became of one attempt to send.
SENT, BROKER_DOWN, FAILED = "sent", "broker_down", "failed"
# How many waiting messages one drain sends; the next drain takes the rest.
DRAIN_BATCH = 500
# One connection attempt: a request must not wait on a dead broker (kombu would retry for seconds);
# the outbox is the retry.
NO_RETRIES = {"max_retries": 0}
# How long a sent message stays visible (on the 待发任务 page) before the drain deletes it.
KEEP_SENT = datetime.timedelta(days=7)


def outbox_enqueue(*, task: str, kwargs: dict[str, Any] | None = None) -> OutboxMessage:
    """Write ``task`` to the outbox in the current transaction and try to send it once that commits."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox_enqueue must run inside the transaction of the decision it follows")
    message = OutboxMessage.objects.create(task=task, kwargs=kwargs or {})
    # robust: whatever goes wrong in the attempt is logged; the committed decision still answers success.
    transaction.on_commit(lambda: outbox_send(message_id=message.pk), robust=True)
    return message


def outbox_send(*, message_id: int) -> bool:
    """Hand one waiting message to the broker; ``False`` when it still waits (sent by another, or failed)."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, sent_at__isnull=True)
            .first()
        )
        if message is None:
            return False
        with app.connection_for_write(transport_options=NO_RETRIES) as connection:
            return _send(message, connection) == SENT


def outbox_drain(*, limit: int = DRAIN_BATCH) -> int:
    """Send the messages still waiting, oldest first; returns how many went. Safe to run on many workers.

    Messages sent more than ``KEEP_SENT`` ago are deleted: the decisions they
    followed keep their own audit events.
    """
    OutboxMessage.objects.filter(sent_at__lt=timezone.now() - KEEP_SENT).delete()
    sent = 0
    with transaction.atomic():
        waiting = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True)
            .order_by("created_at", "pk")[:limit]
        )
        if not waiting:
            return 0
        with app.connection_for_write(transport_options=NO_RETRIES) as connection:
            for message in waiting:
                outcome = _send(message, connection)
                if outcome == BROKER_DOWN:
                    break  # the rest would fail the same way
                sent += outcome == SENT
    return sent


def _send(message: OutboxMessage, connection: Connection) -> str:
    """Publish (or, without a broker, run) the task; record the outcome on the locked row.

    Returns ``SENT``, ``BROKER_DOWN`` or ``FAILED`` (the task itself failed when run in-process: the
    row waits, with its error on the 待发任务 page, and does not hold up the messages behind it).
    """
    message.attempts += 1
    try:
        # A savepoint: a task run in-process (no broker) that fails leaves this transaction usable.
        with transaction.atomic():
            # No publish retries either. A task's name is its import path (``shared_task`` without a name).
            import_string(message.task).apply_async(kwargs=message.kwargs, connection=connection, retry=False)
    except (KombuOperationalError, OSError) as exc:
        return _not_sent(message, exc, BROKER_DOWN)
    # The decision has committed: whatever else failed (a task run in-process raising), the row waits.
    except Exception as exc:
        return _not_sent(message, exc, FAILED)
    message.sent_at = timezone.now()
    message.save(update_fields=["attempts", "sent_at"])
    return SENT


def _not_sent(message: OutboxMessage, exc: Exception, outcome: str) -> str:
    logger.warning("outbox: %s not sent (attempt %d): %s", message, message.attempts, exc)
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    message.save(update_fields=["attempts", "last_error"])
    return outcome
