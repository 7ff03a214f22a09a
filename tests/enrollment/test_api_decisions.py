"""The API's single-record decisions (ENR-2..5, ENR-9) and correction requests (ENR-8).

Every refusal leaves the record, the correction and the audit trail as they were.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from enrollment.admin.records import AdmissionRecordAdmin
from enrollment.api.corrections import CorrectionValuesSerializer
from enrollment.api.records import DECISION_TRANSITIONS
from enrollment.models import AdmissionRecord, CorrectionRequest
from enrollment.services import (
    admission_transition,
    correction_answer,
    correction_create,
    correction_send,
    default_deferral_end,
)
from enrollment.services.corrections import CORRECTABLE
from registrar import codes
from registrar.idcard import make_id_number
from registrar.models import Student
from tests.enrollment.builders import account_of, imported_flagged, registered_through_a_list

pytestmark = pytest.mark.django_db

RECORDS = "/api/enrollment/records"
CORRECTIONS = "/api/enrollment/corrections"


def post(client, url: str, data: dict | None = None):
    return client.post(url, data or {}, content_type="application/json")


def events(subject, action: str | None = None):
    qs = AuditEvent.objects.filter(subject_type=subject._meta.label_lower, subject_id=str(subject.pk))
    return qs.filter(action=action) if action else qs


def snapshot(record: AdmissionRecord) -> tuple:
    record = AdmissionRecord.objects.get(pk=record.pk)
    return (
        record.state,
        record.deferral_end,
        record.rereview_passed_on,
        record.identity_conflict,
        record.name,
        record.id_number,
    )


def later(days: int = 200) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def record(freshmen_a) -> AdmissionRecord:
    return freshmen_a[0]


@pytest.fixture
def flagged(freshmen_a, registrar, major_a) -> AdmissionRecord:
    """A freshman of college A imported flagged 重名重号 (ENR-9), beside ``record`` and ``registered``."""
    [record] = imported_flagged(major_a, [6], actor=registrar)
    return record


@pytest.fixture
def registered(freshmen_a, registrar, college_a_staff, college_a, term) -> AdmissionRecord:
    """A registered freshman of college A, with a student and a 学籍 (ENR-2: through an approved list)."""
    return registered_through_a_list(
        freshmen_a[1], staff=college_a_staff, registrar=registrar, college=college_a, term=term
    )


@pytest.fixture
def draft(college_a_staff, record) -> CorrectionRequest:
    return correction_create(
        actor=college_a_staff, record_id=record.pk, requested={"name": "李四"}, reason="姓名错字"
    )


# ---------------------------------------------------------------- single-record decisions


def test_the_api_offers_the_transitions_of_the_record_page():
    # rule ENR-2: registration goes through review lists; the 复查 has its own action (ENR-5)
    assert DECISION_TRANSITIONS == AdmissionRecordAdmin.PAGE_TRANSITIONS


def test_registrar_defers_a_record_until_a_date(client_for, registrar, record):
    # rule ENR-4
    response = post(
        client_for(registrar),
        f"{RECORDS}/{record.pk}/transition/",
        {
            "transition": "defer",
            "reason": "应征入伍",
            "document_number": "教学〔2026〕7号",
            "deferral_end": str(later()),
        },
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "deferred" and response.json()["deferral_end"] == str(later())
    assert snapshot(record)[:2] == ("deferred", later())
    event = events(record, "enrollment.admission.defer").get()
    assert (event.reason, event.document_number, event.actor_id) == (
        "应征入伍",
        "教学〔2026〕7号",
        registrar.pk,
    )
    assert event.after["state"] == "deferred"


def test_a_deferral_without_an_end_runs_the_schools_period(client_for, registrar, record):
    # rule ENR-4
    response = post(
        client_for(registrar), f"{RECORDS}/{record.pk}/transition/", {"transition": "defer", "reason": "病休"}
    )
    assert response.status_code == 200
    assert AdmissionRecord.objects.get(pk=record.pk).deferral_end == default_deferral_end()


@pytest.mark.parametrize(
    ("transition", "state"), [("admit", "admitted"), ("forfeit", "forfeited"), ("cancel", "cancelled")]
)
def test_registrar_decides_an_imported_record(client_for, registrar, record, transition, state):
    # rule ENR-2  rule ENR-3
    response = post(
        client_for(registrar),
        f"{RECORDS}/{record.pk}/transition/",
        {"transition": transition, "reason": "审查"},
    )
    assert response.status_code == 200 and response.json()["state"] == state
    assert snapshot(record)[0] == state
    assert events(record, f"enrollment.admission.{transition}").get().reason == "审查"


def test_a_deferred_freshman_is_readmitted(client_for, registrar, record):
    # rule ENR-4
    admission_transition(actor=registrar, record_id=record.pk, transition="defer", reason="入伍")
    response = post(
        client_for(registrar),
        f"{RECORDS}/{record.pk}/transition/",
        {"transition": "readmit", "reason": "退役复学"},
    )
    assert response.status_code == 200
    assert snapshot(record)[:2] == ("admitted", None)
    assert events(record, "enrollment.admission.readmit").exists()


@pytest.mark.rule("ENR-4")
def test_the_api_extends_a_deferral_for_a_just_cause_with_its_new_end(client_for, registrar, record):
    admission_transition(actor=registrar, record_id=record.pk, transition="defer", reason="病休")
    new_end = datetime.date.today() + datetime.timedelta(days=500)
    response = post(
        client_for(registrar),
        f"{RECORDS}/{record.pk}/transition/",
        {"transition": "extend_deferral", "reason": "不可抗力", "deferral_end": new_end.isoformat()},
    )
    assert response.status_code == 200, response.content
    assert snapshot(record)[:2] == ("deferred", new_end)


def test_rereview_passed_is_recorded(client_for, registrar, registered):
    # rule ENR-5
    response = post(client_for(registrar), f"{RECORDS}/{registered.pk}/rereview/", {"result": "passed"})
    assert response.status_code == 200
    assert response.json()["rereview_passed_on"] == str(timezone.localdate())
    assert snapshot(registered)[:3] == ("registered", None, timezone.localdate())
    assert events(registered, "enrollment.admission.pass_rereview").get().reason == "入学资格复查合格"


def test_rereview_failed_cancels_the_status(client_for, registrar, registered):
    # rule ENR-5: fraud found in the 复查 cancels the 学籍 (SEC-4)
    response = post(
        client_for(registrar),
        f"{RECORDS}/{registered.pk}/rereview/",
        {"result": "failed", "reason": "冒名顶替", "document_number": "教学〔2026〕9号"},
    )
    assert response.status_code == 200
    assert snapshot(registered)[0] == "cancelled"
    student = Student.objects.get(pk=registered.student_id)
    assert student.student_status == codes.StudentStatus.DEREGISTERED
    revoke = events(registered, "enrollment.rereview.revoke").get()
    assert (revoke.reason, revoke.document_number) == ("冒名顶替", "教学〔2026〕9号")
    assert events(student, "enrollment.rereview.status_cancelled").exists()


def test_clearing_an_identity_conflict(client_for, registrar, flagged):
    # rule ENR-9
    response = post(
        client_for(registrar), f"{RECORDS}/{flagged.pk}/clear-conflict/", {"reason": "对方学校复函"}
    )
    assert response.status_code == 200 and response.json()["identity_conflict"] is False
    assert snapshot(flagged)[3] is False
    event = events(flagged, "enrollment.admission.clear_conflict").get()
    assert (event.reason, event.after) == ("对方学校复函", {"identity_conflict": False})


# The three record actions with valid input, for the scope and role checks.
RECORD_ACTIONS = [
    ("transition", {"transition": "forfeit", "reason": "未报到"}),
    ("rereview", {"result": "passed"}),
    ("clear-conflict", {"reason": "已核清"}),
]


@pytest.mark.parametrize(("name", "body"), RECORD_ACTIONS)
def test_college_b_staff_get_404_on_college_a_records(client_for, college_b_staff, registered, name, body):
    # rule SEC-2: another college's record is not found, not forbidden
    before, count = snapshot(registered), AuditEvent.objects.count()
    response = post(client_for(college_b_staff), f"{RECORDS}/{registered.pk}/{name}/", body)
    assert response.status_code == 404
    assert (snapshot(registered), AuditEvent.objects.count()) == (before, count)


@pytest.mark.parametrize(("name", "body"), RECORD_ACTIONS)
def test_only_the_registrar_decides(
    client_for, college_a_staff, auditor, student_a, registered, flagged, name, body
):
    # rule SEC-1: college staff, the auditor and students get 403 and change nothing,
    # each on a record the action fits (a 重名重号 flag is cleared before registration, ENR-9)
    record = flagged if name == "clear-conflict" else registered
    before, count = snapshot(record), AuditEvent.objects.count()
    for user in (college_a_staff, auditor, student_a):
        response = post(client_for(user), f"{RECORDS}/{record.pk}/{name}/", body)
        assert response.status_code == 403, (user, response.content)
        assert response.json()["detail"]
    assert (snapshot(record), AuditEvent.objects.count()) == (before, count)


def test_a_student_cannot_decide_on_their_own_record(client_for, registered):
    # rule SEC-1: the student sees their record, but no decision is theirs
    client = client_for(account_of(registered))
    assert client.get(f"{RECORDS}/{registered.pk}/").status_code == 200
    response = post(client, f"{RECORDS}/{registered.pk}/transition/", {"transition": "cancel", "reason": "x"})
    assert response.status_code == 403 and response.json()["detail"] == "仅限教职工使用"
    assert snapshot(registered)[0] == "registered"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"transition": "admit"}, "reason", "请填写原因"),
        ({"transition": "admit", "reason": "   "}, "reason", "请填写原因"),
        ({"reason": "x"}, "transition", "请选择录取状态变更"),
        ({"transition": "fly", "reason": "x"}, "transition", "未知的录取状态变更：fly"),
        ({"transition": "register", "reason": "x"}, "transition", "未知的录取状态变更：register"),
        ({"transition": "pass_rereview", "reason": "x"}, "transition", "未知的录取状态变更：pass_rereview"),
        (
            {"transition": "defer", "reason": "x", "deferral_end": "2027-13-40"},
            "deferral_end",
            "保留入学资格截止日期格式应为 YYYY-MM-DD",
        ),
        (
            {"transition": "defer", "reason": "x", "deferral_end": "2020-09-01"},
            "deferral_end",
            "保留入学资格截止日期应晚于今天",
        ),
        (
            {"transition": "admit", "reason": "x", "deferral_end": "2099-09-01"},
            "deferral_end",
            "只有保留入学资格才填写截止日期",
        ),
        (
            {"transition": "admit", "reason": "x", "document_number": "号" * 101},
            "document_number",
            "文号不能超过100个字符",
        ),
    ],
)
def test_bad_transition_input_names_the_field(client_for, registrar, record, body, field, message):
    # rule ENR-4: bad input is a 400 in Chinese naming the field; nothing changes
    before, count = snapshot(record), AuditEvent.objects.count()
    response = post(client_for(registrar), f"{RECORDS}/{record.pk}/transition/", body)
    assert response.status_code == 400
    assert response.json()["errors"] == {field: [message]}
    assert (snapshot(record), AuditEvent.objects.count()) == (before, count)


@pytest.mark.parametrize(("transition", "label"), [("readmit", "复查通过入学"), ("admit", "报到入学")])
def test_a_transition_the_state_does_not_allow_is_refused(client_for, registrar, record, transition, label):
    # rule ENR-4: readmission is for deferred freshmen only, never by way of an implicit deferral
    if transition == "admit":
        admission_transition(actor=registrar, record_id=record.pk, transition="forfeit", reason="未报到")
    before, count = snapshot(record), AuditEvent.objects.count()
    response = post(
        client_for(registrar), f"{RECORDS}/{record.pk}/transition/", {"transition": transition, "reason": "x"}
    )
    assert response.status_code == 400
    state = AdmissionRecord.objects.get(pk=record.pk).get_state_display()
    assert response.json()["errors"] == {"transition": [f"当前为“{state}”，不能{label}"]}
    assert (snapshot(record), AuditEvent.objects.count()) == (before, count)


def test_the_rereview_needs_a_registered_record_and_a_failure_needs_reason_and_number(
    client_for, registrar, record, registered
):
    # rule ENR-5
    client = client_for(registrar)
    before, count = (snapshot(record), snapshot(registered)), AuditEvent.objects.count()
    response = post(client, f"{RECORDS}/{record.pk}/rereview/", {"result": "passed"})
    assert response.status_code == 400 and "不能复查合格" in response.json()["detail"]
    response = post(client, f"{RECORDS}/{registered.pk}/rereview/", {"result": "failed"})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "reason": ["复查不合格须填写原因"],
        "document_number": ["取消学籍须有处理决定文号"],
    }
    response = post(client, f"{RECORDS}/{registered.pk}/rereview/", {"result": "maybe"})
    assert response.status_code == 400 and "result" in response.json()["errors"]
    response = post(client, f"{RECORDS}/{registered.pk}/rereview/", {})
    assert response.json()["errors"] == {"result": ["请选择复查结论"]}
    assert ((snapshot(record), snapshot(registered)), AuditEvent.objects.count()) == (before, count)


def test_clearing_needs_a_flag_and_a_reason(client_for, registrar, record, flagged):
    # rule ENR-9
    client = client_for(registrar)
    count = AuditEvent.objects.count()
    response = post(client, f"{RECORDS}/{record.pk}/clear-conflict/", {"reason": "已核清"})
    assert response.status_code == 400 and response.json()["detail"] == "该记录没有重名重号标记"
    response = post(client, f"{RECORDS}/{flagged.pk}/clear-conflict/", {})
    assert response.status_code == 400 and response.json()["errors"] == {"reason": ["请填写核清情况"]}
    assert snapshot(flagged)[3] is True and AuditEvent.objects.count() == count


@pytest.mark.parametrize("pk", ["999999", "abc", str(10**30)])
def test_unknown_records_are_a_404_in_chinese(client_for, registrar, record, pk):
    response = post(
        client_for(registrar), f"{RECORDS}/{pk}/transition/", {"transition": "admit", "reason": "x"}
    )
    assert response.status_code == 404 and response.json() == {"detail": "录取数据不存在"}


def test_the_actions_take_post_only(client_for, registrar, record):
    assert client_for(registrar).get(f"{RECORDS}/{record.pk}/transition/").status_code == 405


# ---------------------------------------------------------------- correction requests (ENR-8)


def test_the_correction_flow_changes_the_identity_fields(client_for, college_a_staff, registrar, registered):
    # rule ENR-8: draft → sent → answered → applied; the record and the student change
    new_id = make_id_number("110102", registered.birth_date, 7, registered.gender)
    staff = client_for(college_a_staff)
    response = post(
        staff,
        f"{CORRECTIONS}/",
        {"record": registered.pk, "requested": {"name": "李四", "id_number": new_id}, "reason": "录取库错字"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["state"], body["requested"]["name"]) == ("draft", "李四")
    assert body["requested"]["id_number"] != new_id and "*" in body["requested"]["id_number"]
    correction = CorrectionRequest.objects.get(pk=body["id"])
    assert events(correction, "enrollment.correction.create").get().reason == "录取库错字"

    office = client_for(registrar)
    response = post(office, f"{CORRECTIONS}/{correction.pk}/send/", {"document_number": "教学〔2026〕11号"})
    assert response.status_code == 200 and response.json()["state"] == "sent"
    response = post(
        office,
        f"{CORRECTIONS}/{correction.pk}/answer/",
        {"decision": "agreed", "note": "同意", "document_number": "省招〔2026〕3号"},
    )
    assert response.status_code == 200 and response.json()["state"] == "answered"
    assert response.json()["answer"]["name"] == "李四"
    assert snapshot(registered)[4] != "李四"
    response = post(office, f"{CORRECTIONS}/{correction.pk}/apply/")
    assert response.status_code == 200 and response.json()["state"] == "applied"

    record = AdmissionRecord.objects.get(pk=registered.pk)
    student = Student.objects.get(pk=registered.student_id)
    assert (record.name, record.id_number) == ("李四", new_id)
    assert (student.name, student.id_number) == ("李四", new_id)
    assert [e.action for e in events(correction).order_by("id")] == [
        "enrollment.correction.create",
        "enrollment.correction.send",
        "enrollment.correction.record_answer",
        "enrollment.correction.apply",
    ]
    correct = events(record, "enrollment.admission.correct").get()
    assert (
        correct.after == {"name": "李四", "id_number": new_id}
        and correct.document_number == "省招〔2026〕3号"
    )


def test_a_refused_correction_changes_nothing_when_applied(client_for, registrar, draft, record):
    # rule ENR-8: the province's answer decides
    office = client_for(registrar)
    assert post(office, f"{CORRECTIONS}/{draft.pk}/send/").status_code == 200
    response = post(office, f"{CORRECTIONS}/{draft.pk}/answer/", {"decision": "refused", "note": "查无错误"})
    assert response.status_code == 200 and response.json()["answer"] == {}
    assert post(office, f"{CORRECTIONS}/{draft.pk}/apply/").json()["state"] == "applied"
    assert snapshot(record)[4] == record.name
    assert not events(record, "enrollment.admission.correct").get().after


def test_corrections_are_scoped_like_the_records(
    client_for, college_a_staff, college_b_staff, registrar, auditor, draft, freshmen_b
):
    # rule SEC-2: college B sees nothing of college A; the list does not show it either
    b = client_for(college_b_staff)
    assert b.get(f"{CORRECTIONS}/").json()["count"] == 0
    assert b.get(f"{CORRECTIONS}/{draft.pk}/").status_code == 404
    assert b.get(f"{CORRECTIONS}/?record={draft.record_id}").json()["count"] == 0
    count = AuditEvent.objects.count()
    for name in ("send", "answer", "apply"):
        assert post(b, f"{CORRECTIONS}/{draft.pk}/{name}/", {"decision": "agreed"}).status_code == 404
    response = post(
        b, f"{CORRECTIONS}/", {"record": draft.record_id, "requested": {"name": "王五"}, "reason": "x"}
    )
    assert response.status_code == 404
    assert CorrectionRequest.objects.count() == 1 and AuditEvent.objects.count() == count
    # their own college's record is fine
    response = post(
        b, f"{CORRECTIONS}/", {"record": freshmen_b[0].pk, "requested": {"ethnicity": "03"}, "reason": "x"}
    )
    assert response.status_code == 201
    assert [c["id"] for c in b.get(f"{CORRECTIONS}/").json()["results"]] == [response.json()["id"]]
    assert client_for(college_a_staff).get(f"{CORRECTIONS}/").json()["count"] == 1
    assert client_for(registrar).get(f"{CORRECTIONS}/").json()["count"] == 2


def test_students_have_no_access_and_the_auditor_only_reads(
    client_for, college_a_staff, auditor, draft, record, registered
):
    # rule SEC-1: not even for their own record
    student = client_for(account_of(registered))
    assert student.get(f"{CORRECTIONS}/").status_code == 403
    assert student.get(f"{CORRECTIONS}/{draft.pk}/").status_code == 403
    response = post(
        student, f"{CORRECTIONS}/", {"record": registered.pk, "requested": {"name": "x"}, "reason": "x"}
    )
    assert response.status_code == 403

    watcher = client_for(auditor)
    assert watcher.get(f"{CORRECTIONS}/").json()["count"] == 1
    assert watcher.get(f"{CORRECTIONS}/{draft.pk}/").json()["state"] == "draft"
    count = AuditEvent.objects.count()
    response = post(
        watcher, f"{CORRECTIONS}/", {"record": record.pk, "requested": {"name": "x"}, "reason": "x"}
    )
    assert response.status_code == 403 and response.json()["detail"] == "审计人员只能查看"
    for name in ("send", "answer", "apply"):
        assert post(watcher, f"{CORRECTIONS}/{draft.pk}/{name}/", {"decision": "agreed"}).status_code == 403
    assert watcher.delete(f"{CORRECTIONS}/{draft.pk}/").status_code in (403, 405)
    # college staff draft, but the province is the registrar's to deal with
    staff = client_for(college_a_staff)
    response = post(staff, f"{CORRECTIONS}/{draft.pk}/send/")
    assert response.status_code == 403 and response.json()["detail"] == "只有教务处可以办理"
    assert CorrectionRequest.objects.get(pk=draft.pk).state == "draft"
    assert CorrectionRequest.objects.count() == 1 and AuditEvent.objects.count() == count


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"record": "R", "requested": {"name": "李四"}, "reason": "x"}, {"record": ["录取数据编号应为整数"]}),
        (
            {"record": 10**30, "requested": {"name": "李四"}, "reason": "x"},
            {"record": ["录取数据编号应为整数"]},
        ),
        ({"requested": {"name": "李四"}, "reason": "x"}, {"record": ["请选择录取数据"]}),
        (
            {"record": 0, "requested": {"name": "李四"}},
            {"record": ["录取数据编号应为整数"], "reason": ["请填写原因"]},
        ),
        (
            {"record": None, "requested": {"major": "英语"}, "reason": "x"},
            {"record": ["请选择录取数据"], "requested": ["不能更正的字段：major"]},
        ),
        (
            {"requested": {}, "reason": "x", "record": 1},
            {"requested": ["请至少填写一项要更正的数据"]},
        ),
        ({"record": 1, "reason": "x"}, {"requested": ["请至少填写一项要更正的数据"]}),
        ({"record": 1, "requested": {"name": ""}, "reason": "x"}, {"requested": {"name": ["姓名不能为空"]}}),
        (
            {"record": 1, "requested": {"name": "长" * 51}, "reason": "x"},
            {"requested": {"name": ["姓名不能超过50个字符"]}},
        ),
        (
            {"record": 1, "requested": {"gender": ["1"]}, "reason": "x"},
            {"requested": {"gender": ["性别格式有误"]}},
        ),
    ],
)
def test_bad_correction_input_names_the_field(client_for, college_a_staff, record, body, errors):
    # rule ENR-8
    response = post(client_for(college_a_staff), f"{CORRECTIONS}/", body)
    assert response.status_code == 400
    assert response.json()["errors"] == errors
    assert not CorrectionRequest.objects.exists()


@pytest.mark.parametrize(
    ("requested", "message"),
    [({"gender": "男女"}, "性别“男女”无效"), ({"birth_date": "2007-02-30"}, "出生日期：")],
)
def test_values_the_service_refuses_are_a_400(client_for, college_a_staff, record, requested, message):
    # rule ENR-8: the service checks the values against the code tables and the id number
    response = post(
        client_for(college_a_staff),
        f"{CORRECTIONS}/",
        {"record": record.pk, "requested": requested, "reason": "x"},
    )
    assert response.status_code == 400 and message in response.json()["detail"]
    assert not CorrectionRequest.objects.exists()


def test_correction_steps_out_of_order_are_refused(client_for, registrar, draft):
    # rule ENR-8: draft → sent → answered → applied, one step at a time
    office = client_for(registrar)
    count = AuditEvent.objects.count()
    for name, body in (("apply", {}), ("answer", {"decision": "agreed"})):
        response = post(office, f"{CORRECTIONS}/{draft.pk}/{name}/", body)
        assert response.status_code == 400 and "当前为“草稿”" in response.json()["detail"]
    assert post(office, f"{CORRECTIONS}/{draft.pk}/answer/", {}).json()["errors"] == {
        "decision": ["请选择答复结论"]
    }
    assert post(office, f"{CORRECTIONS}/{draft.pk}/answer/", {"decision": "ok"}).status_code == 400
    response = post(office, f"{CORRECTIONS}/{draft.pk}/send/", {"document_number": "号" * 101})
    assert response.json()["errors"] == {"document_number": ["文号不能超过100个字符"]}
    assert CorrectionRequest.objects.get(pk=draft.pk).state == "draft" and AuditEvent.objects.count() == count
    assert post(office, f"{CORRECTIONS}/{draft.pk}/send/").status_code == 200
    response = post(office, f"{CORRECTIONS}/{draft.pk}/send/")
    assert response.status_code == 400 and "不能办理" in response.json()["detail"]
    assert post(office, f"{CORRECTIONS}/999999/send/").json() == {"detail": "更正申请不存在"}


@pytest.mark.parametrize("value", ["abc", "1.5", str(10**30)])
def test_a_bad_record_filter_is_a_400(client_for, registrar, draft, value):
    response = client_for(registrar).get(f"{CORRECTIONS}/?record={value}")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["record"]


def test_applying_an_id_number_another_record_holds_is_refused(client_for, registrar, freshmen_a):
    # rule ENR-8: the answer may clash with another record of the year; nothing is written
    first, second = freshmen_a[0], freshmen_a[1]
    correction = correction_create(
        actor=registrar, record_id=first.pk, requested={"id_number": second.id_number}, reason="号码错"
    )
    correction_send(actor=registrar, request_id=correction.pk)
    correction_answer(actor=registrar, request_id=correction.pk, answer=correction.requested)
    count = AuditEvent.objects.count()
    response = post(client_for(registrar), f"{CORRECTIONS}/{correction.pk}/apply/")
    assert response.status_code == 400 and "未更正" in response.json()["detail"]
    assert snapshot(first)[5] == first.id_number
    assert CorrectionRequest.objects.get(pk=correction.pk).state == "answered"
    assert AuditEvent.objects.count() == count


def test_the_correctable_fields_are_the_services():
    # rule ENR-8
    assert set(CorrectionValuesSerializer().fields) == set(CORRECTABLE)


def test_the_new_endpoints_are_in_the_openapi_schema(client_for, registrar):
    schema = client_for(registrar).get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for path in (
        "/api/enrollment/records/{id}/transition/",
        "/api/enrollment/records/{id}/rereview/",
        "/api/enrollment/records/{id}/clear-conflict/",
        "/api/enrollment/corrections/{id}/send/",
        "/api/enrollment/corrections/{id}/answer/",
        "/api/enrollment/corrections/{id}/apply/",
    ):
        assert "requestBody" in paths[path]["post"] or path.endswith("/apply/"), path
        assert {"200", "400", "403", "404"} <= set(paths[path]["post"]["responses"]), path
    assert {"get", "post"} <= set(paths["/api/enrollment/corrections/"])
    assert "get" in paths["/api/enrollment/corrections/{id}/"]
