"""The staff home page of each role and its sidebar (issue 10, items 1 and 2): what to do next, scoped."""

import json

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deadlines.models import DeadlineRule
from deadlines.registry import unregister_kind
from enrollment.services import (
    ItemInput,
    review_batch_approve,
    review_batch_create,
    review_batch_return,
    review_batch_submit,
    review_items_save,
)
from registrar.models import Batch
from registrar.uploads import UploadProgress
from registrar.workbench import sidebar_navigation
from tests.deadlines.builders import students_watched_and_scanned


def _list(staff, college, term, records, outcome="passed", title=""):
    batch = review_batch_create(actor=staff, college=college, term=term, title=title)
    review_items_save(
        actor=staff, batch_id=batch.pk, items=[ItemInput(key=r.exam_number, outcome=outcome) for r in records]
    )
    return batch


def _home(client_for, user):
    response = client_for(user).get("/admin/")
    assert response.status_code == 200
    return response


@pytest.mark.rule("ENR-2")
def test_college_staff_see_their_returned_list_with_the_reason_and_their_freshmen_to_review(
    client_for, registrar, college_a_staff, college_a, term, freshmen_a
):
    batch = _list(college_a_staff, college_a, term, freshmen_a[:2], title="第一批")
    review_batch_submit(actor=college_a_staff, batch_id=batch.pk)
    review_batch_return(actor=registrar, batch_id=batch.pk, comment="请补充保留入学资格的证明")
    _list(college_a_staff, college_a, term, freshmen_a[2:3], title="第二批")
    context = _home(client_for, college_a_staff).context
    lists = next(s for s in context["sections"] if s.key == "lists").context
    assert lists["counts"] == {"draft": 1, "returned": 1, "submitted": 0}
    text = _home(client_for, college_a_staff).content.decode()
    assert "第一批" in text and "请补充保留入学资格的证明" in text
    freshmen = next(s for s in context["sections"] if s.key == "freshmen").context
    assert (freshmen["waiting"], freshmen["unlisted"]) == (5, 2)


@pytest.mark.rule("SEC-2")
def test_college_staff_never_see_another_colleges_lists_or_freshmen(
    client_for, college_a_staff, college_b_staff, college_a, college_b, term, freshmen_a, freshmen_b
):
    batch = _list(college_b_staff, college_b, term, freshmen_b, title="外国语学院名单")
    review_batch_submit(actor=college_b_staff, batch_id=batch.pk)
    response = _home(client_for, college_a_staff)
    sections = {s.key: s.context for s in response.context["sections"]}
    assert sections["lists"]["counts"] == {"draft": 0, "returned": 0, "submitted": 0}
    assert sections["freshmen"]["waiting"] == len(freshmen_a)
    assert "外国语学院名单" not in response.content.decode()
    assert "intake" not in sections and "imports" not in sections


@pytest.mark.rule("ENR-2")
def test_the_registrar_sees_lists_awaiting_approval_oldest_first_and_each_colleges_progress(
    client_for,
    registrar,
    college_a_staff,
    college_b_staff,
    college_a,
    college_b,
    term,
    freshmen_a,
    freshmen_b,
):
    first = _list(college_b_staff, college_b, term, freshmen_b, title="先交的名单")
    review_batch_submit(actor=college_b_staff, batch_id=first.pk)
    second = _list(college_a_staff, college_a, term, freshmen_a[:2], title="后交的名单")
    review_batch_submit(actor=college_a_staff, batch_id=second.pk)
    review_batch_approve(actor=registrar, batch_id=first.pk, document_number="教学〔2026〕1号")
    third = _list(college_a_staff, college_a, term, freshmen_a[2:4], title="再交的名单")
    review_batch_submit(actor=college_a_staff, batch_id=third.pk)
    sections = {s.key: s.context for s in _home(client_for, registrar).context["sections"]}
    assert [b.title for b in sections["lists"]["waiting"]] == ["后交的名单", "再交的名单"]
    progress = {row["name"]: row for row in sections["intake"]["colleges"]}
    assert (progress["计算机学院"]["total"], progress["计算机学院"]["submitted"]) == (5, 4)
    assert (progress["外国语学院"]["approved"], progress["外国语学院"]["approved_pct"]) == (3, 100)
    school = sections["intake"]["school"]
    assert (school["total"], school["reviewed"], school["submitted"], school["approved"]) == (8, 7, 7, 3)


@pytest.fixture
def watched_students(major_a, major_b):
    """A rule whose subjects an app provides (monitored), with violations in two colleges, and one nobody provides."""
    students_watched_and_scanned(
        key="tests.workbench_check", code="workbench_check", major_a=major_a, major_b=major_b
    )
    DeadlineRule.objects.create(
        code="workbench_unwatched",
        name="无人提供的核对",
        kind="tests.nobody",
        clock="term_start",
        unit="months",
        length=1,
    )
    yield
    unregister_kind("tests.workbench_check")


