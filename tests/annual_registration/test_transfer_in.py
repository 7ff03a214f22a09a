"""转学（转入） (ANN-4): refused without the source school; approved, the person gets a 学籍 here."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from annual_registration.models import ChangeState, StatusChange
from annual_registration.selectors_changes import shown_values
from annual_registration.services.change_approval import status_change_approve
from annual_registration.services.change_rules import ChangeInput
from annual_registration.services.changes import status_change_submit
from annual_registration.services.transfer_in import IncomingStudent, transfer_in_file
from annual_registration.timeline import student_timeline
from audit.models import AuditEvent
from registrar import codes
from registrar.errors import DomainError
from registrar.idcard import make_id_number
from registrar.models import Student, User
from tests.annual_registration.change_builders import DOCUMENT, filed

Kind = codes.StatusChangeKind
BIRTH = datetime.date(2006, 5, 4)
FROM = ChangeInput(kind=Kind.TRANSFER_IN, reason="随父母工作调动转学", other_school="东北师范大学")


def approved_transfer(staff, registrar, major, clock) -> Student:
    """Filed by ``staff``, submitted, approved on 2026-10-12; the student it created."""
    change = transfer_in_file(actor=staff, person=person(major), given=FROM)
    status_change_submit(actor=staff, change_id=change.pk)
    status_change_approve(
        actor=registrar,
        change_id=change.pk,
        decision_date=clock.set(datetime.date(2026, 10, 12)),
        document_number="校学〔2026〕40号",
        document=DOCUMENT,
    )
    return Student.objects.get(student_number="2025990001")


def person(major, **changes) -> IncomingStudent:
    values = {
        "student_number": "2025990001",
        "name": "转入生",
        "gender": codes.Gender.FEMALE,
        "ethnicity": codes.Ethnicity.HAN,
        "birth_date": BIRTH,
        "id_type": codes.IdType.RESIDENT_ID,
        "id_number": make_id_number("220102", BIRTH, 7, codes.Gender.FEMALE),
        "major_id": major.pk,
        "entry_date": datetime.date(2025, 9, 8),
        **changes,
    }
    return IncomingStudent(**values)


@pytest.mark.rule("ANN-4")
def test_a_transfer_in_without_the_source_school_is_refused(college_a_staff, major_a, kind_settings, clock):
    with pytest.raises(DomainError, match="转学（转入）须填写原学校"):
        transfer_in_file(
            actor=college_a_staff, person=person(major_a), given=dataclasses.replace(FROM, other_school=" ")
        )
    assert not StatusChange.objects.exists()


@pytest.mark.rule("ANN-4")
def test_a_transfer_in_is_a_draft_naming_a_person_who_is_no_student_yet(
    college_a_staff, major_a, kind_settings, clock
):
    change = transfer_in_file(actor=college_a_staff, person=person(major_a), given=FROM)
    assert (change.student_id, change.state, change.person) == (
        None,
        ChangeState.DRAFT,
        "转入生（2025990001）",
    )
    assert not Student.objects.filter(student_number="2025990001").exists()


@pytest.mark.rule("ANN-4")
def test_an_approved_transfer_in_gives_the_person_a_status_here_through_the_core(
    college_a_staff, registrar, major_a, kind_settings, clock
):
    student = approved_transfer(college_a_staff, registrar, major_a, clock)
    assert (student.name, student.student_status, student.major_id, student.college_id) == (
        "转入生",
        codes.StudentStatus.IN_SCHOOL,
        major_a.pk,
        major_a.college_id,
    )
    assert StatusChange.objects.get(kind=Kind.TRANSFER_IN).student_id == student.pk
    assert student.history.count() == 1 and User.objects.filter(student=student, role="student").exists()
    assert AuditEvent.objects.filter(action="registrar.student.create", student_id=student.pk).count() == 1


@pytest.mark.rule("ANN-4")
@pytest.mark.rule("ANN-11")
def test_a_transferred_student_sees_the_transfer_in_their_record(
    college_a_staff, registrar, major_a, kind_settings, clock
):
    student = approved_transfer(college_a_staff, registrar, major_a, clock)
    entry = next(e for e in student_timeline(registrar, student) if e.kind == "change")
    assert entry.title == "学籍异动：转学（转入）"
    assert ("专业", "—", f"{major_a.name}（{major_a.code}）") in entry.changes


@pytest.mark.rule("ANN-4")
def test_a_transfer_in_of_someone_holding_a_status_here_is_refused(
    college_a_staff, major_a, second_years, clock
):
    number = second_years[0].id_number
    with pytest.raises(DomainError, match="已有在籍学籍（ENR-6）"):
        transfer_in_file(
            actor=college_a_staff,
            person=person(major_a, id_number=number, birth_date=second_years[0].birth_date, gender="1"),
            given=FROM,
        )


@pytest.mark.rule("ANN-4")
def test_a_transfer_in_cannot_be_filed_for_a_student_already_here(college_a_staff, second_years, clock):
    with pytest.raises(DomainError, match="转学（转入）的学生尚无本校学籍"):
        filed(college_a_staff, second_years[0], Kind.TRANSFER_IN, other_school="东北师范大学")


@pytest.mark.rule("ANN-4")
def test_another_colleges_staff_cannot_transfer_someone_into_college_a(
    api, college_b_staff, major_a, kind_settings, clock
):
    body = {
        "other_school": "东北师范大学",
        "reason": "转学",
        "name": "转入生",
        "gender": "2",
        "ethnicity": "01",
        "birth_date": "2006-05-04",
        "id_number": make_id_number("220102", BIRTH, 7, "2"),
        "student_number": "2025990001",
        "major": major_a.pk,
        "entry_date": "2025-09-08",
    }
    response = api(college_b_staff).post("/api/annual/changes/transfer-in/", body, format="json")
    assert response.status_code == 400 and "只能转入本学院的专业" in response.data["detail"]
    assert not StatusChange.objects.exists()


@pytest.mark.rule("ANN-4")
def test_a_student_cannot_file_a_transfer_in(api, student_a, major_a, kind_settings, clock):
    assert api(student_a).post("/api/annual/changes/transfer-in/", {}, format="json").status_code == 403


@pytest.mark.rule("ANN-4")
def test_the_college_files_a_transfer_in_on_its_page(client, college_a_staff, major_a, kind_settings, clock):
    client.force_login(college_a_staff)
    url = "/admin/annual_registration/statuschange/transfer-in/"
    assert major_a.name in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "other_school": "东北师范大学",
            "reason": "随父母工作调动转学",
            "name": "转入生",
            "gender": "2",
            "ethnicity": "01",
            "birth_date": "2006-05-04",
            "id_type": "1",
            "id_number": make_id_number("220102", BIRTH, 7, "2"),
            "student_number": "2025990001",
            "major": major_a.pk,
            "entry_date": "2025-09-08",
        },
    )
    change = StatusChange.objects.get()
    assert response.status_code == 302 and (change.kind, change.incoming["name"]) == (
        Kind.TRANSFER_IN,
        "转入生",
    )


@pytest.mark.rule("ANN-4")
def test_a_case_shows_its_program_years_and_grade_as_people_read_them(
    college_a_staff, major_a, kind_settings, clock
):
    change = transfer_in_file(actor=college_a_staff, person=person(major_a, grade=2025), given=FROM)
    shown = {v.label: (v.before, v.after) for v in shown_values([change])[change.pk]}
    assert (shown["学制"], shown["年级"]) == (("—", "4年"), ("—", "2025级"))
