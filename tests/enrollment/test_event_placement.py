"""An event is placed by its subject's declared scope, not by a ``college_id`` attribute it may lack."""

import pytest
from django.db import transaction

from audit.models import AuditEvent
from audit.services import audit_record
from enrollment.models import ReviewItem
from enrollment.services import ItemInput, review_batch_create, review_items_save


@pytest.mark.rule("SEC-2")
def test_an_event_about_a_row_reaching_its_college_through_another_is_seen_by_that_college_only(
    college_a_staff, college_b_staff, college_a, term, freshmen_a
):
    """A review item reaches its college through its list (``batch__college``): it has no college_id."""
    batch = review_batch_create(actor=college_a_staff, college=college_a, term=term)
    review_items_save(
        actor=college_a_staff,
        batch_id=batch.pk,
        items=[ItemInput(key=freshmen_a[0].exam_number, outcome="passed")],
    )
    item = ReviewItem.objects.get(batch=batch)
    assert not hasattr(item, "college_id")
    with transaction.atomic():
        event = audit_record(actor=college_a_staff, action="tests.review_item.note", subject=item)
    assert event.college_id == college_a.pk
    assert AuditEvent.objects.for_user(college_a_staff).filter(pk=event.pk).exists()
    assert not AuditEvent.objects.for_user(college_b_staff).filter(pk=event.pk).exists()


def test_an_event_about_a_student_belongs_to_that_student_and_their_college(student_a_record):
    with transaction.atomic():
        event = audit_record(actor=None, action="tests.student.note", subject=student_a_record)
    assert (event.student_id, event.college_id) == (student_a_record.pk, student_a_record.college_id)
