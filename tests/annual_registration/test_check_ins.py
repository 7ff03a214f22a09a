"""学期报到注册 (ANN-13): opened for every in-school student, 已报到 for many at once, 请假 with its reason."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from annual_registration.blockers import blockers_of, with_blockers
from annual_registration.models import AnnualRegistration, CheckInState, TermCheckIn
from annual_registration.models.check_ins import term_check_in_required
from annual_registration.services.check_ins import check_in_leave, check_ins_record, term_check_in_open
from annual_registration.timeline import student_record
from audit.labels import action_label
from audit.models import AuditEvent
from registrar.errors import DomainError
from registrar.models import School, User
from registrar.models.school import DeadlinePolicy
from tests.annual_registration.builders import roll_opened

pytestmark = pytest.mark.django_db
ME = "/annual/me/"
UNTIL = datetime.date(2026, 9, 30)


@pytest.fixture
def sh_school(school):
    """上海海洋大学's rules: term check-in on (SH二(二)1)."""
    school.deadline_policy = DeadlinePolicy.SH
    school.save()
    return school


@pytest.fixture
def opened(sh_school, students_a, students_b, registrar, term):
    term_check_in_open(actor=registrar, term=term)
    return term


def account(student) -> User:
    return User.objects.get(student=student)


def state_of(student, term) -> str:
    return TermCheckIn.objects.get(student=student, term=term).state


@pytest.mark.rule("ANN-13")
def test_check_in_is_on_for_the_sh_school_and_off_for_the_national_floor(school):
    assert not term_check_in_required(school)
    school.deadline_policy = DeadlinePolicy.SH
    assert term_check_in_required(school)
    school.term_check_in = False  # the school's own setting wins over its policy's default
    assert not term_check_in_required(school)


@pytest.mark.rule("ANN-13")
def test_a_school_that_does_not_require_check_in_cannot_open_it(school, students_a, registrar, term):
    with pytest.raises(DomainError, match="本校未实行学期报到注册"):
        term_check_in_open(actor=registrar, term=term)
    assert not TermCheckIn.objects.exists()


@pytest.mark.rule("ANN-13")
def test_opening_a_term_lists_every_in_school_student_once_even_when_run_twice(
    opened, students_a, students_b, registrar, term
):
    everyone = len(students_a) + len(students_b)
    assert TermCheckIn.objects.filter(term=term, state=CheckInState.PENDING).count() == everyone
    assert term_check_in_open(actor=registrar, term=term) == 0
    assert TermCheckIn.objects.count() == everyone
    assert AuditEvent.objects.filter(action="annual_registration.check_in.open").count() == everyone


@pytest.mark.rule("ANN-13")
def test_only_the_registrar_opens_a_term(sh_school, students_a, college_a_staff, term):
    with pytest.raises(PermissionDenied):
        term_check_in_open(actor=college_a_staff, term=term)


@pytest.mark.rule("ANN-13")
def test_college_staff_record_many_check_ins_at_once_with_one_event_each(
    opened, students_a, college_a_staff, term
):
    ids = [s.pk for s in students_a[:3]]
    assert check_ins_record(actor=college_a_staff, term_id=term.pk, student_ids=ids) == 3
    assert [state_of(s, term) for s in students_a[:4]] == ["checked_in"] * 3 + ["pending"]
    events = AuditEvent.objects.filter(action="annual_registration.check_in.check_in")
    assert sorted(events.values_list("student_id", flat=True)) == sorted(ids)


@pytest.mark.rule("ANN-13")
def test_another_colleges_student_refuses_the_whole_call(
    opened, students_a, students_b, college_a_staff, term
):
    with pytest.raises(DomainError, match="不属于你所在的学院"):
        check_ins_record(
            actor=college_a_staff, term_id=term.pk, student_ids=[students_a[0].pk, students_b[0].pk]
        )
    assert state_of(students_a[0], term) == CheckInState.PENDING


@pytest.mark.rule("ANN-13")
def test_a_term_not_opened_is_refused(sh_school, students_a, college_a_staff, term):
    with pytest.raises(DomainError, match="报到注册尚未开启"):
        check_ins_record(actor=college_a_staff, term_id=term.pk, student_ids=[students_a[0].pk])