@pytest.mark.rule("ENR-5")
def test_the_auditor_sees_counts_by_rule_and_college_and_a_rule_nobody_provides_as_not_monitored(
    client_for, auditor, watched_students
):
    response = _home(client_for, auditor)
    audit = next(s for s in response.context["sections"] if s.key == "audit").context
    rows = {row["rule"].code: row for row in audit["rules"]}
    watched = rows["workbench_check"]
    assert (watched["monitored"], watched["open"], watched["resolved"]) == (True, 2, 1)
    assert {c["college__name"]: (c["open"], c["resolved"]) for c in watched["colleges"]} == {
        "计算机学院": (1, 1),
        "外国语学院": (1, 0),
    }
    assert rows["workbench_unwatched"]["monitored"] is False
    assert (
        "未监控" in response.content.decode() and 'id="rule-workbench_unwatched"' in response.content.decode()
    )
    assert len(json.loads(audit["chart"])["labels"]) == audit["months"]


@pytest.mark.rule("SEC-2")
def test_college_staff_count_only_their_colleges_overdue_items(client_for, college_a_staff, watched_students):
    deadlines = next(
        s for s in _home(client_for, college_a_staff).context["sections"] if s.key == "deadlines"
    ).context
    assert [(row["rule__code"], row["count"]) for row in deadlines["overdue"]] == [("workbench_check", 1)]


def test_each_role_gets_its_own_sidebar(rf, registrar, college_a_staff, auditor):
    def titles(user):
        request = rf.get("/admin/")
        request.user = user
        return [
            (group["title"], [item["title"] for item in group["items"]])
            for group in sidebar_navigation(request)
        ]

    college = dict(titles(college_a_staff))
    assert "导入录取数据" not in college["新生学籍注册"] and "系统" not in college
    assert "导入录取数据" in dict(titles(registrar))["新生学籍注册"]
    assert "登录锁定" in dict(titles(registrar))["系统"]
    assert titles(auditor)[0][0] == "时限与审计"


@override_settings(DEBUG=True)
def test_a_missing_record_answers_in_chinese_also_with_debug_on(client_for, registrar):
    for path in ("/no-such-page/", "/batches/999999/"):
        response = client_for(registrar).get(path)
        assert response.status_code == 404
        text = response.content.decode()
        assert "页面不存在" in text and "Page not found" not in text


def test_dates_read_the_same_on_every_page(
    client_for, registrar, college_a_staff, college_a, term, freshmen_a
):
    batch = _list(college_a_staff, college_a, term, freshmen_a[:1])
    review_batch_submit(actor=college_a_staff, batch_id=batch.pk)
    text = client_for(registrar).get("/admin/enrollment/reviewbatch/").content.decode()
    submitted = timezone.localtime(Batch.objects.get(pk=batch.pk).submitted_at)
    assert f"{submitted:%Y-%m-%d %H:%M}" in text
    assert f"{submitted.year}年{submitted.month}月{submitted.day}日" not in text


def test_the_registrar_sees_an_upload_while_it_runs_and_not_after(client_for, rf, registrar, college_a_staff):
    request = rf.post("/admin/enrollment/reviewbatch/1/review/", {"token": "tok-1"})
    request.user = college_a_staff
    progress = UploadProgress(request)
    progress.reading()
    imports = next(s for s in _home(client_for, registrar).context["sections"] if s.key == "imports").context
    here = {"who": "college_a_staff", "page": request.path, "phase": "读取与校验", "percent": 10}
    assert here in [{k: u[k] for k in here} for u in imports["running"]]
    progress.done()
    imports = next(s for s in _home(client_for, registrar).context["sections"] if s.key == "imports").context
    assert request.path not in [u["page"] for u in imports["running"]]


def test_the_sidebar_marks_only_the_page_the_user_is_on(rf, registrar):
    request = rf.get("/admin/enrollment/admissionrecord/import/")
    request.user = registrar
    active = [
        item["title"] for group in sidebar_navigation(request) for item in group["items"] if item["active"]
    ]
    assert active == ["导入录取数据"]


def test_the_home_pages_queries_do_not_grow_with_the_lists(
    client_for, registrar, college_a_staff, college_a, term, freshmen_a, django_assert_num_queries
):
    """Each section counts in one scoped query: more lists and freshmen, the same number of queries."""
    client = client_for(registrar)
    first = _list(college_a_staff, college_a, term, freshmen_a[:1], title="一")
    review_batch_submit(actor=college_a_staff, batch_id=first.pk)
    client.get("/admin/")  # the session and the sidebar's caches, once
    with CaptureQueriesContext(connection) as one_list:
        client.get("/admin/")
    for n, record in enumerate(freshmen_a[1:4]):
        batch = _list(college_a_staff, college_a, term, [record], title=f"再{n}")
        review_batch_submit(actor=college_a_staff, batch_id=batch.pk)
    with django_assert_num_queries(len(one_list.captured_queries)):
        client.get("/admin/")
