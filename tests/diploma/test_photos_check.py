"""The student's photo check (DIP-9, JL28(一)): opens on day 40, confirm or report, seen by their college only."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from deadlines.defaults import PHOTO_CHECK
from deadlines.models import DeadlineRule, DeadlineViolation
from deadlines.registry import get_kind
from deadlines.scan import deadline_scan
from diploma.models import CheckState, PhotoCapture, PhotoRetake
from diploma.services.photos import photo_check_confirm, photo_check_dispute, photo_retake_register
from registrar.errors import DomainError
from registrar.roles import Role
from registrar.services import user_create
from tests.diploma.builders import cohort, graduating
from tests.diploma.photo_builders import captured, days_ago
from tests.users import PASSWORD, api_as

pytestmark = [pytest.mark.django_db, pytest.mark.rule("DIP-9")]


def account(student, username="grad"):
    return user_create(actor=None, username=username, password=PASSWORD, role=Role.STUDENT, student=student)


@pytest.fixture
def grad(registrar, major_a):
    """A graduating student of college A whose photo was captured 41 days ago and imported."""
    student = graduating(major_a, 1)[0]
    captured(registrar, [student])
    return account(student)


@pytest.fixture
def grad_b(registrar, major_b):
    student = graduating(major_b, 1)[0]
    captured(registrar, [student])
    return account(student, "grad_b")


def test_the_check_opens_on_the_40th_day_after_capture_not_before(registrar, major_a):
    early, due = graduating(major_a, 2)
    captured(registrar, [early], captured_on=days_ago(39))
    captured(registrar, [due], captured_on=days_ago(40))
    with pytest.raises(DomainError, match="采集40天后开放"):
        photo_check_confirm(user=account(early, "early"))
    assert photo_check_confirm(user=account(due, "due")).check_state == CheckState.CONFIRMED


def test_confirming_records_the_conclusion_and_an_audit_event(grad):
    capture = photo_check_confirm(user=grad)
    assert capture.check_state == CheckState.CONFIRMED and capture.checked_at is not None
    event = AuditEvent.objects.get(action="diploma.photo_capture.confirm")
    assert event.student_id == grad.student_id and event.actor_id == grad.pk


def test_a_report_needs_words_and_keeps_them(grad):
    with pytest.raises(DomainError, match="请说明"):
        photo_check_dispute(user=grad, problem="  ")
    capture = photo_check_dispute(user=grad, problem="照片不是我本人")
    assert (capture.check_state, capture.problem) == (CheckState.DISPUTED, "照片不是我本人")


def test_a_concluded_check_cannot_be_concluded_again(grad):
    photo_check_confirm(user=grad)
    with pytest.raises(DomainError, match="确认无误"):
        photo_check_dispute(user=grad, problem="改主意了")


def test_no_photo_yet_means_no_check(registrar, major_a):
    student = graduating(major_a, 1)[0]
    captured(registrar, [student], photos=False)
    with pytest.raises(DomainError, match="尚未导入"):
        photo_check_confirm(user=account(student))


def test_the_student_page_shows_their_photo_and_data_and_takes_the_conclusion(client, grad):
    client.force_login(grad)
    page = client.get(reverse("diploma_photos:me"))
    assert page.status_code == 200 and grad.student.name in page.content.decode()
    assert "<td>4年</td>" in page.content.decode()  # 学制 as people write it, not 4.0
    image = client.get(reverse("diploma_photos:image"))
    assert image["Content-Type"] == "image/jpeg" and image["Cache-Control"] == "private, no-store"
    response = client.post(reverse("diploma_photos:report"), {"problem": "出生日期有误"}, follow=True)
    assert "学院将与你联系" in response.content.decode()
    assert PhotoCapture.objects.get(student=grad.student).check_state == CheckState.DISPUTED


def test_the_students_archive_links_to_the_photo_check(client, grad):
    client.force_login(grad)
    assert reverse("diploma_photos:me") in client.get(reverse("annual_records:me")).content.decode()
    assert reverse("diploma_photos:me") in client.get(reverse("student-me")).content.decode()


@pytest.mark.rule("SEC-2")
def test_staff_and_others_get_no_student_photo_page(client, grad, college_a_staff):
    client.force_login(college_a_staff)
    assert client.get(reverse("diploma_photos:me")).status_code == 404
    assert client.get(reverse("diploma_photos:image")).status_code == 404
    assert client.post(reverse("diploma_photos:confirm")).status_code == 404


@pytest.mark.rule("SEC-2")
def test_another_student_never_reaches_someone_elses_photo(client, grad, grad_b):
    client.force_login(grad_b)
    client.post(reverse("diploma_photos:confirm"))
    assert PhotoCapture.objects.get(student=grad.student).check_state == CheckState.UNCHECKED
    assert grad.student.name not in client.get(reverse("diploma_photos:me")).content.decode()
    other = PhotoCapture.objects.get(student=grad.student)
    assert client.get(reverse("admin:diploma_photocapture_image", args=[other.pk])).status_code == 302


@pytest.mark.rule("SEC-2")
def test_staff_see_the_conclusions_of_their_colleges_only(client, grad, grad_b, college_a_staff):
    photo_check_dispute(user=grad_b, problem="乙的照片有误")
    client.force_login(college_a_staff)
    page = client.get(reverse("admin:diploma_photocapture_changelist")).content.decode()
    assert grad.student.name in page and grad_b.student.name not in page
    other = PhotoCapture.objects.get(student=grad_b.student)
    assert client.get(reverse("admin:diploma_photocapture_image", args=[other.pk])).status_code == 404
    assert client.get(reverse("admin:diploma_photocapture_change", args=[other.pk])).status_code in (302, 404)


@pytest.mark.rule("SEC-1")
def test_college_staff_are_refused_the_imports_before_the_upload_is_read(client, college_a_staff):
    client.force_login(college_a_staff)
    for name in ("admin:diploma_photo_import", "admin:diploma_photo_images"):
        assert client.post(reverse(name), {"file": b"PK\x03\x04 never read"}).status_code == 403


def test_students_without_a_capture_are_listed_for_a_retake(client, registrar, major_a, college_a_staff):
    with_photo, without = graduating(major_a, 2)
    cohort(registrar, [with_photo, without])
    captured(registrar, [with_photo])
    client.force_login(college_a_staff)
    page = client.get(reverse("admin:diploma_photo_retakes"), {"year": 2026}).content.decode()
    assert without.name in page and with_photo.name not in page
    client.post(
        reverse("admin:diploma_photo_retakes"), {"year": 2026, "student": without.pk, "reason": "missed"}
    )
    assert PhotoRetake.objects.get().student == without
    sheet = client.get(reverse("admin:diploma_photo_retakes_file"), {"year": 2026})
    assert sheet.status_code == 200 and sheet["Content-Type"].startswith("application/vnd.openxml")


@pytest.mark.rule("SEC-1")
def test_another_colleges_staff_cannot_register_a_retake(registrar, major_a, college_b_staff):
    student = graduating(major_a, 1)[0]
    with pytest.raises(Exception, match="学生不存在"):
        photo_retake_register(actor=college_b_staff, student_id=student.pk, reason="missed")
    assert not PhotoRetake.objects.exists()


def test_a_retake_list_hides_another_colleges_students(client, registrar, major_a, major_b, college_a_staff):
    a, b = graduating(major_a, 1)[0], graduating(major_b, 1)[0]
    cohort(registrar, [a, b])
    client.force_login(college_a_staff)
    page = client.get(reverse("admin:diploma_photo_retakes"), {"year": 2026}).content.decode()
    assert a.name in page and b.name not in page


def test_the_photo_check_is_a_deadline_kind_the_scan_monitors(grad, school):
    assert get_kind(PHOTO_CHECK) is not None
    DeadlineRule.objects.filter(kind=PHOTO_CHECK).update(enabled=True, length=30)
    deadline_scan()
    violation = DeadlineViolation.objects.get(rule__kind=PHOTO_CHECK)
    assert violation.student_id == grad.student_id and violation.state == "open"
    photo_check_confirm(user=grad)
    deadline_scan()
    assert DeadlineViolation.objects.get(rule__kind=PHOTO_CHECK).state == "resolved"


@pytest.mark.rule("SEC-2")
def test_the_retake_sheet_and_pages_refuse_other_colleges_and_students(
    client, registrar, major_a, major_b, college_a_staff, student_b
):
    a, b = graduating(major_a, 1)[0], graduating(major_b, 1)[0]
    cohort(registrar, [a, b])
    client.force_login(college_a_staff)
    sheet = client.get(reverse("admin:diploma_photo_retakes_file"), {"year": 2026})
    text = " ".join(
        str(c)
        for row in load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True)
        for c in row
    )
    assert a.name in text and b.name not in text
    client.post(reverse("admin:diploma_photo_retakes"), {"year": 2026, "student": b.pk, "reason": "missed"})
    assert not PhotoRetake.objects.exists()
    client.force_login(student_b)
    for name in (
        "admin:diploma_photo_retakes",
        "admin:diploma_photo_retakes_file",
        "admin:diploma_photocapture_changelist",
    ):
        assert client.get(reverse(name)).status_code == 302  # to the staff sign-in, nothing shown


# ---------------------------------------------------------------- the same check through the API


def test_the_student_confirms_or_reports_through_the_api_as_on_the_page(grad, grad_b):
    confirmed = api_as(grad).post("/api/diploma/photos/confirm/")
    assert confirmed.status_code == 200
    assert (confirmed.json()["check_state"], confirmed.json()["check_state_display"]) == (
        "confirmed",
        "确认无误",
    )
    again = api_as(grad).post("/api/diploma/photos/confirm/")
    assert again.status_code == 400 and "当前为" in again.json()["detail"]
    reported = api_as(grad_b).post(
        "/api/diploma/photos/dispute/", {"problem": "  照片不是本人  "}, format="json"
    )
    assert reported.status_code == 200 and reported.json()["check_state"] == "disputed"
    assert PhotoCapture.objects.get(student_id=grad_b.student_id).problem == "照片不是本人"
    # Each acted on their own capture only.
    assert PhotoCapture.objects.get(student_id=grad.student_id).check_state == CheckState.CONFIRMED


def test_a_report_without_words_and_a_check_before_day_40_are_refused_in_chinese(registrar, major_a, grad):
    empty = api_as(grad).post("/api/diploma/photos/dispute/", {"problem": " "}, format="json")
    assert empty.status_code == 400 and empty.json()["detail"] == "请说明照片或信息哪里有误"
    missing = api_as(grad).post("/api/diploma/photos/dispute/", {}, format="json")
    assert missing.status_code == 400 and "problem" in str(missing.json())
    early = graduating(major_a, 1)[0]
    captured(registrar, [early], captured_on=days_ago(39))
    refused = api_as(account(early, "early")).post("/api/diploma/photos/confirm/")
    assert refused.status_code == 400 and "采集40天后开放" in refused.json()["detail"]
    assert PhotoCapture.objects.get(student_id=grad.student_id).check_state == CheckState.UNCHECKED


@pytest.mark.rule("SEC-2")
def test_staff_and_students_without_a_capture_check_nothing_through_theapi_as(
    grad, college_a_staff, registrar, student_b
):
    for user in (college_a_staff, registrar, student_b):
        response = api_as(user).post("/api/diploma/photos/confirm/")
        assert response.status_code == 404, user
        assert response.json()["detail"] == "没有你的图像采集记录"
    assert api_as(None).post("/api/diploma/photos/confirm/").status_code in (401, 403)
    assert PhotoCapture.objects.get(student_id=grad.student_id).check_state == CheckState.UNCHECKED
