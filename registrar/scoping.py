"""Scoped reads: the one place that decides which rows a user may see.

Every model that holds school data gets a queryset deriving from
``ScopedQuerySet`` and names how its rows reach a college and a student.
Every admin page, view, API endpoint and export reads through ``for_user``.
College staff see their colleges only; a student sees only themself (SEC-2).
"""

from __future__ import annotations

from django.db import models

from registrar.roles import SCHOOL_WIDE_ROLES, Role, role_of


class ScopedQuerySet(models.QuerySet):
    #: Lookup from this model to ``College`` (its pk); ``None`` when college staff see none.
    college_lookup: str | None = None
    #: Lookup from this model to ``Student`` (its pk); ``None`` when students see none.
    student_lookup: str | None = None
    #: Reference data that every signed-in user may read.
    public: bool = False

    def for_user(self, user) -> ScopedQuerySet:
        role = role_of(user)
        if role is None:
            return self.none()
        if self.public or role in SCHOOL_WIDE_ROLES:
            return self
        if role == Role.COLLEGE_STAFF and self.college_lookup is not None:
            return self.filter(**{f"{self.college_lookup}__in": user.colleges.values("pk")})
        if role == Role.STUDENT and self.student_lookup is not None and user.student_id:
            return self.filter(**{self.student_lookup: user.student_id})
        return self.none()


def scoped_queryset(college: str | None, student: str | None = None, public: bool = False):
    """A ``ScopedQuerySet`` subclass for a model whose college and student lie at these lookups."""
    return type(
        "ScopedQuerySet",
        (ScopedQuerySet,),
        {"college_lookup": college, "student_lookup": student, "public": public},
    )
