"""Notices: the in-app message and the mail that tell people what was decided about their work.

A list approved or returned tells its college's staff (the decision notice,
queued by ``registrar.batches`` through the outbox and sent by the task
``registrar.tasks.batch_decided``). Notices are written in Chinese whatever
language the task runs in; telling twice adds nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from audit.services import audit_record
from registrar.models import Batch, BatchState, Notice, User
from registrar.roles import Role

logger = logging.getLogger(__name__)


@transaction.atomic
def notices_send(
    *, recipients: Iterable[User], key: str, title: str, body: str = "", link: str = "", about: Batch
) -> int:
    """站内通知 to each recipient, once per ``key``; returns how many were new."""
    rows = [Notice(recipient=user, key=key, title=title, body=body, link=link) for user in recipients]
    created = Notice.objects.bulk_create(rows, ignore_conflicts=True)
    audit_record(
        actor=None,
        action="registrar.notice.send",
        subject=about,
        after={"key": key, "title": title, "recipients": [user.pk for user in recipients]},
    )
    return len(created)


@transaction.atomic
def notice_read(*, user: User, notice_id: int) -> Notice:
    """Open one's own notice: it counts as read from now on."""
    notice = Notice.objects.for_user(user).select_for_update().get(pk=notice_id)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
        audit_record(
            actor=user, action="registrar.notice.read", subject=notice, after={"read_at": notice.read_at}
        )
    return notice


def unread_count(user: User) -> int:
    return Notice.objects.for_user(user).filter(read_at=None).count()


def college_staff(college_id: int) -> list[User]:
    """The active staff accounts of one college: who is told about its lists."""
    return list(
        User.objects.filter(role=Role.COLLEGE_STAFF, colleges=college_id, is_active=True).order_by("pk")
    )


def batch_decision_notify(batch_id: int) -> int:
    """Tell the college's staff that their list was approved or returned (in-app and by mail); returns how many."""
    batch = Batch.objects.select_related("college").filter(pk=batch_id).first()
    if batch is None or batch.state not in (BatchState.APPROVED, BatchState.RETURNED):
        return 0
    staff = college_staff(batch.college_id)
    with translation.override("zh-hans"):
        state = batch.get_state_display()
        title = f"名单“{batch}”{state}"
        details = [f"{batch.college}的名单“{batch}”已{state}。"]
        if batch.comment:
            details.append(f"意见：{batch.comment}")
        if batch.document_number:
            details.append(f"文号：{batch.document_number}")
        body = "\n".join(details)
    key = (
        f"batch:{batch.pk}:{batch.state}:{batch.decided_at:%Y%m%d%H%M%S%f}"
        if batch.decided_at
        else f"batch:{batch.pk}"
    )
    notices_send(
        recipients=staff,
        key=key,
        title=title,
        body=body,
        link=reverse("batch-page", args=[batch.pk]),
        about=batch,
    )
    emails = [user.email for user in staff if user.email]
    if emails:
        send_mail(
            subject=title,
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=emails,
            fail_silently=True,
        )
    return len(staff)
