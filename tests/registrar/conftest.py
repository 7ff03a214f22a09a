"""Fixtures the fault tests of the core borrow from the domain apps' tests."""

from tests.audit.conftest import make_rule, student_kind, subject_in  # noqa: F401
from tests.enrollment.conftest import freshmen_a, import_rows  # noqa: F401
