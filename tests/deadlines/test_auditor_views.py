"""The auditor's view: dashboard, filters, xlsx export, API; read-only, and scoped per college."""

import datetime
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from audit.models import AuditEvent
from deadlines.models import DeadlineNotice, DeadlineRule
from deadlines.scan import deadline_scan
from registrar.sheets.writers import escape

D = datetime.date
START = D(2026, 9, 7)


@pytest.fixture
def violations_in_both_colleges(make_rule, subject_in, major_b):
    """College A: one open, one resolved late; college B: one open."""
    make_rule()
    subject_in(START)
    subject_in(START, done=D(2026, 12, 10))
    subject_in(START, major=major_b)
    deadline_scan(as_of=D(2026, 12, 20))


def sheet_rows(response) -> list[list]:
    content = b"".join(response.streaming_content)
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name("逾期记录").to_python()


def test_the_auditor_sees_counts_for_every_college(client_for, auditor, violations_in_both_colleges):
    response = client_for(auditor).get(reverse("deadlines:dashboard"))
    counts = {row["college__code"]: (row["open"], row["resolved"]) for row in response.context["counts"]}
    assert counts == {"A01": (1, 1), "B01": (1, 0)}


def test_college_b_staff_see_none_of_college_as_violations_on_the_dashboard(
    client_for, college_b_staff, violations_in_both_colleges
):
    response = client_for(college_b_staff).get(reverse("deadlines:dashboard"))
    assert [row["college__code"] for row in response.context["counts"]] == ["B01"]
    assert {v.college.code for v in response.context["page"]} == {"B01"}


def test_a_student_is_refused_the_dashboard(client_for, student_a, violations_in_both_colleges):
    assert client_for(student_a).get(reverse("deadlines:dashboard")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db):
    assert client.get(reverse("deadlines:dashboard")).status_code == 302


def test_the_dashboard_filters_by_state_college_rule_and_period(
    client_for, auditor, college_a, violations_in_both_colleges
):
    url = reverse("deadlines:dashboard")
    query = {"state": "open", "college": college_a.pk, "rule": "student_check", "due_from": "2026-12-01"}
    page = client_for(auditor).get(url, query).context["page"]
    assert [(v.college.code, v.state) for v in page] == [("A01", "open")]
    assert not client_for(auditor).get(url, {"due_to": "2026-11-30"}).context["page"].object_list


def test_a_period_that_ends_before_it_starts_is_refused_in_chinese(client_for, auditor, db):
    query = {"due_from": "2026-12-31", "due_to": "2026-01-01"}
    response = client_for(auditor).get(reverse("deadlines:violations-export"), query)
    assert response.status_code == 400
    assert "起始日不能晚于结束日" in response.content.decode()
    assert client_for(auditor).get(reverse("deadlines:dashboard"), query).status_code == 200


def test_the_export_carries_the_evidence_of_each_violation(client_for, auditor, violations_in_both_colleges):
    response = client_for(auditor).get(reverse("deadlines:violations-export"), {"state": "resolved"})
    header, *rows = sheet_rows(response)
    assert header[:4] == ["规则代码", "规则名称", "对象类型", "对象编号"]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert (row["责任院系"], row["逾期天数"], row["状态"]) == ("计算机学院", 3, "逾期办结")
    # Issue 10, item 4: the action by its Chinese name, not its code.
    assert "逾期办结" in row["审计事件"] and "deadline.violation" not in row["审计事件"]


def test_college_b_staff_export_none_of_college_as_rows(
    client_for, college_b_staff, violations_in_both_colleges
):
    _, *rows = sheet_rows(client_for(college_b_staff).get(reverse("deadlines:violations-export")))
    assert [row[5] for row in rows] == ["外国语学院"]


