"""The pre-check (DIP-10): every problem of every expected graduate at once, per college and for the school."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from annual_registration.models import AnnualRegistration
from annual_registration.services import annual_roll_open
from diploma.models import Certificate, CertificateState, PhotoCapture
from diploma.precheck import ProblemKind, precheck_report
from diploma.services.certificates import certificates_precheck, certificates_register
from diploma.services.graduates import expected_graduates_build
from diploma.services.photos import photo_check_dispute
from registrar.models import School
from registrar.roles import Role
from registrar.services import student_change_status_many, user_create
from tests.diploma.builders import cohort, graduating, photo_confirmed
from tests.diploma.photo_builders import captured
from tests.diploma.precheck_builders import academic_year, admission_of, clean_cohort, years_registered
from tests.users import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.rule("DIP-10")]


@pytest.fixture
def graduates(registrar, college_a_staff, school, major_a):
    return clean_cohort(registrar, college_a_staff, major_a, 3)


def problems_of(report, graduate) -> dict[str, str]:
    check = next(c for c in report.checks if c.graduate_id == graduate.pk)
    return {p.kind: p.detail for p in check.problems}


def test_a_clean_cohort_passes_and_the_registrar_prechecks_it(graduates, registrar):
    report = precheck_report(registrar, 2026)
    assert report.passed_ids == [g.pk for g in graduates]
    assert certificates_precheck(registrar, report.passed_ids) == 3


@pytest.mark.rule("DIP-2")
def test_a_student_without_a_status_here_is_reported(graduates, registrar):
    student = graduates[0].student
    student_change_status_many(actor=registrar, student_ids=[student.pk], transition="suspend", reason="病休")
    assert "休学" in problems_of(precheck_report(registrar, 2026), graduates[0])[ProblemKind.STATUS]


@pytest.mark.rule("ANN-9")
def test_a_year_without_annual_registration_is_named(registrar, college_a_staff, school, major_a):
    students = graduating(major_a, 2)
    for student in students:
        admission_of(student)
    years_registered(registrar, college_a_staff, major_a.college, students[:1])
    years_registered(registrar, college_a_staff, major_a.college, students, years=(2025,))
    graduates = cohort(registrar, students)
    problems = problems_of(precheck_report(registrar, 2026), graduates[1])
    assert problems[ProblemKind.ANNUAL] == "2023-2024、2024-2025学年未注册"
    assert ProblemKind.ANNUAL not in problems_of(precheck_report(registrar, 2026), graduates[0])


@pytest.mark.rule("ANN-9")
def test_a_year_of_suspension_needs_no_registration_of_its_own(registrar, college_a_staff, school, major_a):
    student = graduating(major_a, 1)[0]
    admission_of(student)
    years_registered(registrar, college_a_staff, major_a.college, [student], years=(2023,))
    student_change_status_many(actor=registrar, student_ids=[student.pk], transition="suspend", reason="病休")
    annual_roll_open(actor=registrar, academic_year=academic_year(2024))
    student_change_status_many(actor=registrar, student_ids=[student.pk], transition="resume", reason="复学")
    years_registered(registrar, college_a_staff, major_a.college, [student], years=(2025,))
    assert (
        AnnualRegistration.objects.get(student=student, academic_year__start_year=2024).state == "suspended"
    )
    graduate = cohort(registrar, [student])[0]
    assert ProblemKind.ANNUAL not in problems_of(precheck_report(registrar, 2026), graduate)


@pytest.mark.rule("DIP-3")
def test_every_missing_field_of_the_registration_record_is_listed(
    registrar, college_a_staff, school, major_a
):
    student = graduating(major_a, 1, exam_number="", student_number=None)[0]
    admission_of(student)
    School.objects.filter(pk=school.pk).update(president_name="")
    graduate = cohort(registrar, [student])[0]
    detail = problems_of(precheck_report(registrar, 2026), graduate)[ProblemKind.FIELDS]
    for field in ("考生号", "学号", "校(院)长姓名"):
        assert field in detail


@pytest.mark.rule("DIP-4")
def test_identity_fields_differing_from_the_admission_data_show_both_values(registrar, school, major_a):
    student = graduating(major_a, 1)[0]
    admission_of(student, name="王小明", ethnicity="02")
    graduate = cohort(registrar, [student])[0]
    check = next(c for c in precheck_report(registrar, 2026).checks if c.graduate_id == graduate.pk)
    problem = next(p for p in check.problems if p.kind == ProblemKind.ADMISSION)
    assert ("姓名", student.name, "王小明") in problem.differences
    assert ("民族", "汉族", "蒙古族") in problem.differences


@pytest.mark.rule("DIP-4")
def test_a_student_without_admission_data_here_has_nothing_to_differ_from(registrar, school, major_a):
    graduate = cohort(registrar, graduating(major_a, 1))[0]
    assert ProblemKind.ADMISSION not in problems_of(precheck_report(registrar, 2026), graduate)


@pytest.mark.rule("ANN-9")
def test_a_year_whose_roll_this_system_never_opened_is_not_a_gap(registrar, college_a_staff, school, major_a):
    student = graduating(major_a, 1)[0]
    years_registered(registrar, college_a_staff, major_a.college, [student], years=(2025,))
    graduate = cohort(registrar, [student])[0]
    assert ProblemKind.ANNUAL not in problems_of(precheck_report(registrar, 2026), graduate)


@pytest.mark.rule("DIP-9")
def test_a_missing_unimported_unchecked_or_disputed_photo_blocks(registrar, school, major_a):
    none, unimported, unchecked, disputed = graduating(major_a, 4)
    captured(registrar, [unimported], photos=False)
    captured(registrar, [unchecked, disputed])
    user = user_create(actor=None, username="d", password=PASSWORD, role=Role.STUDENT, student=disputed)
    photo_check_dispute(user=user, problem="不是我")
    graduates = cohort(registrar, [none, unimported, unchecked, disputed])
    report = precheck_report(registrar, 2026)
    shown = [problems_of(report, g)[ProblemKind.PHOTO] for g in graduates]
    assert shown == ["没有图像采集记录，须登记补拍", "照片尚未导入", "学生尚未校对确认", "学生校对时报告有误"]


@pytest.mark.rule("DIP-2")
def test_a_certificate_already_registered_for_the_level_is_reported(graduates, registrar):
    certificates_precheck(registrar, [graduates[0].pk])
    assert certificates_register(actor=registrar) == 1
    report = precheck_report(registrar, 2026)
    assert set(problems_of(report, graduates[0])) == {ProblemKind.REGISTERED}
    assert report.passed_ids == [g.pk for g in graduates[1:]]


@pytest.mark.rule("DIP-1")
def test_a_pending_or_attended_outcome_is_reported(registrar, school, major_a):
    attended = cohort(registrar, graduating(major_a, 1), outcome="attended")[0]
    pending_student = graduating(major_a, 1)[0]
    expected_graduates_build(actor=registrar, graduation_year=2026)
    report = precheck_report(registrar, 2026)
    assert "肄业" in problems_of(report, attended)[ProblemKind.OUTCOME]
    pending = next(c for c in report.checks if c.student_id == pending_student.pk)
    assert "待定" in {p.kind: p.detail for p in pending.problems}[ProblemKind.OUTCOME]


def test_every_problem_of_a_graduate_is_listed_at_once(registrar, college_a_staff, school, major_a):
    others = graduating(major_a, 1)
    years_registered(registrar, college_a_staff, major_a.college, others)  # the rolls of 2023-2025 are open
    student = graduating(major_a, 1, student_number=None)[0]
    admission_of(student, name="王小明")
    graduate = cohort(registrar, [student], outcome="attended")[0]
    kinds = set(problems_of(precheck_report(registrar, 2026), graduate))
    assert kinds == {
        ProblemKind.ANNUAL,
        ProblemKind.FIELDS,
        ProblemKind.ADMISSION,
        ProblemKind.PHOTO,
        ProblemKind.OUTCOME,
    }


def test_the_whole_cohort_is_checked_in_one_statement(graduates, registrar, major_a):
    cohort(registrar, graduating(major_a, 20))
    with CaptureQueriesContext(connection) as queries:
        report = precheck_report(registrar, 2026)
    assert len(report.checks) == 23
    assert len([q for q in queries.captured_queries if "WITH cohort AS" in q["sql"]]) == 1
    assert len(queries.captured_queries) <= 3


@pytest.mark.rule("SEC-2")
def test_college_staff_see_their_colleges_only(graduates, registrar, college_b_staff, major_b, client):
    cohort(registrar, graduating(major_b, 1))
    report = precheck_report(college_b_staff, 2026)
    assert [c.college for c in report.colleges] == [major_b.college.name]
    client.force_login(college_b_staff)
    page = client.get(reverse("diploma_photos:precheck")).content.decode()
    assert graduates[0].student.name not in page
    sheet = client.get(reverse("diploma_photos:precheck-file"))
    text = " ".join(
        str(c)
        for row in load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True)
        for c in row
    )
    assert graduates[0].student.name not in text and "外国语学院" in text


@pytest.mark.rule("SEC-2")
def test_students_get_no_precheck(client, student_a):
    client.force_login(student_a)
    assert client.get(reverse("diploma_photos:precheck")).status_code == 403
    assert client.get(reverse("diploma_photos:precheck-file")).status_code == 403


@pytest.mark.rule("SEC-1")
def test_only_the_registrar_runs_the_precheck(graduates, client, college_a_staff, registrar):
    client.force_login(college_a_staff)
    assert client.post(reverse("diploma_photos:precheck"), {"year": 2026}).status_code == 403
    client.force_login(registrar)
    response = client.post(reverse("diploma_photos:precheck"), {"year": 2026}, follow=True)
    assert "3人通过" in response.content.decode()
    assert Certificate.objects.filter(state=CertificateState.PRECHECKED).count() == 3


def test_the_run_prechecks_the_passed_graduates_and_leaves_the_flagged_one(
    graduates, registrar, major_a, client
):
    cohort(registrar, graduating(major_a, 1))  # no photo, no annual registration
    client.force_login(registrar)
    page = client.post(reverse("diploma_photos:precheck"), {"year": 2026}, follow=True).content.decode()
    assert "3人通过" in page and "1人有问题待处理" in page
    assert set(Certificate.objects.values_list("graduate_id", flat=True)) == {g.pk for g in graduates}


def test_the_sheet_lists_one_line_per_problem(registrar, school, major_a, client):
    student = graduating(major_a, 1, exam_number="")[0]
    admission_of(student, name="王小明")
    photo_confirmed(registrar, [student])
    cohort(registrar, [student])
    client.force_login(registrar)
    sheet = load_workbook(io.BytesIO(client.get(reverse("diploma_photos:precheck-file")).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("院系", "学号", "姓名", "专业", "问题类别", "问题说明")
    kinds = [r[4] for r in rows[1:]]
    assert kinds == ["注册信息不全（DIP-3）", "与录取数据不一致（DIP-4）"]
    assert not PhotoCapture.objects.exclude(check_state="confirmed").exists()
