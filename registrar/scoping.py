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


def placement_of(instance: models.Model) -> tuple[int | None, int | None]:
    """(student id, college id) of one row, by the lookups its scoped queryset declares.

    An audit event is placed by its subject's declared scope, so that an event about a row that
    reaches its college through another (a review item through its list, a correction through its
    record, later a status change through its student) is seen by that college's staff.
    """
    queryset = type(instance)._default_manager.get_queryset()
    if not isinstance(queryset, ScopedQuerySet):
        return None, None
    return _follow(instance, queryset.student_lookup), _follow(instance, queryset.college_lookup)


def _follow(instance: models.Model, lookup: str | None) -> int | None:
    """The id at the end of ``lookup`` (``record__college``, ``pk``), walking the row's attributes."""
    if lookup is None:
        return None
    *path, last = lookup.split("__")
    target = instance
    for name in path:
        target = getattr(target, name, None)
        if target is None:
            return None
    if last == "pk":
        return target.pk
    return getattr(target, target._meta.get_field(last).attname, None)
