import pytest

from enrollment.models import AdmissionRecord
from enrollment.services import (
    ItemInput,
    review_batch_approve,
    review_batch_create,
    review_batch_submit,
    review_items_save,
)
from tests.enrollment.builders import (
    account_of,
    admission_row,
    admission_sheet,
    registered_through_a_list,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch_a(freshmen_a, college_a_staff, college_a, term):
    return review_batch_create(actor=college_a_staff, college=college_a, term=term)


def test_import_page_shows_every_row_error_and_offers_the_error_sheet(client_for, registrar, term, major_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(registrar)
    content = admission_sheet(
        [admission_row(1, major_a, XM=""), admission_row(2, major_a, CSRQ="2007-02-30")]
    )
    page = client.post(
        "/admin/enrollment/admissionrecord/import/",
        {"year": 2026, "file": SimpleUploadedFile("a.xlsx", content)},
    )
    html = page.content.decode()
    assert "第2行" in html and "第3行" in html and "未写入任何数据" in html
    token = html.split("/uploads/errors/")[1].split(".xlsx")[0]
    assert client.get(f"/uploads/errors/{token}.xlsx").status_code == 200
    assert not AdmissionRecord.objects.exists()


def test_college_staff_cannot_open_the_import_page(client_for, college_a_staff):
    assert client_for(college_a_staff).get("/admin/enrollment/admissionrecord/import/").status_code == 403


def test_batch_page_shows_only_the_buttons_of_available_transitions(
    client_for, batch_a, college_a_staff, registrar, freshmen_a
):
    html = (
        client_for(college_a_staff)
        .get(f"/admin/enrollment/reviewbatch/{batch_a.pk}/review/")
        .content.decode()
    )
    assert 'id="action-submit"' in html and 'id="action-approve"' not in html
    review_items_save(
        actor=college_a_staff,
        batch_id=batch_a.pk,
        items=[ItemInput(key=freshmen_a[0].exam_number, outcome="passed")],
    )
    review_batch_submit(actor=college_a_staff, batch_id=batch_a.pk)
    html = client_for(registrar).get(f"/admin/enrollment/reviewbatch/{batch_a.pk}/review/").content.decode()
    assert 'id="action-approve"' in html and 'id="action-send_back"' in html


def test_college_b_staff_gets_404_on_college_a_batch_page(client_for, batch_a, college_b_staff):
    client = client_for(college_b_staff)
    assert client.get(f"/admin/enrollment/reviewbatch/{batch_a.pk}/review/").status_code == 404
    assert (
        client.post(f"/admin/enrollment/reviewbatch/{batch_a.pk}/review/", {"action": "submit"}).status_code
        == 404
    )


def test_second_approval_on_the_page_is_a_message_not_an_error(
    client_for, batch_a, college_a_staff, registrar, freshmen_a
):
    review_items_save(
        actor=college_a_staff,
        batch_id=batch_a.pk,
        items=[ItemInput(key=freshmen_a[0].exam_number, outcome="passed")],
    )
    review_batch_submit(actor=college_a_staff, batch_id=batch_a.pk)
    review_batch_approve(actor=registrar, batch_id=batch_a.pk)
    page = client_for(registrar).post(
        f"/admin/enrollment/reviewbatch/{batch_a.pk}/review/",
        {"action": "approve", "confirmed": "1"},
        follow=True,
    )
    assert page.status_code == 200 and "不能审批通过" in page.content.decode()


def test_review_upload_with_errors_lists_them_on_the_page(client_for, batch_a, college_a_staff, freshmen_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = xlsx_bytes([["考生号", "审查结论"], [freshmen_a[0].exam_number, "请假"], ["1", "报到入学"]])
    page = client_for(college_a_staff).post(
        f"/admin/enrollment/reviewbatch/{batch_a.pk}/review/",
        {"action": "upload", "file": SimpleUploadedFile("r.xlsx", content)},
    )
    html = page.content.decode()
    assert "第2行" in html and "审查结论" in html
    assert not batch_a.review_items.exists()


def test_student_page_masks_the_id_number_and_offers_confirmation(
    client_for, registrar, college_a_staff, college_a, term, freshmen_a
):
    # rule ENR-11
    registered_through_a_list(
        freshmen_a[0], staff=college_a_staff, registrar=registrar, college=college_a, term=term
    )
    client = client_for(account_of(freshmen_a[0]))
    html = client.get("/enrollment/me/").content.decode()
    assert freshmen_a[0].id_number not in html and freshmen_a[0].id_number[-4:] in html
    client.post("/enrollment/me/confirm/")
    client.post("/enrollment/me/report/", {"description": "民族应为回族"})
    record = AdmissionRecord.objects.get(pk=freshmen_a[0].pk)
    assert record.confirmed_at is not None and record.reports.get().description == "民族应为回族"


def test_staff_cannot_use_the_student_page_and_students_cannot_download_exports(
    client_for, college_a_staff, student_a
):
    assert client_for(college_a_staff).get("/enrollment/me/").status_code == 404
    assert client_for(student_a).get("/enrollment/exports/registration.xlsx").status_code == 403


def test_registrar_records_a_deferral_and_a_correction_on_the_record_page(client_for, registrar, freshmen_a):
    # rule ENR-4  rule ENR-8
    client = client_for(registrar)
    url = f"/admin/enrollment/admissionrecord/{freshmen_a[0].pk}/detail/"
    assert "保留入学资格" in client.get(url).content.decode()
    client.post(
        url,
        {"action": "transition", "transition": "defer", "reason": "应征入伍", "deferral_end": "2027-09-01"},
    )
    client.post(url, {"action": "correction_create", "field": "name", "value": "李四", "reason": "错字"})
    record = AdmissionRecord.objects.get(pk=freshmen_a[0].pk)
    assert (record.state, str(record.deferral_end)) == ("deferred", "2027-09-01")
    assert record.corrections.get().requested == {"name": "李四"}


def test_college_staff_see_no_decisions_and_college_b_gets_404_on_the_record_page(
    client_for, college_a_staff, college_b_staff, freshmen_a
):
    url = f"/admin/enrollment/admissionrecord/{freshmen_a[0].pk}/detail/"
    html = client_for(college_a_staff).get(url).content.decode()
    assert 'id="decisions"' not in html and 'id="correction-form"' in html
    client_for(college_a_staff).post(url, {"action": "transition", "transition": "forfeit", "reason": "x"})
    assert AdmissionRecord.objects.get(pk=freshmen_a[0].pk).state == "imported"
    assert client_for(college_b_staff).get(url).status_code == 404


def test_bulk_rereview_action_marks_registered_students(
    client_for, registrar, batch_a, college_a_staff, freshmen_a
):
    # rule ENR-5
    review_items_save(
        actor=college_a_staff,
        batch_id=batch_a.pk,
        items=[ItemInput(key=r.exam_number, outcome="passed") for r in freshmen_a[:2]],
    )
    review_batch_submit(actor=college_a_staff, batch_id=batch_a.pk)
    review_batch_approve(actor=registrar, batch_id=batch_a.pk)
    client_for(registrar).post(
        "/admin/enrollment/admissionrecord/",
        {"action": "pass_rereview", "_selected_action": [freshmen_a[0].pk, freshmen_a[1].pk]},
    )
    assert AdmissionRecord.objects.filter(rereview_passed_on__isnull=False).count() == 2
