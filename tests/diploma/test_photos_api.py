"""The photos' and the pre-check's API (DIP-9, DIP-10): scoped like the pages, the registrar runs the pre-check."""

import pytest

from diploma.models import Certificate, CertificateState, PhotoCapture
from tests.diploma.builders import cohort, graduating
from tests.diploma.photo_builders import captured
from tests.diploma.precheck_builders import clean_cohort
from tests.users import api_as

pytestmark = [pytest.mark.django_db, pytest.mark.rule("DIP-10")]


def test_the_report_lists_every_graduate_with_their_problems(registrar, college_a_staff, school, major_a):
    clean_cohort(registrar, college_a_staff, major_a, 2)
    late = graduating(major_a, 1)[0]
    cohort(registrar, [late])
    body = api_as(registrar).get("/api/diploma/precheck/", {"year": 2026}).json()
    assert [c["graduates"] for c in body["colleges"]] == [3]
    failing = [g for g in body["graduates"] if not g["passed"]]
    assert [g["name"] for g in failing] == [late.name]
    assert {p["kind"] for p in failing[0]["problems"]} == {"annual", "photo"}


def test_the_registrar_runs_the_precheck_and_staff_may_not(registrar, college_a_staff, school, major_a):
    clean_cohort(registrar, college_a_staff, major_a, 2)
    assert api_as(college_a_staff).post("/api/diploma/precheck/run/", {"year": 2026}).status_code == 403
    response = api_as(registrar).post("/api/diploma/precheck/run/", {"year": 2026}, format="json")
    assert response.json() == {"passed": 2, "prechecked": 2, "failed": 0}
    assert Certificate.objects.filter(state=CertificateState.PRECHECKED).count() == 2


def test_the_run_prechecks_the_passed_ones_of_a_cohort_with_a_flagged_graduate(
    registrar, college_a_staff, school, major_a
):
    clean = clean_cohort(registrar, college_a_staff, major_a, 2)
    cohort(registrar, graduating(major_a, 1))  # no photo, no annual registration
    response = api_as(registrar).post("/api/diploma/precheck/run/", {"year": 2026}, format="json")
    assert response.json() == {"passed": 2, "prechecked": 2, "failed": 1}
    assert set(Certificate.objects.values_list("graduate_id", flat=True)) == {g.pk for g in clean}


def test_a_year_that_is_no_year_is_refused_in_chinese(registrar):
    response = api_as(registrar).get("/api/diploma/precheck/", {"year": "明年"})
    assert response.status_code == 400 and "毕业年份" in str(response.json())


@pytest.mark.rule("SEC-2")
def test_photos_and_the_report_are_scoped_to_the_readers_colleges(
    registrar, college_b_staff, student_b, major_a
):
    student = graduating(major_a, 1)[0]
    cohort(registrar, [student])
    capture = captured(registrar, [student])[0]
    staff = api_as(college_b_staff)
    assert staff.get("/api/diploma/photos/").json()["count"] == 0
    assert staff.get(f"/api/diploma/photos/{capture.pk}/").status_code == 404
    assert staff.get("/api/diploma/precheck/", {"year": 2026}).json()["graduates"] == []
    other = api_as(student_b)
    assert other.get(f"/api/diploma/photos/{capture.pk}/").status_code == 403
    assert other.get("/api/diploma/precheck/", {"year": 2026}).status_code == 403
    assert PhotoCapture.objects.count() == 1


@pytest.mark.rule("DIP-9")
def test_staff_read_the_conclusions_of_their_college(registrar, college_a_staff, major_a):
    student = graduating(major_a, 1)[0]
    captured(registrar, [student])
    body = api_as(college_a_staff).get("/api/diploma/photos/", {"check_state": "unchecked"}).json()
    assert [(r["name"], r["has_photo"], r["check_state_display"]) for r in body["results"]] == [
        (student.name, True, "待校对")
    ]
