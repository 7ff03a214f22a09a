"""The deadline engine left the audit app (issue 9, item 7): what was there before the move still works."""

import datetime
import io
import os

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from python_calamine import CalamineWorkbook

from audit.selectors import Change, subject_history
from audit.services import audit_record
from audit.subject_types import current_subject_type, subject_type_names
from deadlines.models import DeadlineRule, DeadlineViolation
from deadlines.scan import deadline_scan
from registrar.models import OutboxMessage, User

D = datetime.date
BEFORE_THE_MOVE = [("audit", "0009_auditevent_key_id"), ("deadlines", None)]


def test_events_recorded_under_the_audit_app_belong_to_the_moved_models():
    assert subject_type_names("deadlines.deadlineviolation") == [
        "deadlines.deadlineviolation",
        "audit.deadlineviolation",
    ]
    assert current_subject_type("audit.deadlinerule") == "deadlines.deadlinerule"
    assert subject_type_names("enrollment.admissionrecord") == ["enrollment.admissionrecord"]


def test_the_export_shows_a_violations_events_from_before_the_move(
    client_for, auditor, make_rule, subject_in
):
    make_rule()
    subject_in(D(2026, 9, 7))
    deadline_scan(as_of=D(2026, 12, 20))
    violation = DeadlineViolation.objects.get()
    with transaction.atomic():  # as the scan recorded it while the engine lived in the audit app
        old = audit_record(
            actor=None, action="deadline.violation.open", subject=("audit.deadlineviolation", violation.pk)
        )
    response = client_for(auditor).get(reverse("deadlines:violations-export"))
    content = b"".join(response.streaming_content)
    header, row = (
        CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name("逾期记录").to_python()
    )
    evidence = dict(zip(header, row, strict=True))["审计事件"]
    assert f"#{old.pk} " in evidence
    assert evidence.count("发现逾期未办") == 2


def test_a_rules_history_shows_its_events_from_before_the_move(registrar, make_rule):
    rule = make_rule()
    with transaction.atomic():  # as an admin edit recorded it while the model belonged to the audit app
        audit_record(
            actor=registrar,
            action="audit.deadlinerule.update",
            subject=("audit.deadlinerule", rule.pk),
            before={"length": 3},
            after={"length": 2},
        )
    [entry] = subject_history(rule, reader=registrar)
    assert (entry.label, entry.subject) == ("修改时限规则", f"时限规则 {rule}")
    assert entry.changes == [Change("时限长度", "3", "2")]


def test_an_old_address_of_a_deadline_admin_page_moved_permanently(client_for, auditor, make_rule):
    rule = make_rule()
    response = client_for(auditor).get(
        f"/admin/audit/deadlinerule/{rule.pk}/change/", {"_changelist_filters": "x"}
    )
    assert response.status_code == 301
    assert response["Location"] == f"/admin/deadlines/deadlinerule/{rule.pk}/change/?_changelist_filters=x"


def test_the_audit_events_stay_at_their_admin_address(client_for, auditor, db):
    assert client_for(auditor).get("/admin/audit/auditevent/").status_code == 200


@pytest.mark.postgres
@pytest.mark.rule("SEC-3")
def test_the_apps_database_role_runs_the_deadline_scan(make_rule, subject_in):
    """``db_app_role`` grants row rights on the deadline tables, which kept their names."""
    make_rule()
    subject_in(D(2026, 9, 7))
    role = f"deadlines_app_test_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
        call_command("db_app_role", "--role", role)
        cursor.execute(f'SET ROLE "{role}"')
        try:
            result = deadline_scan(as_of=D(2026, 12, 20))
        finally:
            cursor.execute("RESET ROLE")
    assert result.opened == 1


@pytest.mark.django_db(transaction=True)
def test_grants_and_waiting_tasks_from_before_the_move_keep_working():
    """Migrating a database from before the move: permissions granted on the models and a deadline task
    waiting in the outbox follow the models to their new app."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_THE_MOVE)
    ContentType.objects.clear_cache()
    old_rule_type = ContentType.objects.get(app_label="audit", model="deadlinerule")
    group = Group.objects.create(name="时限规则维护")
    group.permissions.add(Permission.objects.get(content_type=old_rule_type, codename="change_deadlinerule"))
    OutboxMessage.objects.create(task="audit.tasks.send_deadline_notices", kwargs={"notice_ids": [1]})

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()

    user = User.objects.create(username="rule_keeper")
    user.groups.add(group)
    assert user.has_perm("deadlines.change_deadlinerule")
    assert ContentType.objects.get_for_model(DeadlineRule).pk == old_rule_type.pk
    assert OutboxMessage.objects.get().task == "deadlines.tasks.send_deadline_notices"
