"""Every download of personal data is logged: who, which file, when; the registrar office lists them (issue 10, item 6)."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from registrar.models import ExportEvent

pytestmark = [pytest.mark.django_db, pytest.mark.rule("SEC-3"), pytest.mark.rule("SEC-5")]

LOG_PAGE = "/admin/registrar/exportevent/"


def test_a_college_staff_members_download_of_the_registration_file_is_logged(
    client_for, college_a_staff, freshmen_a
):
    response = client_for(college_a_staff).get("/enrollment/exports/registration.xlsx")
    assert response.status_code == 200
    [event] = ExportEvent.objects.all()
    assert event.actor_id == college_a_staff.pk and event.action == "registrar.export"
    assert event.after["file"].endswith(".xlsx") and "计算机学院" in event.after["file"]
    assert event.after["path"] == "/enrollment/exports/registration.xlsx"
    assert event.after["bytes"] == len(response.content)
    assert event.occurred_at is not None


def test_files_without_personal_data_are_not_logged(client_for, registrar, school, term):
    client = client_for(registrar)
    assert client.get("/enrollment/templates/admissions.xlsx").status_code == 200
    assert client.get("/enrollment/exports/statistics.xlsx").status_code == 200
    assert not ExportEvent.objects.exists()


def test_a_refused_download_is_not_an_export(client_for, student_a):
    assert client_for(student_a).get("/enrollment/exports/registration.xlsx").status_code in (302, 403, 404)
    assert not ExportEvent.objects.exists()


def test_the_registrar_and_the_auditor_list_the_exports_and_nobody_else_does(
    client, registrar, auditor, college_a_staff, student_a, freshmen_a
):
    client.force_login(college_a_staff)
    client.get("/enrollment/exports/registration.xlsx")
    for reader in (registrar, auditor):
        client.force_login(reader)
        page = client.get(LOG_PAGE)
        assert page.status_code == 200
        text = page.content.decode()
        assert (
            "个人数据导出记录" in text
            and "college_a_staff" in text
            and "/enrollment/exports/registration.xlsx" in text
        )
    for refused in (college_a_staff, student_a):
        client.force_login(refused)
        assert client.get(LOG_PAGE).status_code in (302, 403, 404)


def test_the_log_is_the_audit_trail_so_it_has_a_chinese_name_and_verifies(client_for, registrar, freshmen_a):
    from audit.labels import action_label

    client_for(registrar).get("/enrollment/exports/registration.dbf")
    event = AuditEvent.objects.get(action="registrar.export")
    assert str(action_label(event.action)) == "导出个人数据文件"