def test_cells_that_would_start_a_formula_are_escaped():
    assert escape('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert escape("@SUM(A1)") == "'@SUM(A1)"
    assert escape("-1") == "'-1"
    assert escape(-1) == -1


def test_a_subject_named_like_a_formula_is_exported_as_text(client_for, auditor, make_rule, subject_in):
    make_rule()
    student = subject_in(START)
    type(student).objects.filter(pk=student.pk).update(name="=1+1")
    deadline_scan(as_of=D(2026, 12, 20))
    _, row = sheet_rows(client_for(auditor).get(reverse("deadlines:violations-export")))
    assert row[4].startswith("'=1+1")


def test_a_subject_name_holding_a_control_character_still_exports(client_for, auditor, make_rule, subject_in):
    """Issue 9: the export escaped formulas but not control characters, and ``\\x07`` gave a 500.

    Names written before imports refused control characters are in the data; the export must carry them.
    """
    make_rule()
    student = subject_in(START)
    type(student).objects.filter(pk=student.pk).update(name="王\x07小明")
    deadline_scan(as_of=D(2026, 12, 20))
    response = client_for(auditor).get(reverse("deadlines:violations-export"))
    assert response.status_code == 200
    _, row = sheet_rows(response)
    assert row[4].startswith("王小明")


# The API


def test_the_api_lists_every_violation_to_the_auditor(client_for, auditor, violations_in_both_colleges):
    response = client_for(auditor).get("/api/audit/violations/")
    assert response.json()["count"] == 3


def test_the_api_shows_college_b_staff_none_of_college_as_violations(
    client_for, college_b_staff, college_a, violations_in_both_colleges
):
    client = client_for(college_b_staff)
    assert client.get("/api/audit/violations/").json()["count"] == 1
    assert client.get("/api/audit/violations/", {"college": college_a.pk}).json()["count"] == 0
    a_violation = AuditEvent.objects.filter(college=college_a, action="deadline.violation.open").first()
    assert client.get(f"/api/audit/violations/{a_violation.subject_id}/").status_code == 404
    assert [row["college__code"] for row in client.get("/api/audit/violation-counts/").json()] == ["B01"]


def test_the_api_refuses_a_student(client_for, student_a, db):
    assert client_for(student_a).get("/api/audit/violations/").status_code == 403


def test_the_api_refuses_every_write_by_the_auditor(client_for, auditor, violations_in_both_colleges):
    client = client_for(auditor)
    rule = DeadlineRule.objects.get(code="student_check")
    assert client.post("/api/audit/violations/", {}).status_code == 405
    assert client.patch(f"/api/audit/rules/{rule.pk}/", {"length": 9}).status_code == 405
    assert client.delete(f"/api/audit/rules/{rule.pk}/").status_code == 405


# The staff pages (admin): the auditor reads everything and changes nothing


def test_the_auditor_reads_the_violations_and_rules_in_the_admin(
    client_for, auditor, violations_in_both_colleges
):
    client = client_for(auditor)
    assert client.get("/admin/deadlines/deadlineviolation/").status_code == 200
    assert client.get("/admin/deadlines/deadlinerule/").status_code == 200


def test_the_auditor_cannot_change_a_rule_in_the_admin(client_for, auditor, violations_in_both_colleges):
    rule = DeadlineRule.objects.get(code="student_check")
    url = f"/admin/deadlines/deadlinerule/{rule.pk}/change/"
    response = client_for(auditor).post(url, {"length": 9})
    assert response.status_code == 403
    rule.refresh_from_db()
    assert rule.length == 3


def test_the_auditor_cannot_add_or_delete_in_the_admin(client_for, auditor, violations_in_both_colleges):
    client = client_for(auditor)
    rule = DeadlineRule.objects.get(code="student_check")
    assert client.post("/admin/deadlines/deadlinerule/add/", {}).status_code == 403
    assert client.post(f"/admin/deadlines/deadlinerule/{rule.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post("/admin/deadlines/deadlineviolation/add/", {}).status_code == 403


def test_the_dashboard_refuses_a_post(client_for, auditor, db):
    assert client_for(auditor).post(reverse("deadlines:dashboard")).status_code == 405


def test_the_registrar_changes_a_rule_with_an_audit_event(client_for, registrar, make_rule):
    rule = make_rule()
    data = {
        "code": rule.code,
        "name": rule.name,
        "kind": rule.kind,
        "clock": rule.clock,
        "unit": "months",
        "length": 2,
        "fixed_day": "",
        "enabled": "on",
        "policy": "national",
        "rule_ids": "",
        "basis": "",
    }
    response = client_for(registrar).post(f"/admin/deadlines/deadlinerule/{rule.pk}/change/", data)
    assert response.status_code == 302
    assert DeadlineRule.objects.get(pk=rule.pk).length == 2
    assert AuditEvent.objects.filter(action="deadlines.deadlinerule.update", subject_id=str(rule.pk)).exists()


def test_college_staff_see_their_notices_and_not_the_other_colleges(
    client_for, college_a_staff, college_b_staff, make_rule, subject_in
):
    make_rule()
    subject_in(D(2026, 9, 1))
    deadline_scan(as_of=D(2026, 11, 24))
    notice = DeadlineNotice.objects.get()
    assert client_for(college_a_staff).get("/admin/deadlines/deadlinenotice/").context["cl"].result_count == 1
    assert client_for(college_b_staff).get("/admin/deadlines/deadlinenotice/").context["cl"].result_count == 0
    assert (
        client_for(college_b_staff).get(f"/admin/deadlines/deadlinenotice/{notice.pk}/change/").status_code
        == 302
    )


def test_the_dashboard_names_each_subject_as_people_read_it(client_for, auditor, make_rule, subject_in):
    make_rule()
    student = subject_in(START)
    deadline_scan(as_of=D(2026, 12, 20))
    response = client_for(auditor).get(reverse("deadlines:dashboard"))
    assert str(student) in response.text
    assert f"registrar.student:{student.pk}" not in response.text
