"""Fixtures the fault tests of the core borrow from the domain apps' tests."""

import pytest

from enrollment.services import ItemInput, review_batch_create, review_batch_submit, review_items_save
from registrar.roles import Role
from registrar.services import user_create
from tests.deadlines.conftest import make_rule, student_kind, subject_in  # noqa: F401
from tests.users import PASSWORD


@pytest.fixture
def submitted_list(freshmen_a, college_a, term):
    staff = user_create(
        actor=None,
        username="college_a_staff",
        password=PASSWORD,
        role=Role.COLLEGE_STAFF,
        colleges=[college_a],
        email="a-staff@example.edu.cn",
    )
    batch = review_batch_create(actor=staff, college=college_a, term=term)
    items = [ItemInput(key=r.exam_number, outcome="passed") for r in freshmen_a]
    review_items_save(actor=staff, batch_id=batch.pk, items=items)
    review_batch_submit(actor=staff, batch_id=batch.pk)
    return batch
