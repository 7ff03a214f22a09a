"""The review list without traps (issue 10, item 3), on the shared list page, services and API.

What a college's staff member and the registrar check: the template holds only who may be listed,
with drop-downs and its notes apart; a deferral has its end and reason, a forfeit or cancellation its
reason, from the sheet, the page and the API alike; large lists page, search, filter, change many at
once and lose rows; a draft goes away; approval shows the summary first and needs a 文号 when anyone
is cancelled; a return may ask for proofs, which the college adds before submitting again.
"""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from audit.models import AuditEvent
from enrollment.models import AdmissionRecord, ReviewItem
from enrollment.services import (
    ItemInput,
    review_batch_approve,
    review_batch_create,
    review_batch_submit,
    review_items_save,
)
from registrar import batches
from registrar.models import Batch, BatchAttachment, BatchKind
from registrar.services import DomainError
from tests.enrollment.builders import admission_row, xlsx_bytes

pytestmark = pytest.mark.django_db

KIND = BatchKind.FRESHMAN_REVIEW
END = datetime.date.today() + datetime.timedelta(days=365)
PDF = b"%PDF-1.4\n%%EOF\n"


def page_url(batch) -> str:
    return f"/admin/enrollment/reviewbatch/{batch.pk}/review/"


@pytest.fixture
def draft(college_a_staff, college_a, term, freshmen_a):
    return review_batch_create(actor=college_a_staff, college=college_a, term=term)


@pytest.fixture
def many(import_rows, major_a, school):
    """Sixty freshmen of college A: more than one page of a list."""
    result = import_rows([admission_row(n, major_a) for n in range(1, 61)])
    assert result.ok, result.errors
    return list(AdmissionRecord.objects.order_by("exam_number"))


def filled(staff, batch) -> Batch:
    assert batches.batch_items_fill(actor=staff, batch_id=batch.pk, kind=KIND) > 0
    return batch


def outcomes(batch) -> dict[str, str]:
    return dict(ReviewItem.objects.filter(batch=batch).values_list("record__exam_number", "outcome"))


# ---------------------------------------------------------------- the template


@pytest.mark.rule("ENR-2")
def test_the_template_leaves_out_those_awaiting_approval_in_another_list(
    draft, college_a_staff, college_a, term, freshmen_a, client_for
):
    other = review_batch_create(actor=college_a_staff, college=college_a, term=term)
    review_items_save(
        actor=college_a_staff, batch_id=other.pk, items=[ItemInput(freshmen_a[0].exam_number, "passed")]
    )
    review_batch_submit(actor=college_a_staff, batch_id=other.pk)
    data, notes = load_workbook(
        io.BytesIO(client_for(college_a_staff).get(f"/batches/{draft.pk}/template.xlsx").content)
    ).worksheets
    listed = [row[0] for row in data.iter_rows(min_row=2, values_only=True)]
    assert listed == [r.exam_number for r in freshmen_a[1:]]
    (validation,) = data.data_validations.dataValidation
    assert validation.formula1 == '"报到入学,放弃入学资格,保留入学资格,取消入学资格"'
    assert notes.title == "填写说明" and any("须填写“保留截止日期”" in (c.value or "") for c in notes["A"])


@pytest.mark.rule("ENR-3")
def test_the_template_uploaded_as_downloaded_lists_everyone_without_an_error(
    draft, college_a_staff, freshmen_a, client_for
):
    client = client_for(college_a_staff)
    content = client.get(f"/batches/{draft.pk}/template.xlsx").content
    page = client.post(
        page_url(draft), {"action": "upload", "file": SimpleUploadedFile("t.xlsx", content)}, follow=True
    )
    assert "已上传5行，名单现有：报到入学 5名" in page.content.decode()
    assert len(outcomes(draft)) == 5


# ---------------------------------------------------------------- one validation: sheet, page, API


@pytest.mark.rule("ENR-4")
def test_a_deferral_in_the_sheet_needs_its_end_date_and_a_forfeit_its_reason(
    draft, college_a_staff, freshmen_a, client_for
):
    rows = [["考生号", "姓名", "审查结论", "保留截止日期", "原因"],
            [freshmen_a[0].exam_number, "", "保留入学资格", "", "参军"],
            [freshmen_a[1].exam_number, "", "放弃入学资格", "", ""]]  # fmt: skip
    page = client_for(college_a_staff).post(
        page_url(draft), {"action": "upload", "file": SimpleUploadedFile("r.xlsx", xlsx_bytes(rows))}
    )
    errors = [(e.row, e.column, e.reason) for e in page.context["shown_errors"]]
    assert errors == [
        (2, "保留截止日期", "“保留入学资格”须填写截止日期"),
        (3, "原因", "“放弃入学资格”须填写原因"),
    ]
    assert not outcomes(draft)


