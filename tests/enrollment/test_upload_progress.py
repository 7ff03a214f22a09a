"""The progress bar of long uploads: the server reports its phases under a per-user token."""

import secrets

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from enrollment.models import ReviewItem
from enrollment.services import review_batch_create
from tests.enrollment.builders import admission_row, admission_sheet, xlsx_bytes

pytestmark = pytest.mark.django_db


def progress(client, token: str) -> dict:
    return client.get(f"/uploads/progress/{token}/").json()


def test_the_admission_import_reports_its_end_to_the_uploader_only(
    client_for, registrar, auditor, term, major_a
):
    client = client_for(registrar)
    # A fresh token each run: CI's cache is Redis, which outlives the test database.
    token = secrets.token_urlsafe(12)
    assert progress(client, token) == {"phase": "", "percent": 0}
    content = admission_sheet([admission_row(1, major_a), admission_row(2, major_a)])
    page = client.post(
        "/admin/enrollment/admissionrecord/import/",
        {"year": 2026, "token": token, "file": SimpleUploadedFile("a.xlsx", content)},
    )
    assert page.status_code == 200 and 'id="import-result"' in page.content.decode()
    assert progress(client, token) == {"phase": "完成", "percent": 100}
    # Another user asking for the same token learns nothing.
    assert progress(client_for(auditor), token) == {"phase": "", "percent": 0}


def test_the_review_sheet_upload_has_a_progress_bar_and_reports_its_end(
    client_for, college_a_staff, college_b_staff, college_a, term, freshmen_a
):
    batch = review_batch_create(actor=college_a_staff, college=college_a, term=term)
    client = client_for(college_a_staff)
    token = secrets.token_urlsafe(12)
    url = f"/admin/enrollment/reviewbatch/{batch.pk}/review/"
    html = client.get(url).content.decode()
    assert 'id="progress-bar"' in html and 'name="token"' in html
    rows = [["考生号", "姓名", "审查结论", "保留截止日期", "原因"]]
    rows += [[r.exam_number, r.name, "报到入学", "", ""] for r in freshmen_a[:2]]
    response = client.post(
        url,
        {"action": "upload", "token": token, "file": SimpleUploadedFile("s.xlsx", xlsx_bytes(rows))},
    )
    assert response.status_code == 302
    assert ReviewItem.objects.filter(batch=batch).count() == 2
    assert progress(client, token) == {"phase": "完成", "percent": 100}
    assert progress(client_for(college_b_staff), token) == {"phase": "", "percent": 0}


def test_progress_needs_a_signed_in_user(client):
    assert client.get("/uploads/progress/x/").status_code == 302
