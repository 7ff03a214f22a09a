"""The graduating cohort the photo pages and the pre-check work on: the expected graduates of a year.

One place that names the cohort (``ExpectedGraduate`` rows of a graduation year),
so that the photo pages, the retake list and the pre-check read the same students.
"""

from __future__ import annotations

from django.db.models import QuerySet

from diploma.models import ExpectedGraduate
from registrar.models import Student


def graduation_years() -> list[int]:
    """The years that have an expected-graduate list, newest first."""
    return list(
        ExpectedGraduate.objects.order_by("-graduation_year")
        .values_list("graduation_year", flat=True)
        .distinct()
    )


def cohort_students(year: int) -> QuerySet[Student]:
    """预计毕业生 of ``year``, as students."""
    return Student.objects.filter(expected_graduations__graduation_year=year)
