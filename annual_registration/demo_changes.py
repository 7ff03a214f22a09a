"""Demo status changes, through the real services (issue 11, items 3-5).

In college A: a 休学 approved and marked on the platform, a class's 转专业 on one
approved list, a 退学 decided eight days ago and not yet marked (its
15-working-day clock running, ANN-5), and a 保留学籍 waiting for the registrar.
"""

from __future__ import annotations

import datetime

from annual_registration.models import StatusChange
from annual_registration.models.changes import OPEN_STATES
from annual_registration.services.change_approval import status_change_approve
from annual_registration.services.change_lists import KIND as LIST_KIND
from annual_registration.services.change_rules import ChangeInput
from annual_registration.services.changes import (
    status_change_file,
    status_change_report_many,
    status_change_submit,
)
from registrar import batches, codes
from registrar.batch_kinds import ItemInput
from registrar.models import Major, Student
from registrar.proofs import ProofFile

Kind = codes.StatusChangeKind
DOCUMENT = ProofFile(name="学籍处理决定.pdf", content=b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def load(ctx) -> None:
    registrar, staff = ctx.users["registrar"], ctx.users["college_a_staff"]
    college = ctx.colleges[0]
    today = ctx.today
    busy = StatusChange.objects.filter(state__in=OPEN_STATES).values("student_id")
    pool = iter(
        Student.objects.filter(
            college=college, student_status=codes.StudentStatus.IN_SCHOOL, entry_date__lt=today
        )
        .exclude(pk__in=busy)
        .order_by("student_number")
    )

    def decided(kind: str, reason: str, day: datetime.date, number: int, **fields) -> StatusChange:
        change = status_change_file(
            actor=staff, student_id=next(pool).pk, given=ChangeInput(kind=kind, reason=reason, **fields)
        )
        status_change_submit(actor=staff, change_id=change.pk)
        return status_change_approve(
            actor=registrar,
            change_id=change.pk,
            decision_date=day,
            document_number=f"校学〔{day.year}〕{number}号",
            document=DOCUMENT,
        )

    suspension = decided(
        Kind.SUSPENSION,
        "病休（二级甲等医院诊断证明）",
        today - datetime.timedelta(days=30),
        31,
        period_start=today - datetime.timedelta(days=30),
        period_end=today + datetime.timedelta(days=150),
    )
    status_change_report_many(actor=registrar, change_ids=[suspension.pk])
    decided(Kind.WITHDRAWAL, "本人申请退学", today - datetime.timedelta(days=8), 32)
    retained = status_change_file(
        actor=staff,
        student_id=next(pool).pk,
        given=ChangeInput(
            kind=Kind.RETENTION,
            reason="应征入伍，保留学籍",
            period_start=today,
            period_end=today + datetime.timedelta(days=730),
        ),
    )
    status_change_submit(actor=staff, change_id=retained.pk)

    target = Major.objects.filter(college=college).order_by("code").last()
    movers = [s for s in pool if s.major_id != target.pk][:5]
    batch = batches.batch_create(
        actor=staff, kind=LIST_KIND, college=college, term=ctx.terms[max(ctx.terms)], title="转专业名单"
    )
    items = [
        ItemInput(
            key=s.student_number,
            outcome=Kind.MAJOR_CHANGE,
            reason="转专业考核合格",
            extra={"major_code": target.code},
        )
        for s in movers
    ]
    assert batches.batch_items_save(actor=staff, batch_id=batch.pk, kind=LIST_KIND, items=items) == []
    batches.batch_submit(actor=staff, batch_id=batch.pk, kind=LIST_KIND)
    batches.batch_approve(
        actor=registrar, batch_id=batch.pk, kind=LIST_KIND, document_number=f"校教〔{today.year}〕33号"
    )
