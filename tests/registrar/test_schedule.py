import datetime

from django.utils import timezone

from registrar.schedule import due_jobs


def test_a_daily_job_is_not_due_at_start_but_is_a_day_later():
    now = timezone.now()
    last_runs: dict = {}
    assert due_jobs(last_runs, now) == []
    day_ago = {name: now - datetime.timedelta(days=1, hours=1) for name in last_runs}
    assert "scan-deadlines" in due_jobs(day_ago, now)
