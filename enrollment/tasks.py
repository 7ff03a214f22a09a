"""Follow-up work queued after commit: one task per decided batch."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation

logger = logging.getLogger(__name__)


@shared_task
def batch_decided(batch_id: int) -> int:
    """Tell the college's staff that their list was decided; returns how many were told."""
    from registrar.models import Batch, User
    from registrar.roles import Role

    batch = Batch.objects.select_related("college").filter(pk=batch_id).first()
    if batch is None:
        return 0
    emails = list(
        User.objects.filter(role=Role.COLLEGE_STAFF, colleges=batch.college, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if emails:
        # The mail is written in Chinese; its labels too, whichever language the task runs in.
        with translation.override("zh-hans"):
            send_mail(
                subject=f"名单“{batch}”{batch.get_state_display()}",
                message=f"{batch.college}的名单“{batch}”已{batch.get_state_display()}。{batch.comment}",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=emails,
                fail_silently=True,
            )
    return len(emails)


@shared_task
def expire_deferrals() -> int:
    """Daily: deferrals past their end without an application become cases the registrar decides (ENR-4)."""
    from enrollment.services import admission_open_lapsed_deferrals

    return admission_open_lapsed_deferrals()
