"""The student's archive (QRY-1, ANN-11): a timeline from admission on, what a deferral asks, identity requests."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from annual_registration.models import IdentityChangeRequest, IdentityProof
from annual_registration.services.identity import identity_change_decide, identity_change_file
from annual_registration.services.records import award_record, certificate_issue, punishment_lift
from annual_registration.timeline import student_record
from registrar.idcard import make_id_number, mask
from registrar.models import User
from registrar.services import student_change_status
from tests.annual_registration.record_builders import (
    EARLY,
    TODAY,
    award_input,
    proof,
    punished,
    year_decided,
)

pytestmark = pytest.mark.django_db
ME = "/annual/me/"


@pytest.fixture(autouse=True)
def media_apart(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def account(student) -> User:
    return User.objects.get(student=student)


@pytest.fixture
def decided(students_a, registrar, college_a_staff, college_a, year_2027, term_2027):
    year_decided(registrar, college_a_staff, college_a, year_2027, term_2027, students_a)
    return students_a


@pytest.mark.rule("QRY-1")
@pytest.mark.rule("ANN-7")
def test_the_timeline_holds_the_whole_record_in_order_from_admission_on(decided, registrar):
    student = decided[0]
    award_record(actor=registrar, student_id=student.pk, data=award_input())
    punishment = punished(registrar, student, months=1, decided_on=EARLY)
    punishment_lift(
        actor=registrar, punishment_id=punishment.pk, lifted_on=TODAY, document_number="校发〔2026〕30号"
    )
    certificate_issue(actor=registrar, student_id=student.pk, kind="study", issued_on=TODAY)
    titles = [e.title for e in student_record(account(student), student.pk).timeline]
    assert titles[0] == "入学" and "新生学籍注册：已注册学籍" in titles
    assert titles.index("处分：警告") < titles.index("奖励：国家奖学金") < titles.index("解除处分：警告")
    assert "2027-2028学年注册：已注册" in titles and "发放学习证明" in titles


@pytest.mark.rule("QRY-1")
@pytest.mark.rule("ANN-8")
@pytest.mark.rule("SEC-2")
def test_an_identity_change_shows_old_and_new_with_the_id_number_masked(students_a, registrar):
    student = students_a[0]
    number = make_id_number("110101", datetime.date(2007, 5, 1), 55, "1")
    request = identity_change_file(
        actor=registrar,
        student_id=student.pk,
        requested={"id_number": number},
        reason="证号升位",
        proofs=[proof()],
    )
    identity_change_decide(actor=registrar, request_id=request.pk, transition="approve", document_number="x")
    entry = next(e for e in student_record(account(student), student.pk).timeline if e.kind == "identity")
    assert entry.changes == [("身份证号", mask(student.id_number), mask(number))]
    full = next(e for e in student_record(registrar, student.pk).timeline if e.kind == "identity")
    assert full.changes == [("身份证号", student.id_number, number)]


@pytest.mark.rule("ANN-3")
@pytest.mark.rule("ANN-10")
@pytest.mark.rule("QRY-1")
def test_a_deferred_student_sees_what_to_do_and_by_when(decided, client):
    client.force_login(account(decided[-1]))
    page = client.get(ME).content.decode()
    assert 'id="deferral-notice"' in page
    assert "请在 2027-10-06 前办好以下事项" in page and "缴清本学年学费" in page
    client.force_login(account(decided[0]))
    assert 'id="deferral-notice"' not in client.get(ME).content.decode()


@pytest.mark.rule("ANN-11")
def test_a_student_who_has_left_still_reads_the_archive_but_files_nothing(decided, registrar, client):
    student = decided[0]
    student_change_status(
        actor=registrar, student_id=student.pk, transition="deregister", reason="本人申请退学"
    )
    client.force_login(account(student))
    page = client.get(ME).content.decode()
    assert 'id="archive"' in page and "2027-2028学年注册：已注册" in page
    assert 'id="identity-form"' not in page


@pytest.mark.rule("QRY-1")
def test_the_page_is_chinese_and_fits_a_phone(decided, client):
    client.force_login(account(decided[0]))
    page = client.get(ME).content.decode()
    assert 'name="viewport" content="width=device-width' in page and "我的学籍档案" in page
    assert "@media (max-width: 600px)" in page


@pytest.mark.rule("SEC-2")
def test_staff_have_no_student_page(decided, college_a_staff, client_for):
    assert client_for(college_a_staff).get(ME).status_code == 404


@pytest.mark.rule("ANN-8")
def test_the_student_files_an_identity_change_with_proof_from_the_page(decided, client):
    student = decided[0]
    client.force_login(account(student))
    data = {"fields": ["name"], "value_name": "甲新名", "reason": "户籍更名", "proofs": [proof()]}
    response = client.post(reverse("annual_records:identity-change"), data, follow=True)
    assert "申请已提交" in response.content.decode()
    assert IdentityChangeRequest.objects.get(student=student).requested == {"name": "甲新名"}


@pytest.mark.rule("ANN-8")
def test_an_oversized_proof_from_the_page_is_refused_in_chinese(decided, client, settings):
    settings.IDENTITY_PROOF_MAX_BYTES = 16
    client.force_login(account(decided[0]))
    data = {"fields": ["name"], "value_name": "甲新名", "reason": "户籍更名", "proofs": [proof()]}
    page = client.post(reverse("annual_records:identity-change"), data, follow=True).content.decode()
    assert "超过上限" in page and not IdentityChangeRequest.objects.exists()


@pytest.mark.rule("SEC-2")
def test_a_proof_file_opens_for_its_college_and_the_registrar_only(
    decided, students_b, registrar, college_a_staff, college_b_staff, auditor, client
):
    student = decided[0]
    identity_change_file(
        actor=account(student),
        student_id=student.pk,
        requested={"name": "甲新名"},
        reason="更名",
        proofs=[proof()],
    )
    url = reverse("admin:annual_registration_identityproof_download", args=[IdentityProof.objects.get().pk])
    expected = {
        college_a_staff: 200,
        registrar: 200,
        college_b_staff: 404,
        auditor: 404,
        account(student): 302,  # students do not sign in to the staff pages
        account(students_b[0]): 302,
    }
    seen = {}
    for user in expected:
        client.force_login(user)
        response = client.get(url)
        seen[user] = response.status_code
        if response.status_code == 200:
            assert response["Content-Disposition"].startswith("attachment")
            assert response["X-Content-Type-Options"] == "nosniff"
    assert seen == expected
