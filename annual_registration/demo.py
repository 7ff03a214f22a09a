"""Demo data of annual registration, loaded by ``load_demo`` through the real services.

This academic year's roll is open; finance's fee sheet is in (most paid, some
unpaid, some with a loan); the first college's list waits for the registrar,
the second college's is approved, the third has a draft.
"""

from __future__ import annotations

import datetime

from annual_registration import demo_changes
from annual_registration.models import AnnualRegistration, TermCheckIn
from annual_registration.models.records import AwardLevel, PunishmentKind
from annual_registration.services import annual_roll_open, fee_import, parse_fees
from annual_registration.services.check_ins import check_in_leave, check_ins_record, term_check_in_open
from annual_registration.services.records import AwardInput, PunishmentInput, award_record, punishment_record
from registrar import batches
from registrar.batch_kinds import ItemInput
from registrar.models import BatchKind, Student, Term, User
from registrar.services import reference_save
from registrar.sheets.writers import xlsx

KIND = BatchKind.ANNUAL_REGISTRATION


def load(ctx) -> None:
    registrar: User = ctx.users["registrar"]
    year = ctx.terms[max(ctx.terms)].academic_year
    term = ctx.terms[year.start_year]
    annual_roll_open(actor=registrar, academic_year=year)
    numbers = list(
        AnnualRegistration.objects.filter(academic_year=year)
        .order_by("student__student_number")
        .values_list("student__student_number", flat=True)
    )
    statuses = [ctx.rng.choice(["已缴费"] * 10 + ["未缴费", "助学贷款"]) for _number in numbers]
    # The student login's fees are unpaid: their page says what registration asks of them, by when.
    featured = ctx.featured_student.student_number if ctx.featured_student else None
    statuses = [
        "未缴费" if number == featured else status for number, status in zip(numbers, statuses, strict=True)
    ]
    content = xlsx(["学号", "缴费情况"], zip(numbers, statuses, strict=True), "缴费情况")
    result = fee_import(
        actor=registrar,
        academic_year=year,
        sheet=parse_fees(content, "财务处缴费情况.xlsx"),
        file_name="财务处缴费情况.xlsx",
    )
    assert result.ok, result.errors
    # The year's changes first (a 休学, a 退学, a 保留学籍 waiting, a class's 转专业), then the lists they shape.
    demo_changes.load(ctx)
    staff = {0: ctx.users["college_a_staff"], 1: ctx.users["college_b_staff"]}
    for index, college in enumerate(ctx.colleges[:3]):
        actor = staff.get(index, registrar)
        batch = batches.batch_create(
            actor=actor,
            kind=KIND,
            college=college,
            term=term,
            title=f"{year.start_year}-{year.start_year + 1}学年注册名单（{college.name}）",
        )
        if index == 2:
            _draft(actor, batch, year)
            continue
        batches.batch_items_fill(actor=actor, batch_id=batch.pk, kind=KIND)
        batches.batch_submit(actor=actor, batch_id=batch.pk, kind=KIND)
        if index == 1:
            batches.batch_approve(
                actor=registrar,
                batch_id=batch.pk,
                kind=KIND,
                document_number=f"教学〔{year.start_year}〕21号",
            )
    _records(ctx)
    _check_ins(ctx)


def _check_ins(ctx) -> None:
    """学期报到注册 (ANN-13): the school turns it on; this term's students have checked in, but for two:
    the student login, who still has to (their page says so; their fees are unpaid, so their college
    lists them as 暂缓注册 anyway), and a classmate on sick leave."""
    registrar: User = ctx.users["registrar"]
    ctx.school.term_check_in = True
    reference_save(actor=registrar, instance=ctx.school, changed=["term_check_in"])
    term = Term.current(ctx.today)
    term_check_in_open(actor=registrar, term=term)
    # Leave does not hold up the year's registration (only 待报到 does): any classmate may be on leave.
    featured = getattr(ctx.featured_student, "pk", None)
    on_leave = (
        TermCheckIn.objects.filter(term=term, college=ctx.colleges[0])
        .exclude(student_id=featured)
        .order_by("student__student_number")
        .values_list("student_id", flat=True)
        .first()
    )
    waiting = {featured, on_leave}
    staff = {
        ctx.colleges[0].pk: ctx.users["college_a_staff"],
        ctx.colleges[1].pk: ctx.users["college_b_staff"],
    }
    for college in ctx.colleges:
        ids = list(
            TermCheckIn.objects.filter(term=term, college=college)
            .exclude(student_id__in=[pk for pk in waiting if pk])
            .values_list("student_id", flat=True)
        )
        if ids:
            check_ins_record(actor=staff.get(college.pk, registrar), term_id=term.pk, student_ids=ids)
    if on_leave is not None:
        check_in_leave(
            actor=registrar,
            term_id=term.pk,
            student_id=on_leave,
            reason="病假（住院治疗）",
            until=max(ctx.today, term.start_date) + datetime.timedelta(days=14),
        )


def _records(ctx) -> None:
    """学籍记载 (ANN-7): the student login's scholarship, and a warning lifted for another student of college A."""
    registrar: User = ctx.users["registrar"]
    today = ctx.today
    if ctx.featured_student is not None:
        award_record(
            actor=registrar,
            student_id=ctx.featured_student.pk,
            data=AwardInput(
                name="校级一等奖学金",
                level=AwardLevel.SCHOOL,
                awarded_on=today - datetime.timedelta(days=40),
                granting_body=ctx.school.name,
                document_number=f"校学〔{today.year}〕18号",
            ),
        )
    other = (
        Student.objects.filter(college=ctx.colleges[0], entry_date__lt=today - datetime.timedelta(days=700))
        .exclude(pk=getattr(ctx.featured_student, "pk", None))
        .order_by("-student_number")
        .first()
    )
    if other is not None:
        punishment_record(
            actor=registrar,
            student_id=other.pk,
            data=PunishmentInput(
                kind=PunishmentKind.WARNING,
                reason="考试违纪",
                document_number=f"校学〔{today.year - 1}〕52号",
                decided_on=today - datetime.timedelta(days=400),
                period_months=6,
            ),
        )


def _draft(actor: User, batch, year) -> None:
    """A few students marked by hand: a draft the college has begun."""
    first = AnnualRegistration.objects.filter(college_id=batch.college_id, academic_year=year).select_related(
        "student"
    )[:3]
    items = [ItemInput(key=r.student.student_number, outcome="register") for r in first]
    batches.batch_items_save(actor=actor, batch_id=batch.pk, kind=KIND, items=items, replace=False)
