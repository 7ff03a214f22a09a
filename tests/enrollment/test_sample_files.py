"""The sample files in fixtures/: what the demo, the tests and a new user share (issue: one engine, item 11)."""

from decimal import Decimal
from pathlib import Path

import pytest

from enrollment import samples
from enrollment.imports import parse_admissions, parse_review_results
from enrollment.models import AdmissionRecord
from enrollment.services import admission_import, review_batch_create, review_items_from_sheet
from registrar.demo import COLLEGES
from registrar.roles import Role
from registrar.services import user_create
from tests.factories import CollegeFactory, MajorFactory, TermFactory

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def fixture(key: str) -> tuple[bytes, str]:
    name = samples.FILES[key]
    return (FIXTURES / name).read_bytes(), name


def test_the_committed_sample_files_are_what_the_generator_writes():
    """``manage.py sample_files`` rebuilds them; a change to the generator must be committed with its files."""
    for key, build in (("xlsx", samples.admission_xlsx), ("dbf", samples.admission_dbf)):
        content, name = fixture(key)
        assert parse_admissions(content, name).rows == parse_admissions(build(), name).rows, key
    content, name = fixture("review")
    assert parse_review_results(content, name).rows == parse_review_results(samples.review_xlsx(), name).rows


@pytest.fixture
def demo_school(db):
    """The demo school's colleges and majors, its 2026 term and its registrar."""
    TermFactory()
    colleges = {}
    for code, name, majors in COLLEGES:
        colleges[code] = college = CollegeFactory(code=code, name=name)
        for m_code, m_name, level, years in majors:
            MajorFactory(code=m_code, name=m_name, college=college, level=level, program_years=Decimal(years))
    registrar = user_create(actor=None, username="registrar", password="Sample-2026!", role=Role.REGISTRAR)
    return colleges, registrar


@pytest.mark.rule("ENR-1")
def test_both_admission_files_import_into_the_demo_school_with_every_name_kept(demo_school):
    _colleges, registrar = demo_school
    for key, count in (("xlsx", 60), ("dbf", 40)):
        content, name = fixture(key)
        result = admission_import(
            actor=registrar, year=2026, sheet=parse_admissions(content, name), file_name=name
        )
        assert (result.errors, result.created) == ([], count), key
    names = set(AdmissionRecord.objects.values_list("name", flat=True))
    assert {"阿依古丽·买买提", "欧阳娜娜", "扎西顿珠"} <= names


@pytest.mark.rule("ENR-3")
def test_the_sample_review_sheet_fills_the_computer_college_s_list(demo_school):
    colleges, registrar = demo_school
    content, name = fixture("xlsx")
    admission_import(actor=registrar, year=2026, sheet=parse_admissions(content, name), file_name=name)
    batch = review_batch_create(actor=registrar, college=colleges["01"], term=TermFactory())
    review, review_name = fixture("review")
    errors = review_items_from_sheet(
        actor=registrar, batch_id=batch.pk, sheet=parse_review_results(review, review_name)
    )
    assert errors == []
    outcomes = set(batch.review_items.values_list("outcome", flat=True))
    assert outcomes == {"passed", "forfeited", "deferred", "cancelled"}
