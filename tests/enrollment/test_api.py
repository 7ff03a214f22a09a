import pytest

from enrollment.services import ItemInput, review_batch_create, review_batch_submit, review_items_save
from tests.enrollment.builders import (
    account_of,
    admission_row,
    admission_sheet,
    imported_flagged,
    registered_through_a_list,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted_batch(freshmen_a, college_a_staff, college_a, term):
    batch = review_batch_create(actor=college_a_staff, college=college_a, term=term)
    items = [ItemInput(key=r.exam_number, outcome="passed") for r in freshmen_a]
    review_items_save(actor=college_a_staff, batch_id=batch.pk, items=items)
    review_batch_submit(actor=college_a_staff, batch_id=batch.pk)
    return batch


def upload(client, content, name="lq.xlsx", year=2026):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/api/enrollment/imports/", {"file": SimpleUploadedFile(name, content), "year": year})


def test_import_endpoint_returns_every_row_error_as_400(client_for, registrar, term, major_a):
    response = upload(
        client_for(registrar),
        admission_sheet([admission_row(1, major_a, XM=""), admission_row(2, major_a, XB="x")]),
    )
    assert response.status_code == 400
    assert {(e["row"], e["column"]) for e in response.json()["errors"]} >= {(2, "姓名"), (3, "性别")}


def test_import_endpoint_imports_for_the_registrar_only(
    client_for, registrar, college_a_staff, term, major_a
):
    content = admission_sheet([admission_row(1, major_a)])
    assert upload(client_for(college_a_staff), content).status_code == 403
    assert upload(client_for(registrar), content).json()["created"] == 1


def test_second_approval_gets_409(client_for, registrar, submitted_batch):
    client = client_for(registrar)
    url = f"/api/enrollment/batches/{submitted_batch.pk}/approve/"
    assert client.post(url, {"document_number": "教学〔2026〕1号"}).status_code == 200
    response = client.post(url)
    assert response.status_code == 409 and "不能审批通过" in response.json()["detail"]


def test_college_b_staff_gets_404_on_college_a_batch(client_for, college_b_staff, submitted_batch):
    client = client_for(college_b_staff)
    assert client.get(f"/api/enrollment/batches/{submitted_batch.pk}/").status_code == 404
    assert client.post(f"/api/enrollment/batches/{submitted_batch.pk}/submit/").status_code == 404
    assert client.get("/api/enrollment/batches/").json()["count"] == 0


def test_college_staff_cannot_approve_through_the_api(client_for, college_a_staff, submitted_batch):
    response = client_for(college_a_staff).post(f"/api/enrollment/batches/{submitted_batch.pk}/approve/")
    assert response.status_code == 403


def test_records_list_masks_id_numbers_and_is_scoped(client_for, registrar, college_b_staff, freshmen_a):
    data = client_for(registrar).get("/api/enrollment/records/").json()
    assert data["count"] == 5 and "*" in data["results"][0]["id_number"]
    assert client_for(college_b_staff).get("/api/enrollment/records/").json()["count"] == 0


def test_a_student_sees_only_their_own_record(
    client_for, registrar, college_a_staff, college_a, term, freshmen_a
):
    registered_through_a_list(
        freshmen_a[0], staff=college_a_staff, registrar=registrar, college=college_a, term=term
    )
    data = client_for(account_of(freshmen_a[0])).get("/api/enrollment/records/").json()
    assert [r["id"] for r in data["results"]] == [freshmen_a[0].pk]


def test_submit_with_problems_lists_them_all(
    client_for, college_a_staff, college_a, term, registrar, major_a
):
    flagged = imported_flagged(major_a, [1, 2], actor=registrar)
    client = client_for(college_a_staff)
    batch = client.post("/api/enrollment/batches/", {"college": college_a.pk, "term": term.pk}).json()
    items = [{"exam_number": r.exam_number, "outcome": "passed"} for r in flagged]
    assert (
        client.post(
            f"/api/enrollment/batches/{batch['id']}/items/", {"items": items}, content_type="application/json"
        ).status_code
        == 200
    )
    response = client.post(f"/api/enrollment/batches/{batch['id']}/submit/")
    assert response.status_code == 400 and len(response.json()["problems"]) == 2


def test_the_endpoints_are_in_the_openapi_schema(client_for, registrar):
    schema = client_for(registrar).get("/api/schema/?format=json").json()
    paths = set(schema["paths"])
    assert {
        "/api/enrollment/imports/",
        "/api/enrollment/batches/{id}/approve/",
        "/api/enrollment/records/",
    } <= paths
