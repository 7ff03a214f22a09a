"""Pre-check to registration in the browser (journey 4, DIP-10, DIP-5): the registrar reads the report, runs the
pre-check, registers the passed certificates with their 18-digit numbers; the one with a problem waits."""

import re

import pytest

from diploma.models import Certificate, CertificateState
from tests.diploma.builders import cohort, graduating, photo_confirmed
from tests.diploma.photo_builders import captured
from tests.diploma.precheck_builders import admission_of, years_registered

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.rule("DIP-10")
def test_the_registrar_prechecks_and_registers_the_clean_graduates(
    page, signed_in_as, live_server, registrar, college_a_staff, school, major_a, screenshot_dir
):
    students = graduating(major_a, 3)
    for student in students:
        admission_of(student)
    years_registered(registrar, college_a_staff, major_a.college, students)
    photo_confirmed(registrar, students[:2])
    captured(registrar, students[2:])  # the third has not checked the photo yet
    cohort(registrar, students)

    signed_in_as(registrar)
    page.goto(f"{live_server.url}/diploma/precheck/")
    problems = page.locator("#precheck-problems tr.graduate")
    assert problems.count() == 1 and "学生尚未校对确认" in problems.first.inner_text()
    assert students[2].name in problems.first.inner_text()
    page.screenshot(path=str(screenshot_dir / "precheck_report.png"), full_page=True)
    page.click("#run-precheck")
    page.wait_for_selector("text=2人通过")
    assert Certificate.objects.filter(state=CertificateState.PRECHECKED).count() == 2

    page.goto(f"{live_server.url}/admin/diploma/certificate/register/")
    page.select_option("#order", "student_number")
    page.click("#register-submit")
    page.wait_for_selector("text=已注册2份学历证书")
    page.screenshot(path=str(screenshot_dir / "precheck_registered.png"), full_page=True)
    numbers = sorted(
        Certificate.objects.filter(state=CertificateState.REGISTERED).values_list(
            "certificate_number", flat=True
        )
    )
    assert len(numbers) == 2 and all(re.fullmatch(r"\d{18}", n) for n in numbers)
    assert numbers[0][-6:] == "000001" and numbers[1][-6:] == "000002"

    page.goto(f"{live_server.url}/diploma/precheck/")
    kinds = page.inner_text("#precheck-problems")
    assert "已有注册的学历证书" in kinds and "学生尚未校对确认" in kinds
