import pytest

from enrollment.services import (
    ItemInput,
    review_batch_approve,
    review_batch_create,
    review_batch_submit,
    review_items_save,
)
from tests.annual_registration.builders import second_year, students_of
from tests.annual_registration.change_builders import (  # noqa: F401  (status changes' fixtures)
    clock,
    kind_settings,
    other_major_a,
    roll_2026,
    second_year_b,
    second_years,
)
from tests.users import api_as


@pytest.fixture
def students_a(freshmen_a, college_a_staff, registrar, college_a, term):
    """The five freshmen of college A, registered in 2026 through one approved review list."""
    batch = review_batch_create(actor=college_a_staff, college=college_a, term=term)
    items = [ItemInput(key=r.exam_number, outcome="passed") for r in freshmen_a]
    review_items_save(actor=college_a_staff, batch_id=batch.pk, items=items)
    review_batch_submit(actor=college_a_staff, batch_id=batch.pk)
    review_batch_approve(actor=registrar, batch_id=batch.pk, document_number="教学〔2026〕3号")
    return students_of(freshmen_a)


@pytest.fixture
def students_b(freshmen_b, college_b_staff, registrar, college_b, term):
    batch = review_batch_create(actor=college_b_staff, college=college_b, term=term)
    items = [ItemInput(key=r.exam_number, outcome="passed") for r in freshmen_b]
    review_items_save(actor=college_b_staff, batch_id=batch.pk, items=items)
    review_batch_submit(actor=college_b_staff, batch_id=batch.pk)
    review_batch_approve(actor=registrar, batch_id=batch.pk, document_number="教学〔2026〕4号")
    return students_of(freshmen_b)


@pytest.fixture
def year_2027(registrar):
    return second_year(registrar)


@pytest.fixture
def term_2027(year_2027):
    return year_2027.terms.get(number=1)


@pytest.fixture
def api():
    """An API client signed in as ``user`` (tests/users.py)."""
    return api_as
