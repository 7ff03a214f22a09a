"""Identity fields keep their full history: the value before every change stays readable (N19, ANN-8)."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_name_before_a_change_stays_readable(student_a_record):
    student_a_record.name = "甲新名"
    student_a_record.save(update_fields=["name"])
    names = [h.name for h in student_a_record.history.order_by("history_date")]
    assert names == ["甲同学", "甲新名"]


def test_the_status_cannot_be_assigned_directly(student_a_record):
    with pytest.raises(AttributeError):
        student_a_record.student_status = "graduated"
