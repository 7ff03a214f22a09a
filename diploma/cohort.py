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


def chosen_year(value: str | None) -> int | None:
    """The graduation year a page asks for (``?year=``), or the newest one with a list; None when there is none."""
    years = graduation_years()
    try:
        year = int(value or 0)
    except ValueError:
        year = 0
    return year if year in years else (years[0] if years else None)