@pytest.mark.rule("ENR-4")
def test_a_deferral_marked_on_the_page_needs_its_end_date_which_the_page_can_set(
    draft, college_a_staff, freshmen_a, client_for
):
    key = freshmen_a[0].exam_number
    client = client_for(college_a_staff)
    form = {"action": "mark", f"outcome_{key}": "deferred", f"reason_{key}": "参军"}
    page = client.post(page_url(draft), form)
    assert [e.reason for e in page.context["shown_errors"]] == [f"{key}：“保留入学资格”须填写截止日期"]
    client.post(page_url(draft), {**form, f"end_{key}": END.isoformat()})
    assert ReviewItem.objects.get(batch=draft).deferral_end == END


@pytest.mark.rule("ENR-3")
def test_the_api_refuses_a_cancellation_without_a_reason_with_the_same_words(
    draft, college_a_staff, freshmen_a, client_for
):
    key = freshmen_a[0].exam_number
    response = client_for(college_a_staff).post(
        f"/api/enrollment/batches/{draft.pk}/items/",
        {"items": [{"exam_number": key, "outcome": "cancelled"}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    # The API's items are numbered as sent: the first is row 1.
    assert response.json()["errors"] == [{"row": 1, "column": "原因", "reason": "“取消入学资格”须填写原因"}]


# ---------------------------------------------------------------- large lists


def test_a_large_list_pages_and_finds_people_by_number_name_or_outcome(
    many, college_a_staff, college_a, term, client_for
):
    batch = filled(college_a_staff, review_batch_create(actor=college_a_staff, college=college_a, term=term))
    client = client_for(college_a_staff)
    first = client.get(page_url(batch))
    assert len(first.context["rows"]) == 50 and first.context["total"] == 60
    assert len(client.get(page_url(batch) + "?page=2").context["rows"]) == 10
    assert [r.key for r in client.get(page_url(batch) + f"?q={many[41].name}").context["rows"]] == [
        many[41].exam_number
    ]
    assert [r.key for r in client.get(page_url(batch) + f"?q={many[7].exam_number}").context["rows"]] == [
        many[7].exam_number
    ]
    assert client.get(page_url(batch) + "?outcome=forfeited").context["matching"] == 0


@pytest.mark.rule("ENR-3")
def test_ticked_people_get_an_outcome_at_once_with_its_reason_in_one_audit_event(
    many, college_a_staff, college_a, term, client_for
):
    batch = filled(college_a_staff, review_batch_create(actor=college_a_staff, college=college_a, term=term))
    picked = [r.exam_number for r in many[:3]]
    form = {"action": "bulk", "selected": picked, "bulk_outcome": "forfeited", "bulk_reason": "未按期报到"}
    page = client_for(college_a_staff).post(page_url(batch), form, follow=True)
    assert "已为3名学生设置结论，名单现有：放弃入学资格 3名，报到入学 57名" in page.content.decode()
    assert {k for k, o in outcomes(batch).items() if o == "forfeited"} == set(picked)
    assert (
        AuditEvent.objects.filter(action="registrar.batch.items_outcome", subject_id=str(batch.pk)).count()
        == 1
    )


@pytest.mark.rule("ENR-4")
def test_a_deferral_set_at_once_without_its_end_date_changes_nobody(many, college_a_staff, college_a, term):
    batch = filled(college_a_staff, review_batch_create(actor=college_a_staff, college=college_a, term=term))
    keys = [r.exam_number for r in many[:2]]
    errors = batches.batch_items_set_outcome(
        actor=college_a_staff, batch_id=batch.pk, kind=KIND, keys=keys, outcome="deferred", reason="参军"
    )
    assert [e.reason for e in errors] == [f"{k}：“保留入学资格”须填写截止日期" for k in keys]
    assert set(outcomes(batch).values()) == {"passed"}


def test_everyone_the_search_finds_gets_the_outcome_when_asked(
    many, college_a_staff, college_a, term, client_for
):
    batch = filled(college_a_staff, review_batch_create(actor=college_a_staff, college=college_a, term=term))
    prefix = many[10].exam_number[:-1]  # 考生号 …0010 to …0019
    form = {
        "action": "bulk",
        "all_matching": "1",
        "bulk_outcome": "cancelled",
        "bulk_reason": "材料与本人不符",
    }
    client_for(college_a_staff).post(f"{page_url(batch)}?q={prefix}", form)
    cancelled = sorted(k for k, o in outcomes(batch).items() if o == "cancelled")
    assert cancelled == [r.exam_number for r in many if r.exam_number.startswith(prefix)]


def test_ticked_people_leave_a_draft_list(draft, college_a_staff, freshmen_a, client_for):
    filled(college_a_staff, draft)
    client_for(college_a_staff).post(
        page_url(draft), {"action": "remove", "selected": [freshmen_a[0].exam_number]}
    )
    assert freshmen_a[0].exam_number not in outcomes(draft) and len(outcomes(draft)) == 4


def test_a_draft_list_can_be_deleted_and_a_submitted_one_cannot(
    draft, college_a_staff, freshmen_a, client_for
):
    filled(college_a_staff, draft)
    client_for(college_a_staff).post(page_url(draft), {"action": "delete"})
    assert not Batch.objects.filter(pk=draft.pk).exists() and not ReviewItem.objects.exists()
    assert AuditEvent.objects.filter(action="registrar.batch.delete", subject_id=str(draft.pk)).exists()


def test_a_submitted_list_is_never_deleted(draft, college_a_staff, freshmen_a):
    review_items_save(
        actor=college_a_staff, batch_id=draft.pk, items=[ItemInput(freshmen_a[0].exam_number, "passed")]
    )
    review_batch_submit(actor=college_a_staff, batch_id=draft.pk)
    with pytest.raises(batches.BatchConflict, match="只能删除草稿"):
        batches.batch_delete(actor=college_a_staff, batch_id=draft.pk, kind=KIND)


def test_another_college_cannot_delete_or_empty_a_list(draft, college_b_staff, freshmen_a, client_for):
    client = client_for(college_b_staff)
    assert client.post(page_url(draft), {"action": "delete"}).status_code == 404
    assert Batch.objects.filter(pk=draft.pk).exists()


def test_a_new_list_gets_its_name_from_kind_college_and_term_and_the_current_term(
    college_a_staff, college_a, term, client_for
):
    client = client_for(college_a_staff)
    assert client.get("/admin/enrollment/reviewbatch/new/").context["current_term"] == term
    client.post("/admin/enrollment/reviewbatch/new/", {"college": college_a.pk, "title": ""})
    batch = Batch.objects.get()
    assert (batch.term, batch.title) == (term, "2026-2027学年第一学期新生入学资格审查名单（计算机学院）")


# ---------------------------------------------------------------- approval and return


@pytest.fixture
def submitted(draft, college_a_staff, freshmen_a):
    items = [
        ItemInput(freshmen_a[0].exam_number, "cancelled", reason="材料与本人不符"),
        ItemInput(freshmen_a[1].exam_number, "deferred", reason="参军", end_date=END),
        *(ItemInput(r.exam_number, "passed") for r in freshmen_a[2:]),
    ]
    assert review_items_save(actor=college_a_staff, batch_id=draft.pk, items=items) == []
    review_batch_submit(actor=college_a_staff, batch_id=draft.pk)
    return draft


@pytest.mark.rule("ENR-2")
def test_approving_first_shows_the_outcomes_with_the_exceptions_first_and_asks_to_confirm(
    submitted, registrar, freshmen_a, client_for
):
    page = client_for(registrar).post(page_url(submitted), {"action": "approve"})
    assert page.context["confirm_approve"] and page.context["needs_document"]
    assert [label for _v, label, _n in page.context["summary"]] == [
        "取消入学资格",
        "保留入学资格",
        "报到入学",
    ]
    assert [r.key for r in page.context["exception_rows"]] == [
        freshmen_a[0].exam_number,
        freshmen_a[1].exam_number,
    ]
    assert Batch.objects.get(pk=submitted.pk).state == "submitted"


@pytest.mark.rule("ENR-2")
def test_a_list_that_cancels_anyone_is_approved_only_with_a_document_number(submitted, registrar, client_for):
    client = client_for(registrar)
    page = client.post(page_url(submitted), {"action": "approve", "confirmed": "1"})
    assert page.context["problems"] == ["名单中有“取消入学资格”的学生，审批通过须填写文号"]
    assert Batch.objects.get(pk=submitted.pk).state == "submitted"
    client.post(
        page_url(submitted), {"action": "approve", "confirmed": "1", "document_number": "教学〔2026〕7号"}
    )
    assert Batch.objects.get(pk=submitted.pk).document_number == "教学〔2026〕7号"


def test_a_list_without_cancellations_needs_no_document_number(draft, college_a_staff, registrar, freshmen_a):
    review_items_save(
        actor=college_a_staff, batch_id=draft.pk, items=[ItemInput(freshmen_a[0].exam_number, "passed")]
    )
    review_batch_submit(actor=college_a_staff, batch_id=draft.pk)
    assert review_batch_approve(actor=registrar, batch_id=draft.pk).state == "approved"


@pytest.fixture
def returned_for_proofs(submitted, registrar, client_for):
    form = {"action": "send_back", "comment": "请补充保留入学资格的证明", "attachments_requested": "1"}
    client_for(registrar).post(page_url(submitted), form)
    return Batch.objects.get(pk=submitted.pk)


def test_a_return_needs_a_reason(submitted, registrar):
    with pytest.raises(DomainError, match="退回时请填写意见"):
        batches.batch_return(actor=registrar, batch_id=submitted.pk, kind=KIND, comment=" ")


def test_a_list_returned_for_proofs_is_submitted_again_only_with_one(
    returned_for_proofs, college_a_staff, client_for
):
    assert returned_for_proofs.attachments_requested
    client = client_for(college_a_staff)
    page = client.post(page_url(returned_for_proofs), {"action": "submit"})
    assert page.context["problems"] == ["教务处退回时要求补充证明材料，请先上传证明材料再提交"]
    proof = SimpleUploadedFile("入伍通知书.pdf", PDF, content_type="application/pdf")
    client.post(page_url(returned_for_proofs), {"action": "attach", "proofs": [proof]})
    client.post(page_url(returned_for_proofs), {"action": "submit"})
    assert Batch.objects.get(pk=returned_for_proofs.pk).state == "submitted"
    assert BatchAttachment.objects.get().original_name == "入伍通知书.pdf"


def test_a_proof_that_is_not_a_scan_is_refused(returned_for_proofs, college_a_staff, client_for):
    fake = SimpleUploadedFile("证明.pdf", b"<html>not a pdf</html>")
    page = client_for(college_a_staff).post(
        page_url(returned_for_proofs), {"action": "attach", "proofs": [fake]}, follow=True
    )
    assert "只接受 PDF、JPG、PNG 格式" in page.content.decode()
    assert not BatchAttachment.objects.exists()


def test_another_college_cannot_add_proofs(returned_for_proofs, college_b_staff, client_for):
    proof = SimpleUploadedFile("x.pdf", PDF)
    assert (
        client_for(college_b_staff)
        .post(page_url(returned_for_proofs), {"action": "attach", "proofs": [proof]})
        .status_code
        == 404
    )
    assert not BatchAttachment.objects.exists()


@pytest.mark.rule("SEC-2")
def test_a_proof_is_read_by_the_list_s_college_and_the_registrar_only(
    returned_for_proofs, college_a_staff, college_b_staff, registrar, student_a, client, client_for
):
    proof = batches.ProofFile(name="证明.pdf", content=PDF, content_type="application/pdf")
    batches.batch_attachments_add(
        actor=college_a_staff, batch_id=returned_for_proofs.pk, kind=KIND, proofs=[proof]
    )
    url = f"/batches/{returned_for_proofs.pk}/attachments/{BatchAttachment.objects.get().pk}/"
    assert client_for(registrar).get(url).content == PDF
    assert client_for(college_a_staff).get(url).status_code == 200
    assert client_for(college_b_staff).get(url).status_code == 404
    assert client_for(student_a).get(url).status_code == 403


def test_the_api_returns_a_list_asking_for_proofs_and_says_so(submitted, registrar, client_for):
    response = client_for(registrar).post(
        f"/api/enrollment/batches/{submitted.pk}/return/",
        {"comment": "请补充证明", "attachments_requested": True},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["attachments_requested"]) == ("returned", True)


def test_the_api_creates_a_list_in_the_current_term_with_its_default_name(
    college_a_staff, college_a, term, client_for
):
    response = client_for(college_a_staff).post("/api/enrollment/batches/", {"college": college_a.pk})
    assert response.status_code == 201
    assert (response.json()["term"], response.json()["title"]) == (
        term.pk,
        "2026-2027学年第一学期新生入学资格审查名单（计算机学院）",
    )
