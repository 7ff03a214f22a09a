"""The decision notice of a list goes out from the core on approval and on return, in-app and by mail."""

from __future__ import annotations

import pytest

from enrollment.services import (
    ItemInput,
    review_batch_approve,
    review_batch_create,
    review_batch_return,
    review_batch_submit,
    review_items_save,
)
from registrar.models import Notice
from registrar.notices import unread_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted_a(freshmen_a, college_a_staff, college_a, term):
    college_a_staff.email = "a@example.edu.cn"
    college_a_staff.save(update_fields=["email"])
    batch = review_batch_create(actor=college_a_staff, college=college_a, term=term)
    items = [ItemInput(key=r.exam_number, outcome="passed") for r in freshmen_a]
    assert review_items_save(actor=college_a_staff, batch_id=batch.pk, items=items) == []
    return review_batch_submit(actor=college_a_staff, batch_id=batch.pk)


def test_returning_a_list_tells_its_college_with_the_reason(
    submitted_a, registrar, college_a_staff, college_b_staff, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review_batch_return(actor=registrar, batch_id=submitted_a.pk, comment="第3名学生的结论有误")
    notice = Notice.objects.get(recipient=college_a_staff)
    assert notice.title == "名单“2026-2027学年第一学期新生入学资格审查名单（计算机学院）”已退回"
    assert "意见：第3名学生的结论有误" in notice.body
    assert mailoutbox[-1].subject == notice.title and mailoutbox[-1].to == ["a@example.edu.cn"]
    assert not Notice.objects.filter(recipient=college_b_staff).exists()
    assert unread_count(college_a_staff) == 1


def test_approving_a_list_tells_its_college_once_even_if_the_task_runs_twice(
    submitted_a, registrar, college_a_staff, django_capture_on_commit_callbacks
):
    from registrar.tasks import batch_decided

    with django_capture_on_commit_callbacks(execute=True):
        review_batch_approve(actor=registrar, batch_id=submitted_a.pk, document_number="教学〔2026〕8号")
    batch_decided(submitted_a.pk)
    notice = Notice.objects.get(recipient=college_a_staff)
    assert "文号：教学〔2026〕8号" in notice.body


def test_a_notice_opens_the_list_and_counts_as_read(
    submitted_a, registrar, college_a_staff, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review_batch_return(actor=registrar, batch_id=submitted_a.pk, comment="请补充")
    notice = Notice.objects.get(recipient=college_a_staff)
    client = client_for(college_a_staff)
    page = client.get(f"/admin/registrar/notice/{notice.pk}/change/", follow=True)
    assert page.redirect_chain[-1][0] == f"/admin/enrollment/reviewbatch/{submitted_a.pk}/review/"
    assert unread_count(college_a_staff) == 0


@pytest.mark.rule("SEC-2")
def test_nobody_reads_another_s_notice(
    submitted_a, registrar, college_a_staff, college_b_staff, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review_batch_return(actor=registrar, batch_id=submitted_a.pk, comment="请补充")
    notice = Notice.objects.get(recipient=college_a_staff)
    for other in (college_b_staff, registrar):
        client = client_for(other)
        assert client.get(f"/admin/registrar/notice/{notice.pk}/change/").status_code == 404
        assert notice.title not in client.get("/admin/registrar/notice/").content.decode()
    assert unread_count(college_a_staff) == 1


@pytest.mark.rule("SEC-2")
def test_another_college_s_list_has_no_page_link_and_no_template(
    submitted_a, college_a_staff, college_b_staff, client_for
):
    mine = client_for(college_a_staff)
    assert mine.get(f"/batches/{submitted_a.pk}/").status_code == 302
    assert mine.get(f"/batches/{submitted_a.pk}/template.xlsx").status_code == 200
    other = client_for(college_b_staff)
    assert other.get(f"/batches/{submitted_a.pk}/").status_code == 404
    assert other.get(f"/batches/{submitted_a.pk}/template.xlsx").status_code == 404
