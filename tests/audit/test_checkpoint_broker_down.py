"""A bulk audit write commits, and answers, while the broker is down (issue 8, item 9)."""

import pytest
from django.db import transaction

from audit.models import AuditEvent
from audit.services import EventSpec, audit_record_many


@pytest.mark.rule("SEC-3")
@pytest.mark.django_db(transaction=True)
def test_a_bulk_write_commits_when_its_checkpoint_cannot_be_queued(broker_down, college_a):
    """The checkpoint is queued once, without retries, after commit; a dead broker only logs a warning."""
    with transaction.atomic():
        written = audit_record_many(
            [
                EventSpec(action="tests.bulk", subject=("tests.thing", n), college_id=college_a.pk)
                for n in range(2001)
            ]
        )
    assert written == 2001
    assert AuditEvent.objects.filter(action="tests.bulk").count() == 2001