@pytest.mark.rule("ANN-13")
def test_a_second_check_in_is_refused_in_chinese(opened, students_a, college_a_staff, term):
    check_ins_record(actor=college_a_staff, term_id=term.pk, student_ids=[students_a[0].pk])
    with pytest.raises(DomainError, match="当前为“已报到”，不能报到注册"):
        check_ins_record(actor=college_a_staff, term_id=term.pk, student_ids=[students_a[0].pk])


@pytest.mark.rule("ANN-13")
def test_leave_is_recorded_with_its_reason_and_until_date(opened, students_a, college_a_staff, term):
    row = check_in_leave(
        actor=college_a_staff, term_id=term.pk, student_id=students_a[0].pk, reason="病假", until=UNTIL
    )
    assert (row.state, row.leave_reason, row.leave_until) == (CheckInState.ON_LEAVE, "病假", UNTIL)
    event = AuditEvent.objects.get(action="annual_registration.check_in.take_leave")
    assert event.reason == "病假" and event.student_id == students_a[0].pk


@pytest.mark.rule("ANN-13")
def test_leave_without_a_reason_or_date_is_refused(opened, students_a, college_a_staff, term):
    with pytest.raises(DomainError, match="请填写请假事由"):
        check_in_leave(
            actor=college_a_staff, term_id=term.pk, student_id=students_a[0].pk, reason=" ", until=UNTIL
        )
    with pytest.raises(DomainError, match="请填写请假截止日期"):
        check_in_leave(
            actor=college_a_staff, term_id=term.pk, student_id=students_a[0].pk, reason="病假", until=None
        )
    assert state_of(students_a[0], term) == CheckInState.PENDING


@pytest.mark.rule("ANN-13")
def test_a_student_back_from_leave_checks_in(opened, students_a, college_a_staff, term):
    check_in_leave(
        actor=college_a_staff, term_id=term.pk, student_id=students_a[0].pk, reason="病假", until=UNTIL
    )
    check_ins_record(actor=college_a_staff, term_id=term.pk, student_ids=[students_a[0].pk])
    assert state_of(students_a[0], term) == CheckInState.CHECKED_IN


@pytest.mark.rule("ANN-13")
def test_the_auditor_records_nothing(opened, students_a, auditor, term):
    with pytest.raises(PermissionDenied):
        check_ins_record(actor=auditor, term_id=term.pk, student_ids=[students_a[0].pk])


@pytest.mark.rule("SEC-3")
def test_every_check_in_action_has_a_chinese_label():
    for action in ("open", "check_in", "take_leave"):
        assert "check_in" not in action_label(f"annual_registration.check_in.{action}")
    assert action_label("annual_registration.check_in_roll.open") == "开启学期报到注册"


# ---------------------------------------------------------------- what the student sees


@pytest.mark.rule("ANN-13")
def test_the_student_sees_what_to_do_and_by_when_on_their_page(opened, students_a, client_for, term):
    page = client_for(account(students_a[0])).get(ME).content.decode()
    assert "报到注册：待报到" in page and "2026-09-07 前办理" in page
    assert "请向学院请假" in page


@pytest.mark.rule("ANN-13")
def test_the_students_timeline_shows_their_leave_and_not_anothers(
    opened, students_a, students_b, college_a_staff, college_b_staff, term
):
    check_in_leave(
        actor=college_a_staff, term_id=term.pk, student_id=students_a[0].pk, reason="病假", until=UNTIL
    )
    check_ins_record(actor=college_b_staff, term_id=term.pk, student_ids=[students_b[0].pk])
    record = student_record(account(students_a[0]), students_a[0].pk)
    details = [e.detail for e in record.timeline if e.kind == "check_in"]
    assert details == ["病假，请假至2026-09-30"]
    assert record.check_in.due == UNTIL
    with pytest.raises(type(students_b[0]).DoesNotExist):
        student_record(account(students_a[0]), students_b[0].pk)


@pytest.mark.rule("ANN-13")
def test_a_student_who_has_not_checked_in_blocks_the_years_registration(
    sh_school, students_a, registrar, college_a_staff, year_2027, term_2027
):
    roll_opened(registrar, year_2027)
    term_check_in_open(actor=registrar, term=term_2027)
    check_in_leave(
        actor=college_a_staff,
        term_id=term_2027.pk,
        student_id=students_a[1].pk,
        reason="事假",
        until=datetime.date(2027, 9, 20),
    )
    rows = with_blockers(AnnualRegistration.objects.filter(student__in=students_a[:2]).order_by("student"))
    codes = {row.student_id: [b.code for b in blockers_of(row)] for row in rows}
    assert "check_in" in codes[students_a[0].pk] and "check_in" not in codes[students_a[1].pk]


