"""Rows that name the deadline models by their former app: content types, and tasks waiting in the outbox.

Content types: the rows ``audit.deadline…`` become ``deadlines.deadline…`` and keep
their ids, so the permissions on them, whatever groups and users were granted, and the
admin's log keep pointing at the models. A row ``deadlines.deadline…`` that exists
already (made after a ``migrate`` that stopped part of the way with this code) is an
empty twin: it goes first, with its permissions.

Outbox: a deadline task written by a scan and not sent yet names the module it had
(``audit.tasks.…``); it is renamed, so that the worker knows it.

Audit events are never rewritten: those recorded before the move keep
``audit.deadline…`` as their subject type, and ``audit.subject_types`` finds them.
"""

from django.db import migrations

MODELS = ("deadlinerule", "deadlinescan", "deadlineviolation", "deadlinenotice", "deadlinereminder")
TASKS = ("scan_deadlines", "send_deadline_notices")


def _move_content_types(apps, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if ContentType.objects.filter(app_label=source, model=model).exists():
            ContentType.objects.filter(app_label=target, model=model).delete()
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def _rename_waiting_tasks(apps, source: str, target: str) -> None:
    OutboxMessage = apps.get_model("registrar", "OutboxMessage")
    for task in TASKS:
        OutboxMessage.objects.filter(task=f"{source}.tasks.{task}", sent_at__isnull=True).update(
            task=f"{target}.tasks.{task}"
        )


def forwards(apps, schema_editor):
    _move_content_types(apps, "audit", "deadlines")
    _rename_waiting_tasks(apps, "audit", "deadlines")


def backwards(apps, schema_editor):
    _move_content_types(apps, "deadlines", "audit")
    _rename_waiting_tasks(apps, "deadlines", "audit")


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("registrar", "0005_outbox_and_lockouts"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
