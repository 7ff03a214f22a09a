"""Reads of the core domain, always scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from registrar.idcard import mask
from registrar.models import Student


@dataclass(frozen=True)
class StudentProfile:
    student: Student
    masked_id_number: str


def student_profile(user) -> StudentProfile:
    """The signed-in student's own record, with the id number masked (QRY-1, SEC-2)."""
    student = (
        Student.objects.for_user(user).select_related("college", "major").filter(pk=user.student_id).first()
    )
    if student is None:
        raise Http404("没有与该账号关联的学生")
    return StudentProfile(student=student, masked_id_number=mask(student.id_number))