# ---------------------------------------------------------------- staff pages and the API


@pytest.mark.rule("ANN-13")
def test_college_staff_see_their_colleges_check_ins_and_record_them_on_the_page(
    opened, students_a, students_b, college_a_staff, client_for, term
):
    client = client_for(college_a_staff)
    url = reverse("admin:annual_registration_termcheckin_changelist")
    page = client.get(url).content.decode()
    assert students_a[0].name in page and students_b[0].name not in page
    rows = TermCheckIn.objects.filter(student__in=students_a[:2]).values_list("pk", flat=True)
    client.post(url, {"action": "check_in_selected", "_selected_action": [str(pk) for pk in rows]})
    assert state_of(students_a[1], term) == CheckInState.CHECKED_IN


@pytest.mark.rule("ANN-13")
def test_the_leave_page_refuses_another_colleges_row_and_a_missing_reason(
    opened, students_a, students_b, college_a_staff, client_for, term
):
    client = client_for(college_a_staff)
    theirs = TermCheckIn.objects.get(student=students_b[0])
    assert (
        client.get(reverse("admin:annual_registration_termcheckin_leave", args=[theirs.pk])).status_code
        == 404
    )
    ours = TermCheckIn.objects.get(student=students_a[0])
    url = reverse("admin:annual_registration_termcheckin_leave", args=[ours.pk])
    page = client.post(url, {"leave_reason": "", "leave_until": "2026-09-30"}, follow=True).content.decode()
    assert "请填写请假事由" in page and state_of(students_a[0], term) == CheckInState.PENDING


@pytest.mark.rule("ANN-13")
def test_the_registrar_opens_a_term_on_the_staff_page(sh_school, students_a, registrar, client_for, term):
    client_for(registrar).post(reverse("admin:annual_registration_termcheckin_open"), {"term": term.pk})
    assert TermCheckIn.objects.filter(term=term).count() == 5


@pytest.mark.rule("ANN-13")
def test_the_api_records_check_ins_and_leave_for_the_colleges_own_students(
    opened, students_a, college_a_staff, api, term
):
    client = api(college_a_staff)
    response = client.post(
        "/api/annual/check-ins/record/",
        {"term": term.pk, "students": [s.pk for s in students_a[:2]]},
        format="json",
    )
    assert response.status_code == 200 and response.json() == {"recorded": 2}
    row = TermCheckIn.objects.get(student=students_a[2])
    response = client.post(
        f"/api/annual/check-ins/{row.pk}/leave/",
        {"leave_reason": "病假", "leave_until": "2026-09-30"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["state"] == "on_leave"


@pytest.mark.rule("ANN-13")
@pytest.mark.rule("SEC-2")
def test_the_api_refuses_another_colleges_row_a_student_and_a_missing_reason(
    opened, students_a, students_b, college_a_staff, api, term
):
    theirs = TermCheckIn.objects.get(student=students_b[0])
    leave = {"leave_reason": "病假", "leave_until": "2026-09-30"}
    client = api(college_a_staff)
    assert client.post(f"/api/annual/check-ins/{theirs.pk}/leave/", leave, format="json").status_code == 404
    assert client.get(f"/api/annual/check-ins/{theirs.pk}/").status_code == 404
    response = client.post(
        "/api/annual/check-ins/record/", {"term": term.pk, "students": [students_b[0].pk]}, format="json"
    )
    assert response.status_code == 400 and "不属于你所在的学院" in response.json()["detail"]
    ours = TermCheckIn.objects.get(student=students_a[0])
    response = client.post(
        f"/api/annual/check-ins/{ours.pk}/leave/", {"leave_until": "2026-09-30"}, format="json"
    )
    assert response.status_code == 400 and "请填写请假事由" in str(response.json())
    student = api(account(students_a[0]))
    assert student.get("/api/annual/check-ins/").status_code == 403
    assert student.post(f"/api/annual/check-ins/{ours.pk}/leave/", leave, format="json").status_code == 403


@pytest.mark.rule("ANN-13")
def test_a_student_past_the_term_start_is_told_it_is_overdue(clock, opened, students_a, client_for):
    page = client_for(account(students_a[0])).get(ME).content.decode()
    assert "应于 2026-09-07 前办理，已逾期" in page


def test_the_school_setting_defaults_to_its_policy(school):
    assert School.objects.get().term_check_in is None
