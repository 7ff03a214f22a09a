"""Scheduled deadline work: the daily scan (at settings.DEADLINE_SCAN_HOUR) and the mail of its reminders."""

import datetime

from celery import shared_task


@shared_task
def scan_deadlines(as_of: str | None = None) -> dict:
    """Daily deadline scan (时限检查): violations, resolutions and reminders; idempotent."""
    from deadlines.scan import deadline_scan

    day = datetime.date.fromisoformat(as_of) if as_of else None
    result = deadline_scan(as_of=day)
    return {"scan_id": result.scan_id, "as_of": result.as_of.isoformat(), **result.counts()}


@shared_task
def send_deadline_notices(notice_ids: list[int]) -> int:
    """Mail the reminders a scan made, after it committed."""
    from deadlines.reminders import notices_send

    return notices_send(notice_ids=notice_ids)
